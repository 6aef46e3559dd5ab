-- Applicable plus missing answers never exceed the questions of the unit, and points never
-- exceed the applicable questions.
with questions as (
    select version, 'E' || engagement as unit, count(*) as n_questions
    from referentiel_questions
    group by version, engagement
    union all
    select version, theme_id, count(*)
    from referentiel_questions
    group by version, theme_id
)

select scores.submission_id, scores.unit, scores.points, scores.applicable, scores.missing, questions.n_questions
from scores
inner join submissions using (submission_id)
inner join questions using (version, unit)
where scores.applicable + scores.missing > questions.n_questions
    or scores.points > scores.applicable
    or scores.points < 0
