-- Data quality per question: how the retained submissions answered it (answered,
-- not applicable, empty), per campaign, network and questionnaire version (a question code means
-- another question in another version).
select
    retained_submissions.campagne,
    retained_submissions.reseau,
    retained_submissions.version,
    questions.engagement,
    questions.theme_id,
    answers.question_id,
    any_value(questions.question) as question,
    count(*) as n_submissions,
    count(*) filter (where answers.status = 'answered') as n_answered,
    count(*) filter (where answers.status = 'not_applicable') as n_not_applicable,
    count(*) filter (where answers.status = 'missing') as n_missing
from retained_submissions
inner join answers using (submission_id)
inner join referentiel_questions as questions
    on questions.version = retained_submissions.version
    and questions.question_id = answers.question_id
where ($campagne is null or retained_submissions.campagne = $campagne)
    and ($reseau is null or retained_submissions.reseau = $reseau)
group by all
order by retained_submissions.campagne, retained_submissions.reseau, min(questions.position)
