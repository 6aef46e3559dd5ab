-- Submissions currently retained for the (structure, campaign) pairs of the files being loaded.
select retained_submissions.submission_id
from retained_submissions
inner join (
    select distinct code_structure, campagne
    from staged_rows
    inner join row_keys using (file_no, row_no)
) as touched using (code_structure, campagne)
