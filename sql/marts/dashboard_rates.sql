-- The global and engagement rates of every retained submission, each campaign: the dashboard's
-- structure list (read keyed by campaign and code, in no particular order).
select
    campagne,
    code_structure,
    version,
    level,
    engagement,
    rate
from retained_scores
where level in ('global', 'engagement')
