-- Each distinct cell of the file being loaded (answer_cells: question, raw text), read as an
-- answer to questionnaire $version: a status and an answer code (schema.sql, answer_sets).
-- Cells that match nothing get status 'invalid', no code, and the offending text in
-- bad_items; answer_problems.sql turns them into messages. Exports repeat a few dozen
-- distinct cells millions of times, so the text work is done here, once per distinct cell.
insert into cell_answers
with questions as (
    select question_id, kind, options
    from referentiel_questions
    where version = $version
),

keyed as (
    select
        answer_cells.question_id,
        answer_cells.raw_value,
        questions.kind,
        nullif(trim(regexp_replace(answer_cells.raw_value, '\s+', ' ', 'g')), '') as cell,
        strip_accents(lower(cell)) as cell_key
    from answer_cells
    inner join questions using (question_id)
),

scale_cells as (
    select
        keyed.*,
        coalesce(
            case try_cast(replace(cell_key, ',', '.') as double)
                when 1 then '1' when 0.75 then '0.75' when 0.25 then '0.25' when 0 then '0'
            end,
            cell_key
        ) as label_key
    from keyed
    where kind = 'scale'
),

scale_answers as (
    select
        scale_cells.question_id,
        scale_cells.raw_value,
        case
            when scale_cells.cell is null then 'missing'
            when scale_labels.label is null then 'invalid'
            when scale_labels.points is null then 'not_applicable'
            else 'answered'
        end as status,
        case
            when scale_cells.cell is null then 0
            when scale_labels.label is not null then scale_levels.code
        end as code,
        case when scale_cells.cell is not null and scale_labels.label is null then [scale_cells.cell] end
            as bad_items
    from scale_cells
    left join scale_labels on scale_labels.key = scale_cells.label_key
    left join scale_levels on scale_levels.label = scale_labels.label
),

multi_cells as (
    select
        keyed.*,
        case
            when cell is null then 'missing'
            when cell_key in ('aucun', 'aucune') then 'none'
            when cell_key in (select key from scale_labels where label = 'Non applicable')
                then 'not_applicable'
            else 'items'
        end as cell_kind
    from keyed
    where kind = 'multi'
),

option_keys as (
    select
        question_id,
        option_number,
        strip_accents(lower(trim(regexp_replace(option, '\s+', ' ', 'g')))) as option_key
    from (
        select question_id, unnest(options) as option, generate_subscripts(options, 1) as option_number
        from questions
    )
),

multi_items as (
    select
        multi_cells.question_id,
        multi_cells.raw_value,
        trim(regexp_replace(item, '\s+', ' ', 'g')) as item
    from multi_cells, unnest(string_split(multi_cells.cell, '|')) as split (item)
    where multi_cells.cell_kind = 'items'
),

matched_items as (
    -- the ticked options as a bit mask (bit k-1: option k), and the items matching none
    select
        multi_items.question_id,
        multi_items.raw_value,
        bit_or(1 << (option_keys.option_number - 1)) as ticked,
        list(multi_items.item) filter (where option_keys.option_number is null) as bad_items
    from multi_items
    left join option_keys
        on option_keys.question_id = multi_items.question_id
        and option_keys.option_key = strip_accents(lower(multi_items.item))
    where multi_items.item <> ''
    group by all
),

multi_answers as (
    select
        multi_cells.question_id,
        multi_cells.raw_value,
        case
            when multi_cells.cell_kind = 'items' and len(matched_items.bad_items) > 0 then 'invalid'
            when multi_cells.cell_kind = 'items' and matched_items.ticked is null then 'missing'
            when multi_cells.cell_kind in ('none', 'items') then 'answered'
            else multi_cells.cell_kind
        end as status,
        case status
            when 'missing' then 0
            when 'not_applicable' then 1
            when 'answered' then 16 + coalesce(matched_items.ticked, 0)
        end as code,
        matched_items.bad_items
    from multi_cells
    left join matched_items using (question_id, raw_value)
)

select $version as version, question_id, raw_value, status, code, bad_items from scale_answers
union all
select $version as version, question_id, raw_value, status, code, bad_items from multi_answers
