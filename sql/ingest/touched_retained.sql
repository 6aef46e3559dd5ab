-- Submissions currently retained for the (structure, campaign) pairs of the files being loaded.
with touched as (
    select distinct code_structure, campagne
    from staged_rows
    inner join row_keys using (file_no, row_no)
)

select retained_submissions.submission_id
from retained_submissions
inner join touched using (code_structure, campagne)
