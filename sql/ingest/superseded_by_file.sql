-- Submissions that the files being loaded left superseded: new ones that are not the latest,
-- and ones retained before ($retained_before) that a newer submission now replaces; each
-- with the file of the run that brought the new submission in (file_no).
select
    submissions.code_structure,
    submissions.campagne,
    submissions.date_enregistrement as superseded_date,
    retained_submissions.date_enregistrement as retained_date,
    coalesce(new_superseded.file_no, new_retained.file_no) as file_no
from submissions
inner join retained_submissions using (code_structure, campagne)
left join new_submissions as new_superseded on new_superseded.submission_id = submissions.submission_id
left join new_submissions as new_retained on new_retained.submission_id = retained_submissions.submission_id
where submissions.submission_id <> retained_submissions.submission_id
    and (
        new_superseded.submission_id is not null
        or list_contains($retained_before, submissions.submission_id)
    )
order by submissions.code_structure, submissions.campagne, submissions.date_enregistrement
