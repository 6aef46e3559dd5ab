-- The retained submission of each (structure, campaign) is its latest one, and there is
-- exactly one.
with latest as (
    select code_structure, campagne, max(date_enregistrement) as latest_date
    from submissions
    group by code_structure, campagne
),

retained as (
    select code_structure, campagne, count(*) as n_retained, max(date_enregistrement) as retained_date
    from retained_submissions
    group by code_structure, campagne
)

select latest.code_structure, latest.campagne, latest.latest_date, retained.retained_date, retained.n_retained
from latest
left join retained using (code_structure, campagne)
where retained.n_retained is distinct from 1 or retained.retained_date <> latest.latest_date
