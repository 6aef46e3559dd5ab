insert into answers
select
    new_submissions.submission_id,
    staged_answers.question_id,
    staged_answers.raw_value,
    staged_answers.status,
    staged_answers.label,
    staged_answers.n_selected
from new_submissions
inner join staged_answers using (row_no)
