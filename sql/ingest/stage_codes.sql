-- The answer codes of the rows of the files being loaded whose campaign uses questionnaire
-- $version: one list per row, one code per question in questionnaire order, null where the
-- cell is invalid (answer_problems.sql names it). Each cell is looked up among the distinct
-- cells normalised by normalise_cells.sql: `answer_codes` holds one lookup per question
-- and `cell_joins` the joins of the questions with many distinct cells (wide_sql.py).
insert into staged_codes
select
    raw_rows.file_no,
    raw_rows.row_no,
    $version as version,
    [{{answer_codes}}]::usmallint[] as codes
from (
    select run_rows.*
    from run_rows
    semi join (select file_no, row_no from staged_rows where version = $version) as chosen using (file_no, row_no)
) as raw_rows
{{cell_joins}}
