-- Theme scores of each structure of a network in a campaign ($campagne, $reseau) at its most
-- recent earlier campaign (its own history, whatever network it answered in then), with that
-- campaign's questionnaire version. A structure with no earlier campaign has no row. What
-- the network report's « S'inspirer de » compares the campaign's theme rates with.
with current_structures as (
    select code_structure
    from retained_submissions
    where campagne = $campagne
        and reseau = $reseau
),

latest_earlier as (
    select
        retained_submissions.code_structure,
        max(retained_submissions.campagne) as campagne
    from retained_submissions
    inner join current_structures using (code_structure)
    where retained_submissions.campagne < $campagne
    group by retained_submissions.code_structure
)

select
    retained_scores.campagne,
    retained_scores.code_structure,
    retained_scores.version,
    retained_scores.unit,
    retained_scores.engagement,
    retained_scores.applicable,
    retained_scores.n_questions,
    retained_scores.rate
from retained_scores
inner join latest_earlier using (code_structure, campagne)
where retained_scores.level = 'theme'
order by retained_scores.code_structure, retained_scores.position
