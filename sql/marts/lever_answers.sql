-- Every answer of some structures' retained submissions in one campaign ($campagne, $codes):
-- the question's place, text and theme, the answer as worded, its points (null when not
-- applicable or empty), and the structure's network and typologie. What the improvement
-- levers of a structure are read from (autodiag.analysis.levers).
with retained as (
    select submission_id, code_structure, reseau, typologie, version
    from retained_submissions
    where campagne = $campagne
        and list_contains($codes, code_structure)
)

select
    retained.code_structure,
    retained.reseau,
    retained.typologie,
    retained.version,
    questions.position,
    questions.question_id,
    questions.engagement,
    questions.theme_id,
    questions.theme_title,
    questions.question,
    answers.status,
    case answers.status
        when 'answered' then coalesce(nullif(answers.label, ''), 'Aucun')
        when 'not_applicable' then 'Non applicable'
    end as answer,
    question_points(answers.code, questions.thresholds, scale_levels.points) as points
from retained
inner join answers using (submission_id)
inner join referentiel_questions as questions
    on questions.version = retained.version
    and questions.question_id = answers.question_id
left join scale_levels on questions.kind = 'scale' and scale_levels.code = answers.code
order by retained.code_structure, questions.position
