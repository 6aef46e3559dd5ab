-- Scores of the submissions in scoring_input (input_staged.sql: the file being loaded;
-- input_all.sql: everything) whose questionnaire is $version, one row per submission:
-- question points -> themes -> engagements -> global, every rate unrounded. Non-applicable
-- and empty answers are left out of every denominator; an engagement rate pools its
-- questions (not the mean of its themes); the global rate is the mean of the engagement
-- rates that exist. Each `{{ }}` fragment is one expression per question, theme or engagement
-- of the questionnaire (wide_sql.py): a submission's scores are computed along its row.
insert into score_sets
with staging as (
    select submission_id, codes
    from scoring_input
    where version = $version
),

points as (
    -- p_<question>: the answer's points, null when not applicable or empty
    select submission_id, codes, {{question_points}}
    from staging
),

themes as (
    -- pts_, app_, mis_<theme>: points, applicable questions, empty answers
    select submission_id, {{theme_sums}}
    from points
),

engagements as (
    -- pts_, app_, mis_<engagement>: the sums of its themes' sums
    select *, {{engagement_sums}}
    from themes
),

rated as (
    -- rate_<unit>: points over applicable questions, in percent; null when none applies
    select *, {{unit_rates}}
    from engagements
),

global as (
    -- the mean of the engagement rates that exist, added in engagement order
    select *, {{global_rate}} as rate_global
    from rated
)

select
    submission_id,
    [{{points_list}}] as points,
    [{{applicable_list}}] as applicable,
    [{{missing_list}}] as missing,
    [{{rate_list}}] as rate
from global
