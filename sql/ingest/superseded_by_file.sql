-- Submissions that the file being loaded left superseded: new ones that are not the latest,
-- and ones retained before ($retained_before) that a newer submission now replaces.
select
    submissions.code_structure,
    submissions.campagne,
    submissions.date_enregistrement as superseded_date,
    retained_submissions.date_enregistrement as retained_date
from submissions
inner join retained_submissions using (code_structure, campagne)
where submissions.submission_id <> retained_submissions.submission_id
    and (
        submissions.submission_id in (select submission_id from new_submissions)
        or list_contains($retained_before, submissions.submission_id)
    )
order by submissions.code_structure, submissions.campagne, submissions.date_enregistrement
