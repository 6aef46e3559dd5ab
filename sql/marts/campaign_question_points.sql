-- The points of each question of retained submissions, as the scoring counts them (null when not
-- applicable or empty): what a change is split from. Given as pairs of structure and campaign
-- ($codes and $campagnes, zipped): one structure's two campaigns, or a batch of structure pages
-- (one read of the answers instead of two per page).
with wanted as (
    select unnest($codes) as code_structure, unnest($campagnes) as campagne
),

retained as (
    select
        retained_submissions.submission_id,
        retained_submissions.code_structure,
        retained_submissions.campagne,
        retained_submissions.version
    from retained_submissions
    inner join wanted using (code_structure, campagne)
)

select
    retained.code_structure,
    retained.campagne,
    retained.version,
    questions.question_id,
    questions.engagement,
    questions.theme_id,
    answers.status,
    question_points(answers.code, questions.thresholds, scale_levels.points) as points
from retained
inner join answers using (submission_id)
inner join referentiel_questions as questions
    on questions.version = retained.version
    and questions.question_id = answers.question_id
left join scale_levels on questions.kind = 'scale' and scale_levels.code = answers.code
order by retained.code_structure, retained.campagne, questions.position
