-- The points of each question of one retained submission (by structure and campaign), as the
-- scoring counts them: null when not applicable or empty. What a change is split from.
with retained as (
    select submission_id, version
    from retained_submissions
    where code_structure = $code and campagne = $campagne
)

select
    questions.question_id,
    questions.engagement,
    questions.theme_id,
    answers.status,
    case
        when answers.code >= 16 then multi_points(answers.code, questions.thresholds)
        else scale_levels.points
    end as points
from retained
inner join answers using (submission_id)
inner join referentiel_questions as questions
    on questions.version = retained.version
    and questions.question_id = answers.question_id
left join scale_levels on questions.kind = 'scale' and scale_levels.code = answers.code
order by questions.position
