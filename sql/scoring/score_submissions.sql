-- Scores of the submissions in scoring_input (input_staged.sql: the file being loaded;
-- input_all.sql: everything) whose questionnaire is $version, one row per submission:
-- question points -> themes -> engagements -> global, every rate unrounded, each level a list
-- in report order. Non-applicable and empty answers are left out of every denominator; an
-- engagement rate pools its questions (not the mean of its themes); the global rate is the
-- mean of the engagement rates that exist, added in engagement order.
-- One column per question, theme and engagement (fragments from wide_sql.score_fragments):
-- plain arithmetic along the row, where list lambdas per submission cost 2.5x more.
-- $scale_points gives the points of each scale code (index 1 = code 0); codes from 16 up are
-- multiple choices (schema.sql), scored by their question's $thresholds_N.
insert into score_sets
with staging as (
    select
        submission_id,
        {{question_codes}}
    from scoring_input
    where version = $version
),

points as (
    -- per question: the answer's points, null when not applicable or empty
    select
        *,
        {{question_points}}
    from staging
),

themes as (
    -- per theme: points, applicable questions, empty answers
    select
        submission_id,
        {{theme_sums}}
    from points
),

engagements as (
    -- per engagement: the sums of its themes' sums
    select
        *,
        {{engagement_sums}}
    from themes
),

rated as (
    -- points over applicable questions, in percent; null when none applies
    select
        *,
        {{rates}}
    from engagements
)

-- In report order: global, engagements, themes (referentiel_units.unit_index).
select
    submission_id,
    {{score_lists}}
from rated
