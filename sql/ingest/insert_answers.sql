insert into answer_sets
select new_submissions.submission_id, staged_codes.codes
from new_submissions
inner join staged_codes using (file_no, row_no)
