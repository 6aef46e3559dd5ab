-- Every distinct cell of the multiple-choice columns ($questions) in the rows to code: option
-- lists come in too many orders and spellings to foresee, and these columns are few.
insert into answer_cells
select distinct question_id, raw_value
from (
    select columns(lambda name: list_contains($questions, name))
    from run_rows
    semi join rows_to_code using (file_no, row_no)
)
unpivot include nulls (raw_value for question_id in (columns(*)))
