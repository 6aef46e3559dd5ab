-- Answer-quality flags « part inhabituelle de non applicable » and « part inhabituelle de réponses
-- vides »: a retained submission whose share of such answers (over all the questions of its
-- questionnaire, in %) is far above that of the other submissions of its network and campaign.
-- Threshold = the larger of Q3 + 1,5 × (Q3 − Q1) and the median + $min_gap points, from the
-- network's retained submissions of the campaign (itself included) when there are at least
-- $min_network of them, from all the campaign's retained submissions otherwise.
with shares as (
    select
        retained_submissions.campagne,
        retained_submissions.reseau,
        retained_submissions.code_structure,
        retained_submissions.nom_structure,
        count(*) as n_questions,
        count(*) filter (where answers.status = 'not_applicable') as n_not_applicable,
        count(*) filter (where answers.status = 'missing') as n_missing
    from retained_submissions
    inner join answers using (submission_id)
    where $campagne is null or retained_submissions.campagne = $campagne
    group by all
),

long as (
    select campagne, reseau, code_structure, nom_structure, n_questions,
        'not_applicable_share' as flag, n_not_applicable as n_flagged
    from shares
    union all
    select campagne, reseau, code_structure, nom_structure, n_questions,
        'missing_share' as flag, n_missing as n_flagged
    from shares
),

with_share as (
    select *, 100.0 * n_flagged / n_questions as share
    from long
),

network_reference as (
    select
        campagne,
        reseau,
        flag,
        count(*) as n_submissions,
        quantile_cont(share, 0.25) as q1,
        median(share) as median,
        quantile_cont(share, 0.75) as q3
    from with_share
    group by all
),

national_reference as (
    select
        campagne,
        flag,
        quantile_cont(share, 0.25) as q1,
        median(share) as median,
        quantile_cont(share, 0.75) as q3
    from with_share
    group by all
),

reference as (
    select
        network_reference.campagne,
        network_reference.reseau,
        network_reference.flag,
        network_reference.n_submissions >= $min_network as own_network,
        case when network_reference.n_submissions >= $min_network
            then network_reference.median else national_reference.median
        end as median,
        case when network_reference.n_submissions >= $min_network
            then network_reference.q1 else national_reference.q1
        end as q1,
        case when network_reference.n_submissions >= $min_network
            then network_reference.q3 else national_reference.q3
        end as q3
    from network_reference
    inner join national_reference using (campagne, flag)
),

thresholds as (
    select *, greatest(q3 + 1.5 * (q3 - q1), median + $min_gap) as threshold
    from reference
)

select
    with_share.campagne,
    with_share.reseau,
    with_share.code_structure,
    with_share.nom_structure,
    with_share.flag,
    null::integer as engagement,
    with_share.share as value,
    thresholds.threshold,
    with_share.n_flagged || ' réponse(s) '
        || case with_share.flag when 'not_applicable_share' then '« non applicable »' else 'vide(s)' end
        || ' sur ' || with_share.n_questions || ' questions ; médiane '
        || case when thresholds.own_network
            then 'du réseau'
            else 'nationale (réseau de moins de ' || $min_network || ' soumissions)'
        end
        || ' : ' || replace(round(thresholds.median::decimal(18, 6), 1)::varchar, '.', ',') || ' %' as detail
from with_share
inner join thresholds using (campagne, reseau, flag)
where with_share.share > thresholds.threshold
    and ($reseau is null or with_share.reseau = $reseau)
order by with_share.campagne, with_share.reseau, with_share.code_structure, with_share.flag
