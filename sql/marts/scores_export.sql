-- The scores export contract (scores-export.md): one row per (retained submission, level,
-- unit), rates unrounded, empty where nothing is applicable.
select
    campagne,
    safe_cell(code_structure) as code_structure,
    level,
    unit,
    points,
    applicable,
    missing,
    rate
from retained_scores
where ($campagne is null or campagne = $campagne)
    and ($reseau is null or reseau = $reseau)
order by campagne, code_structure, level_order, position
