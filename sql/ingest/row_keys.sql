-- A content key for each accepted row of the files being loaded: same content, same key,
-- so reloading a re-exported file adds nothing and a row repeated in the file is taken once.
-- Answers enter as their codes, in questionnaire order: the same whatever the column order
-- or the spelling of the file. md5, not hash(): keys are kept, and must not change with DuckDB.
create or replace temp table row_keys as
with answer_digest as (
    select file_no, row_no, md5(codes::varchar) as answers
    from staged_codes
),

text_digest as (
    select
        file_no,
        row_no,
        md5(list_value(*columns('^E[0-9]+_(points_forts|besoin_appui)$'))::varchar) as texts
    from run_rows
)

select
    staged_rows.file_no,
    staged_rows.row_no,
    md5(concat_ws(
        '|', code_structure, nom_structure, reseau, coalesce(typologie, '-'),
        coalesce(localisation, '-'), campagne, strftime(date_enregistrement, '%Y-%m-%d %H:%M:%S'),
        coalesce(nb_agents_contributeurs::varchar, '-'), coalesce(nb_agents_interaction::varchar, '-'),
        version, answers, texts
    )) as submission_key
from staged_rows
inner join accepted_rows using (file_no, row_no)
inner join answer_digest using (file_no, row_no)
inner join text_digest using (file_no, row_no)
