-- Free-text answers (points forts, besoin d'appui) of the retained submissions, for
-- researchers (`export verbatims`): one row per structure, engagement and field.
select
    retained_submissions.campagne as campaign,
    retained_submissions.reseau as network,
    retained_submissions.code_structure as code,
    retained_submissions.nom_structure as name,
    retained_submissions.version,
    free_texts.engagement,
    free_texts.field,
    free_texts.text
from retained_submissions
inner join free_texts using (submission_id)
where ($campagne is null or retained_submissions.campagne = $campagne)
    and ($reseau is null or retained_submissions.reseau = $reseau)
    and ($code is null or retained_submissions.code_structure = $code)
order by retained_submissions.campagne, retained_submissions.code_structure, free_texts.engagement,
    free_texts.field
