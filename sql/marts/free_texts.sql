-- Free-text answers (points forts, besoin d'appui) of the retained submissions, with the
-- questionnaire version their engagement number belongs to.
select
    retained_submissions.campagne,
    retained_submissions.code_structure,
    retained_submissions.nom_structure,
    retained_submissions.reseau,
    retained_submissions.version,
    free_texts.engagement,
    free_texts.field,
    free_texts.text
from retained_submissions
inner join free_texts using (submission_id)
where ($campagne is null or retained_submissions.campagne = $campagne)
    and ($reseau is null or retained_submissions.reseau = $reseau)
    and ($code is null or retained_submissions.code_structure = $code)
order by retained_submissions.campagne, free_texts.engagement, free_texts.field,
    retained_submissions.code_structure
