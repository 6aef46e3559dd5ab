-- A content key for each accepted row of the file being loaded: same content, same key,
-- so reloading a re-exported file adds nothing and a row repeated in the file is taken once.
-- Answers enter as an order-free digest (xor of one hash per normalised answer): cheap on
-- millions of answers, and the same whatever the column order of the file.
create or replace temp table row_keys as
with answer_digest as (
    select
        row_no,
        bit_xor(hash(question_id, status, coalesce(label, ''))) as answers
    from staged_answers
    group by row_no
),

text_digest as (
    select
        row_no,
        md5(list_value(*columns('^E[0-9]+_(points_forts|besoin_appui)$'))::varchar) as texts
    from raw_rows
)

select
    staged_rows.row_no,
    md5(concat_ws(
        '|', code_structure, nom_structure, reseau, coalesce(typologie, '-'),
        coalesce(localisation, '-'), campagne, strftime(date_enregistrement, '%Y-%m-%d %H:%M:%S'),
        coalesce(nb_agents_contributeurs::varchar, '-'), coalesce(nb_agents_interaction::varchar, '-'),
        version, answers, texts
    )) as submission_key
from staged_rows
inner join accepted_rows using (row_no)
inner join answer_digest using (row_no)
inner join text_digest using (row_no)
