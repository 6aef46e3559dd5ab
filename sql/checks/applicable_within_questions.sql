-- Applicable plus missing answers never exceed the questions of the unit, and points never
-- exceed the applicable questions.
select scores.submission_id, scores.unit, scores.points, scores.applicable, scores.missing, units.n_questions
from scores
inner join submissions using (submission_id)
inner join referentiel_units as units
    on units.version = submissions.version
    and units.level = scores.level
    and units.unit = scores.unit
where scores.applicable + scores.missing > units.n_questions
    or scores.points > scores.applicable
    or scores.points < 0
