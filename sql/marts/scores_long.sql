-- Every score of the retained submissions, with the structure's identity and the unit's
-- title: the table behind the Python API, the reports and the scores export.
-- Filters are optional: a null parameter keeps everything.
with retained as (
    select *
    from retained_submissions
    where ($campagne is null or campagne = $campagne)
        and ($reseau is null or reseau = $reseau)
        and ($code is null or code_structure = $code)
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
inner join referentiel_units as units
    on units.version = retained.version
    and units.level = scores.level
    and units.unit = scores.unit
order by retained.campagne, retained.code_structure, units.level_order, units.position
