-- Every answer of the retained submissions, one row per (submission, question), for
-- researchers (API answers(), `export answers`): the question's text, the answer as worded in
-- the questionnaire, its points, and whether it counts in the denominators (empty and
-- « Non applicable » answers do not). Filters are optional: a null parameter keeps everything.
select
    retained_submissions.campagne as campaign,
    retained_submissions.reseau as network,
    retained_submissions.code_structure as code,
    retained_submissions.version,
    retained_submissions.submission_id,
    questions.engagement,
    questions.theme_id as theme,
    answers.question_id,
    questions.question,
    answers.status,
    case answers.status
        when 'answered' then coalesce(nullif(answers.label, ''), 'Aucun')
        when 'not_applicable' then 'Non applicable'
    end as answer,
    question_points(answers.code, questions.thresholds, scale_levels.points) as points,
    answers.status = 'answered' as applicable
from retained_submissions
inner join answers using (submission_id)
inner join referentiel_questions as questions
    on questions.version = retained_submissions.version
    and questions.question_id = answers.question_id
left join scale_levels on questions.kind = 'scale' and scale_levels.code = answers.code
where ($campagne is null or retained_submissions.campagne = $campagne)
    and ($reseau is null or retained_submissions.reseau = $reseau)
    and ($code is null or retained_submissions.code_structure = $code)
order by retained_submissions.campagne, retained_submissions.code_structure, questions.position
