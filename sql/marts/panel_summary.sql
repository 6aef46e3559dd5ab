-- Rates of the same structures across campaigns (a balanced panel): for one network (or every
-- network, $reseau null) and a list of campaigns, the structures with a retained submission in
-- every one of them (per unit, ``n_rated`` of them have a rate that campaign). Units are those
-- of each campaign's questionnaire: across versions, match them through the crosswalk. A change between two
-- campaigns read from here compares the same structures, never two populations.
with wanted as (
    select unnest($campagnes::integer[]) as campagne
),

in_scope as (
    select retained_submissions.*
    from retained_submissions
    inner join wanted using (campagne)
    where $reseau is null or retained_submissions.reseau = $reseau
),

panel as (
    select code_structure
    from in_scope
    group by code_structure
    having count(distinct campagne) = (select count(*) from wanted)
),

panel_scores as (
    select
        in_scope.campagne,
        in_scope.code_structure,
        in_scope.version,
        scores.level,
        scores.unit,
        scores.engagement,
        scores.rate
    from in_scope
    inner join panel using (code_structure)
    inner join scores using (submission_id)
)

select
    campagne,
    level,
    unit,
    any_value(engagement) as engagement,
    string_agg(distinct version, ', ' order by version) as version,
    (select count(*) from panel) as n_panel,
    count(rate) as n_rated,
    avg(rate::decimal(38, 12))::double as mean  -- exact sum: the same last digit every run
from panel_scores
group by campagne, level, unit
order by campagne, level, unit
