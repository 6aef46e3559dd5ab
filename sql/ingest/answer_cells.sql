-- Every distinct cell of each question column of the file being loaded (null included):
-- exports repeat a few dozen distinct cells millions of times, so normalise_cells.sql reads
-- each text once. `distinct_cells`: one `select distinct` per question column (wide_sql.py).
create or replace temp table answer_cells as
{{distinct_cells}}
