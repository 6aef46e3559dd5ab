-- Every campaign of each structure (or of one, $code): the global and engagement scores with
-- the questionnaire version, up to a campaign ($campagne null: all). What the structure
-- report's history and its comparison with the structure's own most recent campaign read.
select
    campagne,
    code_structure,
    version,
    level,
    unit,
    engagement,
    title,
    points,
    applicable,
    missing,
    n_questions,
    rate
from retained_scores
where level in ('global', 'engagement')
    and ($code is null or code_structure = $code)
    and ($campagne is null or campagne <= $campagne)
order by code_structure, campagne, level_order, position
