-- The actions of the loaded plans, with their plan (structure, campaign, file, when loaded) and
-- whether it is the retained plan of its structure and campaign or a superseded one ($tous:
-- superseded plans too). Filters are optional: a null parameter keeps everything.
select
    plans.code_structure,
    plans.campagne,
    submissions.reseau,
    plans.version,
    plans.plan_id,
    plans.file_name,
    plans.sha256,
    plans.loaded_at,
    plans.superseded_by is null as retained,
    plans.superseded_by,
    actions.row_no,
    actions.question_id,
    actions.answer,
    actions.action,
    actions.pilote,
    actions.echeance,
    actions.statut,
    actions.commentaire
from plans
inner join plan_actions as actions using (plan_id)
left join retained_submissions as submissions using (code_structure, campagne)
where ($tous or plans.superseded_by is null)
    and ($campagne is null or plans.campagne = $campagne)
    and ($reseau is null or submissions.reseau = $reseau)
    and ($code is null or plans.code_structure = $code)
order by plans.code_structure, plans.campagne, plans.plan_id, actions.row_no
