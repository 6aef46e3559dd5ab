-- The action plans followed up at a campaign ($campagne; one structure with $code, or all):
-- for each structure with a retained submission then, its latest retained plan of an earlier
-- campaign, one row per action the team filled in. What « Suivi du plan d'action » reads.
with answered_now as (
    select code_structure, reseau, version
    from retained_submissions
    where campagne = $campagne
        and ($code is null or code_structure = $code)
),

latest as (
    select
        plans.*,
        row_number() over (partition by plans.code_structure order by plans.campagne desc) as recency
    from plans
    inner join answered_now using (code_structure)
    where plans.superseded_by is null
        and plans.campagne < $campagne
)

select
    latest.code_structure,
    answered_now.reseau,
    latest.campagne as plan_campagne,
    latest.version as plan_version,
    answered_now.version,
    latest.plan_id,
    latest.file_name,
    actions.row_no,
    actions.question_id,
    actions.answer as plan_answer,
    actions.action,
    actions.pilote,
    actions.echeance,
    actions.statut,
    actions.commentaire
from latest
inner join answered_now using (code_structure)
inner join plan_actions as actions using (plan_id)
where latest.recency = 1
order by latest.code_structure, actions.row_no
