-- The scores export contract (scores-export.md): one row per (retained submission, level,
-- unit), rates unrounded, empty where nothing is applicable.
with retained as (
    select submission_id, campagne, code_structure, version
    from retained_submissions
    where ($campagne is null or campagne = $campagne)
        and ($reseau is null or reseau = $reseau)
)

select
    retained.campagne,
    safe_cell(retained.code_structure) as code_structure,
    scores.level,
    scores.unit,
    scores.points,
    scores.applicable,
    scores.missing,
    scores.rate
from retained
inner join scores using (submission_id)
inner join referentiel_units as units
    on units.version = retained.version
    and units.level = scores.level
    and units.unit = scores.unit
order by retained.campagne, retained.code_structure, units.level_order, units.position
