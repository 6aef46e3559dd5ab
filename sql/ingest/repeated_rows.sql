-- Rows that repeat an earlier row of the same file, with that earlier row (a submission
-- repeated in another file of the run is simply already present there).
select row_keys.file_no, row_keys.row_no, min(earlier.row_no) as first_row_no
from row_keys
inner join row_keys as earlier
    on earlier.file_no = row_keys.file_no
    and earlier.submission_key = row_keys.submission_key
    and earlier.row_no < row_keys.row_no
group by row_keys.file_no, row_keys.row_no
order by row_keys.file_no, row_keys.row_no
