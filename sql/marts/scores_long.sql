-- Every score of the retained submissions, with the structure's identity and the unit's
-- title: the table behind the Python API, the reports and the scores export.
-- Filters are optional: a null parameter keeps everything.
with retained as (
    select *
    from retained_submissions
    where ($campagne is null or campagne = $campagne)
        and ($reseau is null or reseau = $reseau)
        and ($code is null or code_structure = $code)
),

units as (
    select version, 'engagement' as level, 'E' || engagement as unit, engagement,
        any_value(engagement_title) as title, any_value(engagement_heading) as heading,
        count(*) as n_questions, min(position) as position
    from referentiel_questions
    group by version, engagement
    union all
    select version, 'theme', theme_id, engagement, any_value(theme_title), any_value(theme_title),
        count(*), min(position)
    from referentiel_questions
    group by version, engagement, theme_id
    union all
    select version, 'global', 'global', null, 'Taux d''atteinte global', 'Taux d''atteinte global',
        count(*), 0
    from referentiel_questions
    group by version
)

select
    retained.campagne,
    retained.code_structure,
    retained.nom_structure,
    retained.reseau,
    retained.typologie,
    retained.localisation,
    retained.date_enregistrement,
    retained.nb_agents_contributeurs,
    retained.nb_agents_interaction,
    retained.submission_id,
    scores.level,
    scores.unit,
    scores.engagement,
    units.title,
    units.heading,
    units.n_questions,
    scores.points,
    scores.applicable,
    scores.missing,
    scores.rate
from retained
inner join scores using (submission_id)
inner join units
    on units.version = retained.version
    and units.level = scores.level
    and units.unit = scores.unit
order by
    retained.campagne,
    retained.code_structure,
    case scores.level when 'global' then 0 when 'engagement' then 1 else 2 end,
    units.position
