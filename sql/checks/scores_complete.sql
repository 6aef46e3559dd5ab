-- Every submission has exactly one score set, with one entry per unit of its questionnaire
-- (global, engagements, themes) in each list.
with expected as (
    select version, count(*) as n_units
    from referentiel_units
    group by version
),

sets as (
    select submission_id, count(*) as n_sets, any_value(score_sets) as scores
    from score_sets
    group by submission_id
)

select submissions.submission_id, expected.n_units as expected, len(sets.scores.rate) as actual, sets.n_sets
from submissions
inner join expected using (version)
left join sets using (submission_id)
where sets.n_sets is distinct from 1
    or len(sets.scores.rate) <> expected.n_units
    or len(sets.scores.points) <> expected.n_units
    or len(sets.scores.applicable) <> expected.n_units
    or len(sets.scores.missing) <> expected.n_units
