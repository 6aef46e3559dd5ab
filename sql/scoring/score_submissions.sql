-- Scores of the submissions in scoring_input (input_staged.sql: the file being loaded;
-- input_all.sql: everything) whose questionnaire is $version, one row per submission:
-- question points -> themes -> engagements -> global, every rate unrounded, each level a list
-- in questionnaire order. Non-applicable and empty answers are left out of every
-- denominator; an engagement rate pools its questions (not the mean of its themes); the
-- global rate is the mean of the engagement rates that exist, added in engagement order.
-- The questionnaire comes as lists ($thresholds: per question; $theme_questions: per theme,
-- its question positions; $engagement_themes: per engagement, its theme numbers) and
-- $scale_points gives the points of each scale code (index 1 = code 0); codes from 16 up are
-- multiple choices (schema.sql).
insert into score_sets
with staging as (
    select submission_id, codes
    from scoring_input
    where version = $version
),

points as (
    -- per question: the answer's points, null when not applicable or empty
    select
        submission_id,
        codes,
        list_transform(codes, lambda code, i: case
            when code >= 16 then multi_points(code, ($thresholds::struct(min_count integer, points double)[][])[i])
            else $scale_points[code + 1]
        end) as points
    from staging
),

theme_answers as (
    select
        submission_id,
        list_transform($theme_questions, lambda questions: list_select(points, questions)) as points,
        list_transform($theme_questions, lambda questions: list_select(codes, questions)) as codes
    from points
),

themes as (
    -- per theme: points, applicable questions, empty answers
    select
        submission_id,
        list_transform(points, lambda answers: coalesce(list_sum(answers), 0.0)) as points,
        list_transform(points, lambda answers: list_count(answers)::usmallint) as applicable,
        list_transform(codes, lambda answers: len(list_filter(answers, lambda code: code = 0))::usmallint) as missing
    from theme_answers
),

engagements as (
    -- per engagement: the sums of its themes' sums
    select
        submission_id,
        themes.points as theme_points,
        themes.applicable as theme_applicable,
        themes.missing as theme_missing,
        list_transform($engagement_themes, lambda t: list_sum(list_select(themes.points, t))) as points,
        list_transform($engagement_themes, lambda t: list_sum(list_select(themes.applicable, t))::usmallint) as applicable,
        list_transform($engagement_themes, lambda t: list_sum(list_select(themes.missing, t))::usmallint) as missing
    from themes
),

rated as (
    -- points over applicable questions, in percent; null when none applies
    select
        *,
        list_transform(points, lambda p, i: 100.0 * p / nullif(applicable[i], 0)) as rates,
        list_transform(theme_points, lambda p, i: 100.0 * p / nullif(theme_applicable[i], 0)) as theme_rates
    from engagements
)

-- In report order: global, engagements, themes (referentiel_units.unit_index).
select
    submission_id,
    list_concat([null::double], points, theme_points) as points,
    list_concat([null::usmallint], applicable, theme_applicable) as applicable,
    list_concat([null::usmallint], missing, theme_missing) as missing,
    list_concat([list_sum(rates) / nullif(list_count(rates), 0)], rates, theme_rates) as rate
from rated
