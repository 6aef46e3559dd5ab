-- Every distinct cell of each question column of the files being loaded (run_rows, null included):
-- exports repeat a few dozen distinct cells millions of times, so normalise_cells.sql reads
-- each text once.
create or replace temp table answer_cells as
select distinct question_id, raw_value
from (select columns('^E[0-9]+_Q[0-9]+$') from run_rows)
unpivot include nulls (raw_value for question_id in (columns(*)))
