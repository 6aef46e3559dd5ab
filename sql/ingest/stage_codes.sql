-- The answer codes of the rows to code (rows_to_code.sql) as answers to questionnaire
-- $version: one list per row, one code per question in questionnaire order, null where the
-- cell is invalid (answer_problems.sql names it) or not read yet (missed_cells.sql). Each
-- cell is looked up among the cells normalised by normalise_cells.sql: `answer_codes` holds
-- one lookup per question and `cell_joins` the joins of the questions with many distinct
-- cells (wide_sql.py).
insert into staged_codes
select
    raw_rows.file_no,
    raw_rows.row_no,
    $version as version,
    [{{answer_codes}}]::usmallint[] as codes
from (
    select run_rows.*
    from run_rows
    semi join rows_to_code using (file_no, row_no)
) as raw_rows
{{cell_joins}}
