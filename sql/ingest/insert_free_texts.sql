insert into free_texts
with cells as (
    from (select file_no, row_no, columns('^E[0-9]+_(points_forts|besoin_appui)$') from run_rows)
    unpivot (text for column_name in (columns('^E[0-9]+_(points_forts|besoin_appui)$')))
)

select
    new_submissions.submission_id,
    regexp_extract(cells.column_name, '^E([0-9]+)_', 1)::integer as engagement,
    regexp_extract(cells.column_name, '^E[0-9]+_(.+)$', 1) as field,
    trim(cells.text) as text
from new_submissions
inner join cells using (file_no, row_no)
where trim(cells.text) <> ''
