-- Every submission has exactly one answer per question of its questionnaire.
select submissions.submission_id, count(answers.question_id) as n_answers, any_value(q.n_questions) as n_questions
from submissions
inner join (select version, count(*) as n_questions from referentiel_questions group by version) as q using (version)
left join answers using (submission_id)
group by submissions.submission_id
having count(answers.question_id) <> any_value(q.n_questions)
    or count(distinct answers.question_id) <> count(answers.question_id)
