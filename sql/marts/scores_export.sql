-- The scores export contract (scores-export.md): one row per (retained submission, level,
-- unit), rates unrounded, empty where nothing is applicable.
with retained as (
    select submission_id, campagne, code_structure, version
    from retained_submissions
    where ($campagne is null or campagne = $campagne)
        and ($reseau is null or reseau = $reseau)
),

unit_order as (
    select version, theme_id as unit, min(position) as position
    from referentiel_questions
    group by version, theme_id
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
left join unit_order
    on unit_order.version = retained.version
    and unit_order.unit = scores.unit
order by
    retained.campagne,
    retained.code_structure,
    case scores.level when 'global' then 0 when 'engagement' then 1 else 2 end,
    scores.engagement,
    unit_order.position
