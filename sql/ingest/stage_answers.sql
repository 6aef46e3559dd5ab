-- The answers of the rows of the file being loaded whose campaign uses questionnaire
-- $version, one per (row, question): the cell normalised to a canonical label and a status.
-- Cells that match nothing get status 'invalid' and the offending text in bad_items;
-- problems.sql turns them into messages. Exports repeat a few dozen distinct cells millions
-- of times, so each distinct (question, cell) is normalised once and joined back.
insert into staged_answers
with cells as (
    from (
        select row_no, columns('^E[0-9]+_Q[0-9]+$')
        from raw_rows
        where row_no in (select row_no from staged_rows where version = $version)
    )
    unpivot include nulls (raw_value for question_id in (columns('^E[0-9]+_Q[0-9]+$')))
),

questions as (
    select question_id, kind, options
    from referentiel_questions
    where version = $version
),

distinct_cells as (
    select distinct question_id, raw_value
    from cells
),

keyed as (
    select
        distinct_cells.*,
        questions.kind,
        nullif(trim(regexp_replace(distinct_cells.raw_value, '\s+', ' ', 'g')), '') as cell,
        strip_accents(lower(cell)) as cell_key
    from distinct_cells
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
        case when scale_labels.points is not null then scale_labels.label end as label,
        null::integer as n_selected,
        case when scale_cells.cell is not null and scale_labels.label is null then [scale_cells.cell] end
            as bad_items
    from scale_cells
    left join scale_labels on scale_labels.key = scale_cells.label_key
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
        option,
        strip_accents(lower(trim(regexp_replace(option, '\s+', ' ', 'g')))) as option_key
    from (select question_id, unnest(options) as option from questions)
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
    select
                multi_items.question_id,
        multi_items.raw_value,
        count(distinct option_keys.option) as n_selected,
        string_agg(distinct option_keys.option, '|' order by option_keys.option) as label,
        list(multi_items.item) filter (where option_keys.option is null) as bad_items
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
            when multi_cells.cell_kind = 'items' and matched_items.n_selected is null then 'missing'
            when multi_cells.cell_kind in ('none', 'items') then 'answered'
            else multi_cells.cell_kind
        end as status,
        case
            when multi_cells.cell_kind = 'none' then ''
            when multi_cells.cell_kind = 'items' then matched_items.label
        end as label,
        case
            when multi_cells.cell_kind = 'none' then 0
            when multi_cells.cell_kind = 'items' then matched_items.n_selected::integer
        end as n_selected,
        matched_items.bad_items
    from multi_cells
    left join matched_items using (question_id, raw_value)
),

normalised as (
    select * from scale_answers
    union all
    select * from multi_answers
)

select
    cells.row_no,
    $version as version,
    cells.question_id,
    cells.raw_value,
    normalised.status,
    normalised.label,
    normalised.n_selected,
    normalised.bad_items
from cells
inner join normalised
    on normalised.question_id = cells.question_id
    and normalised.raw_value is not distinct from cells.raw_value
