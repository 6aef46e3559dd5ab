-- Theme scores of one network's structures in one campaign ($campagne, $reseau), with the
-- structure's name and the unit's question count: the « S'inspirer de » candidates of a theme.
select
    campagne,
    code_structure,
    nom_structure,
    reseau,
    version,
    level,
    unit,
    engagement,
    title,
    n_questions,
    applicable,
    rate
from retained_scores
where campagne = $campagne
    and reseau = $reseau
    and level = 'theme'
order by code_structure, position
