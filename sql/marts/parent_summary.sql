-- A network's rates by parent structure (level N above its sites, from the open-data structures
-- export), by the rule used everywhere: a parent's rate is the mean of its sites' rates (global
-- and each engagement), over the sites with a rate. Sites without a parent are left out.
select
    known_structures.code_parent,
    any_value(coalesce(known_structures.nom_parent, known_structures.code_parent)) as nom_parent,
    retained_scores.level,
    retained_scores.unit,
    retained_scores.engagement,
    count(distinct retained_scores.code_structure) as n_sites,
    count(retained_scores.rate) as n_rated,
    avg(retained_scores.rate) as mean,
    median(retained_scores.rate) as median
from retained_scores
inner join known_structures on known_structures.code = retained_scores.code_structure
where retained_scores.campagne = $campagne
    and retained_scores.reseau = $reseau
    and retained_scores.level in ('global', 'engagement')
    and known_structures.code_parent is not null
group by known_structures.code_parent, retained_scores.level, retained_scores.unit, retained_scores.engagement
order by known_structures.code_parent asc, retained_scores.level desc, retained_scores.engagement asc
