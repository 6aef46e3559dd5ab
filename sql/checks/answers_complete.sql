-- Every submission has exactly one answer set, with one valid code per question of its
-- questionnaire.
with sets as (
    select submission_id, count(*) as n_sets, any_value(codes) as codes
    from answer_sets
    group by submission_id
),

questionnaires as (
    select version, count(*) as n_questions
    from referentiel_questions
    group by version
)

select submissions.submission_id, sets.n_sets, len(sets.codes) as n_answers, q.n_questions
from submissions
inner join questionnaires as q using (version)
left join sets using (submission_id)
where sets.n_sets is distinct from 1
    or len(sets.codes) <> q.n_questions
    or len(list_filter(sets.codes, lambda c: c is null or c < 0 or (c between 6 and 15))) > 0
