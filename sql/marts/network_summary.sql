-- Distribution of the retained rates per campaign, questionnaire version, level and unit (a unit
-- code means something else in another version, so versions are never pooled), for each network
-- and for all networks together (reseau null = national): how many structures have a rate, mean,
-- quartiles, extremes and the percentage of structures under 50 % (0 to 100, like the rates); and
-- the coverage the rates rest on: questions asked, applicable and left empty (a global score
-- counts its engagements'); and, for information only, the mean rate with N/A counted as 0.
with scored as (
    select
        campagne,
        reseau,
        version,
        submission_id,
        level,
        unit,
        engagement,
        rate,
        points,
        applicable,
        missing,
        n_questions
    from retained_scores
    where ($campagne is null or campagne = $campagne)
),

engagement_totals as (
    select
        submission_id,
        sum(applicable) as applicable,
        sum(missing) as missing
    from scored
    where level = 'engagement'
    group by submission_id
),

retained_scores as (
    select
        scored.* replace (
            coalesce(scored.applicable, engagement_totals.applicable) as applicable,
            coalesce(scored.missing, engagement_totals.missing) as missing
        )
    from scored
    left join engagement_totals using (submission_id)
)

select
    campagne,
    reseau,
    version,
    level,
    unit,
    any_value(engagement) as engagement,
    count(*) as n_structures,
    count(rate) as n_rated,
    -- summed exactly, as decimals: a parallel sum of doubles changes its last digit from run
    -- to run, and the pages must not
    avg(rate::decimal(38, 12))::double as mean,
    quantile_cont(rate, 0.25) as q1,
    median(rate) as median,
    quantile_cont(rate, 0.75) as q3,
    min(rate) as min,
    max(rate) as max,
    100 * avg(case when rate < 50 then 1.0 when rate >= 50 then 0.0 end) as pct_below_50,
    count(*) filter (where rate < 50) as n_below_50,
    sum(n_questions) as n_asked,
    sum(applicable) as n_applicable,
    sum(missing) as n_missing,
    -- not the official rule: "non applicable" and empty answers counted as 0 point (engagements, themes)
    (
        avg((100.0 * coalesce(points, 0) / n_questions)::decimal(38, 12)) filter (where level <> 'global')
    )::double as mean_na_zero
from retained_scores
group by grouping sets ((campagne, reseau, version, level, unit), (campagne, version, level, unit))
order by campagne, reseau nulls first, version, level, unit
