-- Mean and spread of the points of every applicable, answered question of one network's
-- retained submissions for one campaign (null when not applicable or empty, as scored):
-- what the funnel plot's control limits are drawn from.
with retained as (
    select submission_id, version
    from retained_submissions
    where campagne = $campagne and reseau = $reseau
),

question_points as (
    select
        question_points(answers.code, questions.thresholds, scale_levels.points) as points
    from retained
    inner join answers using (submission_id)
    inner join referentiel_questions as questions
        on questions.version = retained.version
        and questions.question_id = answers.question_id
    left join scale_levels on questions.kind = 'scale' and scale_levels.code = answers.code
)

select
    count(points) as n_points,
    avg(points) as mean_points,
    stddev_pop(points) as sd_points
from question_points
