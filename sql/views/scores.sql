-- Every stored score, one row per (submission, level, unit), rates unrounded in percent.
create or replace view scores as
select
    score_sets.submission_id,
    units.level,
    units.unit,
    units.engagement,
    score_sets.points[units.unit_index] as points,
    score_sets.applicable[units.unit_index] as applicable,
    score_sets.missing[units.unit_index] as missing,
    score_sets.rate[units.unit_index] as rate
from score_sets
inner join submissions using (submission_id)
inner join referentiel_units as units using (version)
