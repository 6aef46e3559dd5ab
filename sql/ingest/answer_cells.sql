-- The cells read as answers to questionnaire $version before any row of the files being
-- loaded is coded (normalise_cells.sql reads each text once): for every scale question, the
-- usual spellings of the scale (its labels and keys, in lower, upper and first-letter case,
-- numbers with a decimal comma), which nearly every cell of a scale column is; and the empty
-- cell. multi_cells.sql adds the cells of the multiple-choice columns. Cells that none of
-- these covers leave a hole in their row's codes (stage_codes.sql) and are read by
-- missed_cells.sql, in those rows only: no pass over every cell of the files for them.
create or replace temp table answer_cells as
with scale_questions as (
    select question_id
    from referentiel_questions
    where version = $version and kind = 'scale'
),

spellings as (
    select distinct spelling
    from
        scale_labels,
        unnest([
            label, lower(label), upper(label),
            key, upper(key), upper(key[1]) || key[2:], replace(key, '.', ',')
        ]) as candidates (spelling)
    union all
    select null
)

select scale_questions.question_id, spellings.spelling as raw_value
from scale_questions, spellings
