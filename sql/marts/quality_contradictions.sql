-- Answer-quality flag « contradiction »: a retained submission whose answers to two questions
-- contradict each other, for the pairs of data/referentiels/contradictions.csv (parallel lists:
-- $pair_version, $pair_question, $pair_label, $pair_other, $pair_other_label, $pair_other_absent,
-- $pair_reason). A pair fires when the first question got $pair_label and the other question
-- either got $pair_other_label (a scale answer) or, for a multiple choice ($pair_other_absent,
-- options joined by |), was answered with none of those options ticked.
with pairs as (
    select
        unnest($pair_version::varchar[]) as version,
        unnest($pair_question::varchar[]) as question_id,
        unnest($pair_label::varchar[]) as label,
        unnest($pair_other::varchar[]) as other_id,
        unnest($pair_other_label::varchar[]) as other_label,
        unnest($pair_other_absent::varchar[]) as other_absent,
        unnest($pair_reason::varchar[]) as reason
),

scoped as (
    select submission_id, campagne, reseau, code_structure, nom_structure, version
    from retained_submissions
    where ($campagne is null or campagne = $campagne)
        and ($reseau is null or reseau = $reseau)
),

-- The answers to the paired questions only, read once (the answers view unnests every list).
paired_answers as materialized (
    select answers.submission_id, answers.question_id, answers.status, answers.label
    from answers
    inner join scoped using (submission_id)
    where answers.question_id in (
        select question_id from pairs
        union
        select other_id from pairs
    )
),

firing as (
    select
        scoped.*,
        pairs.question_id,
        pairs.label,
        pairs.other_id,
        pairs.reason,
        other.label as other_answer
    from scoped
    inner join pairs using (version)
    inner join paired_answers as first
        on first.submission_id = scoped.submission_id
        and first.question_id = pairs.question_id
    inner join paired_answers as other
        on other.submission_id = scoped.submission_id
        and other.question_id = pairs.other_id
    where first.label = pairs.label
        and (
            (pairs.other_absent is null and other.label = pairs.other_label)
            or (pairs.other_absent is not null and other.status = 'answered'
                and not list_has_any(string_split(other.label, '|'), string_split(pairs.other_absent, '|')))
        )
),

questions as (
    select version, question_id, engagement, position
    from referentiel_questions
)

select
    firing.campagne,
    firing.reseau,
    firing.code_structure,
    firing.nom_structure,
    'contradiction' as flag,
    questions.engagement,
    null::double as value,
    null::double as threshold,
    firing.question_id || ' « ' || firing.label || ' », '
        || firing.other_id || ' « '
        || case when firing.other_answer = '' then 'Aucun' else replace(firing.other_answer, '|', ', ') end
        || ' » : '
        || firing.reason as detail
from firing
inner join questions using (version, question_id)
order by firing.campagne, firing.reseau, firing.code_structure, questions.position, firing.other_id
