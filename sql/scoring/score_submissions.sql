-- Scores of the answers in scoring_input (input_staged.sql: the file being loaded;
-- input_all.sql: everything): question points -> themes -> engagements -> global, every
-- rate unrounded. Non-applicable and empty answers are left out of every denominator; an
-- engagement rate pools its questions (not the mean of its themes); the global rate is the
-- mean of the engagement rates that exist.
insert into scores
with staging as (
    select
        scoring_input.submission_id,
        scoring_input.status,
        scoring_input.label,
        scoring_input.n_selected,
        questions.engagement,
        questions.theme_id,
        questions.kind,
        questions.thresholds
    from scoring_input
    inner join referentiel_questions as questions
        on questions.version = scoring_input.version
        and questions.question_id = scoring_input.question_id
),

points as (
    select
        staging.*,
        case
            when staging.status <> 'answered' then null
            when staging.kind = 'scale' then scale.points
            else coalesce(
                list_max(list_transform(
                    list_filter(staging.thresholds, lambda t: t.min_count <= staging.n_selected),
                    lambda t: t.points
                )),
                0.0
            )
        end as points
    from staging
    left join (select distinct label, points from scale_labels) as scale
        on staging.kind = 'scale' and scale.label = staging.label
),

themes as (
    select
        submission_id,
        'theme' as level,
        theme_id as unit,
        any_value(engagement) as engagement,
        coalesce(sum(points), 0.0) as points,
        count(points) as applicable,
        count(*) filter (where status = 'missing') as missing
    from points
    group by submission_id, theme_id
),

-- Sums of the theme sums: the engagement pools all its questions (points / applicable).
engagements as (
    select
        submission_id,
        'engagement' as level,
        'E' || engagement as unit,
        engagement,
        sum(points) as points,
        sum(applicable)::bigint as applicable,
        sum(missing)::bigint as missing
    from themes
    group by submission_id, engagement
),

rated as (
    select *, 100.0 * points / nullif(applicable, 0) as rate from themes
    union all
    select *, 100.0 * points / nullif(applicable, 0) as rate from engagements
),

global as (
    select
        submission_id,
        'global' as level,
        'global' as unit,
        null::integer as engagement,
        null::double as points,
        null::integer as applicable,
        null::integer as missing,
        -- Summed in engagement order: the same last digit whatever the threads do.
        sum(rate order by engagement) / count(rate) as rate
    from rated
    where level = 'engagement'
    group by submission_id
)

select submission_id, level, unit, engagement, points, applicable, missing, rate from rated
union all
select submission_id, level, unit, engagement, points, applicable, missing, rate from global
