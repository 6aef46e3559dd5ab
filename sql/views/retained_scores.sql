-- Every score of the retained submissions, with the structure's identity and the unit's
-- title and place in the report order: what the marts, the API and the export read.
create or replace view retained_scores as
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
    retained.version,
    scores.level,
    scores.unit,
    scores.engagement,
    units.title,
    units.heading,
    units.n_questions,
    scores.points,
    scores.applicable,
    scores.missing,
    scores.rate,
    units.level_order,
    units.position
from retained_submissions as retained
inner join scores using (submission_id)
inner join referentiel_units as units
    on units.version = retained.version
    and units.level = scores.level
    and units.unit = scores.unit
