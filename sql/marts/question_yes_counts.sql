-- Per question of a campaign ($campagne): how many structures answered it (applicable) and how
-- many of them reached its full point (« Oui », or enough options ticked), per typologie (every
-- network) and per network. How common an improvement lever is among comparable structures.
with answered as (
    select
        retained_submissions.reseau,
        retained_submissions.typologie,
        retained_submissions.version,
        questions.question_id,
        question_points(answers.code, questions.thresholds, scale_levels.points) as points
    from retained_submissions
    inner join answers using (submission_id)
    inner join referentiel_questions as questions
        on questions.version = retained_submissions.version
        and questions.question_id = answers.question_id
    left join scale_levels on questions.kind = 'scale' and scale_levels.code = answers.code
    where retained_submissions.campagne = $campagne
        and answers.status = 'answered'
),

by_typologie as (
    select
        'typologie' as grouping,
        typologie as grouped,
        version,
        question_id,
        count(*) as n_answered,
        count(*) filter (where points >= 1) as n_yes
    from answered
    where typologie is not null
    group by typologie, version, question_id
),

by_network as (
    select
        'reseau' as grouping,
        reseau as grouped,
        version,
        question_id,
        count(*) as n_answered,
        count(*) filter (where points >= 1) as n_yes
    from answered
    group by reseau, version, question_id
)

select * from by_typologie
union all
select * from by_network
order by grouping, grouped, version, question_id
