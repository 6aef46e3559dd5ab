-- Exactly one retained submission per (structure, campaign) that has any.
select code_structure, campagne, count(*) filter (where retained) as n_retained
from (
    select submissions.code_structure, submissions.campagne,
        retained_submissions.submission_id is not null as retained
    from submissions
    left join retained_submissions using (submission_id)
)
group by code_structure, campagne
having count(*) filter (where retained) <> 1
