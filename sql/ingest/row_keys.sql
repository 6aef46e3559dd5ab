-- A content key for each accepted row of the file being loaded: same content, same key,
-- so reloading a re-exported file adds nothing and a row repeated in the file is taken once.
create or replace temp table row_keys as
with answer_text as (
    select
        row_no,
        string_agg(question_id || '=' || status || ':' || coalesce(label, ''), ';' order by question_id)
            as answers
    from staged_answers
    group by row_no
),

text_cells as (
    select
        row_no,
        string_agg(field || '=' || trim(text), ';' order by field) as texts
    from (
        from (select row_no, columns('^E[0-9]+_(points_forts|besoin_appui)$') from raw_rows)
        unpivot (text for field in (columns('^E[0-9]+_(points_forts|besoin_appui)$')))
    )
    where trim(text) <> ''
    group by row_no
),

keyed as (
    select
        staged_rows.row_no,
        md5(concat_ws(
            '|', code_structure, nom_structure, reseau, coalesce(typologie, '-'),
            coalesce(localisation, '-'), campagne, strftime(date_enregistrement, '%Y-%m-%d %H:%M:%S'),
            coalesce(nb_agents_contributeurs::varchar, '-'), coalesce(nb_agents_interaction::varchar, '-'),
            version, answers, coalesce(texts, '-')
        )) as submission_key
    from staged_rows
    inner join accepted_rows using (row_no)
    inner join answer_text using (row_no)
    left join text_cells using (row_no)
)

select row_no, submission_key from keyed
