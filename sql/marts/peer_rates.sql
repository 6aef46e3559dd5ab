-- The global and engagement rates of a campaign's retained submissions, with what places each
-- structure in its peer groups (typologie, agents in contact with users): the peer medians.
select
    typologie,
    nb_agents_interaction,
    level,
    unit,
    rate
from retained_scores
where
    campagne = $campagne
    and level in ('global', 'engagement')
    and rate is not null
order by code_structure, level_order, position
