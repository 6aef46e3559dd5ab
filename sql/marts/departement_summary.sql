-- The mean global rate by département (from the postal code, known_structures), for a campaign,
-- nationally (reseau null) and per network: structures counted, structures with a rate, mean.
-- Structures whose département is unknown are counted under departement null.
select
    $campagne as campagne,
    retained_scores.reseau,
    known_structures.departement,
    count(*) as n_structures,
    count(retained_scores.rate) as n_rated,
    avg(retained_scores.rate) as mean
from retained_scores
left join known_structures on known_structures.code = retained_scores.code_structure
where retained_scores.campagne = $campagne and retained_scores.level = 'global'
group by
    grouping sets ((retained_scores.reseau, known_structures.departement), (known_structures.departement))
order by retained_scores.reseau nulls first, known_structures.departement nulls last
