-- Answer-quality flag « réponses identiques » (straight-lining): a retained submission whose
-- answered scale questions (Non, Initié, Partiellement, Oui; codes 2 to 5) all got the same
-- answer, with at least $min_answered of them answered (fewer prove nothing). One row per flag.
with scoped as (
    select submission_id, campagne, reseau, code_structure, nom_structure
    from retained_submissions
    where ($campagne is null or campagne = $campagne)
        and ($reseau is null or reseau = $reseau)
),

scale_answers as (
    select scoped.*, answers.code, answers.label
    from scoped
    inner join answers using (submission_id)
    where answers.code between 2 and 5
),

per_submission as (
    select
        campagne,
        reseau,
        code_structure,
        nom_structure,
        count(*) as n_answered,
        count(distinct code) as n_levels,
        any_value(label) as label
    from scale_answers
    group by all
)

select
    campagne,
    reseau,
    code_structure,
    nom_structure,
    'straight_lining' as flag,
    null::integer as engagement,
    n_answered::double as value,
    $min_answered::double as threshold,
    'les ' || n_answered || ' questions à échelle répondues ont toutes la réponse « '
        || label || ' »' as detail
from per_submission
where n_levels = 1 and n_answered >= $min_answered
order by campagne, reseau, code_structure
