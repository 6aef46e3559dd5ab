-- Every answer of the retained submissions, one row per (submission, question), with the
-- structure's identity and the question's place: the answers table of the Parquet export.
select
    retained_submissions.campagne,
    retained_submissions.reseau,
    retained_submissions.code_structure,
    retained_submissions.submission_id,
    referentiel_questions.engagement,
    referentiel_questions.theme_id,
    answers.question_id,
    answers.status,
    answers.label,
    answers.n_selected
from retained_submissions
inner join answers using (submission_id)
inner join referentiel_questions
    on referentiel_questions.version = retained_submissions.version
    and referentiel_questions.question_id = answers.question_id
where ($campagne is null or retained_submissions.campagne = $campagne)
    and ($reseau is null or retained_submissions.reseau = $reseau)
order by retained_submissions.campagne, retained_submissions.code_structure, referentiel_questions.position
