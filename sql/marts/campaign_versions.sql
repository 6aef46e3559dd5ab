-- The questionnaire version of each campaign's retained submissions (one network, or all with
-- $reseau null), with how many structures answered it.
select
    campagne,
    version,
    count(*) as n_structures
from retained_submissions
where $reseau is null or reseau = $reseau
group by campagne, version
order by campagne, version
