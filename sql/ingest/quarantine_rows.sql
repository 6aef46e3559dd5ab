-- Invalid rows of the file being loaded, kept whole with their problems ($problems: a list of
-- {row_no, messages}) for later review: every known column the file has ($columns), then the
-- file's unknown columns.
insert into quarantine
with problems as (
    select unnest($problems, recursive := true)
),

cells as (
    from (select * exclude (record) from raw_rows)
    unpivot include nulls (cell for column_name in (columns(* exclude (row_no))))
),

row_values as (
    select
        row_no,
        map_concat(map(list(column_name), list(cell)), any_value(raw_extra_cells.extra_cells)) as row_values
    from cells
    inner join raw_extra_cells using (row_no)
    where list_contains($columns, cells.column_name)
    group by row_no
)

select
    $sha256 as file_sha256,
    $file_name as file_name,
    problems.row_no,
    problems.messages,
    row_values.row_values,
    current_timestamp::timestamp as quarantined_at
from problems
inner join row_values using (row_no)
