-- What score_submissions.sql scores while a file is loaded: the answers of its new
-- submissions, read from the staged tables (cheaper than re-reading what the open
-- transaction has just written).
create or replace temp view scoring_input as
select
    new_submissions.submission_id,
    staged_answers.version,
    staged_answers.question_id,
    staged_answers.status,
    staged_answers.label,
    staged_answers.n_selected
from new_submissions
inner join staged_answers using (row_no)
