-- Distribution of the retained rates per campaign, level and unit, for each network and for
-- all networks together (reseau null = national): how many structures have a rate, mean,
-- quartiles, extremes and the percentage of structures under 50 % (0 to 100, like the rates).
with retained_scores as (
    select
        retained_submissions.campagne,
        retained_submissions.reseau,
        scores.level,
        scores.unit,
        scores.engagement,
        scores.rate
    from retained_submissions
    inner join scores using (submission_id)
    where ($campagne is null or retained_submissions.campagne = $campagne)
)

select
    campagne,
    reseau,
    level,
    unit,
    any_value(engagement) as engagement,
    count(*) as n_structures,
    count(rate) as n_rated,
    avg(rate) as mean,
    quantile_cont(rate, 0.25) as q1,
    median(rate) as median,
    quantile_cont(rate, 0.75) as q3,
    min(rate) as min,
    max(rate) as max,
    100 * avg(case when rate < 50 then 1.0 when rate >= 50 then 0.0 end) as pct_below_50
from retained_scores
group by grouping sets ((campagne, reseau, level, unit), (campagne, level, unit))
order by campagne, reseau nulls first, level, unit
