-- What score_submissions.sql scores: every answer in the database (a full rescore).
create or replace temp view scoring_input as
select
    answers.submission_id,
    submissions.version,
    answers.question_id,
    answers.status,
    answers.label,
    answers.n_selected
from answers
inner join submissions using (submission_id)
