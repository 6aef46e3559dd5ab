-- Free-text answers (points forts, besoin d'appui) of the retained submissions, with the
-- questionnaire version their engagement number belongs to: what every free-text mart reads.
create or replace view retained_free_texts as
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
