-- Every submission has one score per unit of its questionnaire (global, engagements, themes).
with expected as (
    select version, count(*) as n_units
    from referentiel_units
    group by version
),

actual as (
    select submission_id, count(*) as n_units, count(distinct level || unit) as n_distinct
    from scores
    group by submission_id
)

select submissions.submission_id, expected.n_units as expected, actual.n_units as actual
from submissions
inner join expected using (version)
left join actual using (submission_id)
where actual.n_units is distinct from expected.n_units or actual.n_distinct <> actual.n_units
