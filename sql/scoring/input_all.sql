-- What score_submissions.sql scores: every stored submission (a full rescore).
create or replace temp view scoring_input as
select answer_sets.submission_id, submissions.version, answer_sets.codes
from answer_sets
inner join submissions using (submission_id)
