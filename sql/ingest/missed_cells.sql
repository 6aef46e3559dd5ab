-- The cells of questionnaire $version's questions that answer_cells.sql and multi_cells.sql
-- did not cover, in the rows to code (the rows left with a hole in their codes): each
-- distinct one, to be read by normalise_cells.sql.
create or replace temp table answer_cells as
with cells as (
    from (
        select columns('^E[0-9]+_Q[0-9]+$')
        from run_rows
        semi join rows_to_code using (file_no, row_no)
    )
    unpivot include nulls (raw_value for question_id in (columns(*)))
),

questions as (
    select question_id
    from referentiel_questions
    where version = $version
)

select distinct cells.question_id, cells.raw_value
from cells
semi join questions using (question_id)
where not exists (
    select 1
    from cell_answers
    where cell_answers.version = $version
        and cell_answers.question_id = cells.question_id
        and cell_answers.raw_value is not distinct from cells.raw_value
)
