-- What score_submissions.sql scores while files are loaded: the answer codes of their new
-- submissions, read from the staged tables (cheaper than re-reading what the open
-- transaction has just written).
create or replace temp view scoring_input as
select new_submissions.submission_id, staged_codes.version, staged_codes.codes
from new_submissions
inner join staged_codes using (file_no, row_no)
