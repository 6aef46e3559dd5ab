-- Every score of the retained submissions, with identity and titles: the table behind the
-- Python API and the reports. Filters are optional: a null parameter keeps everything.
select * exclude (level_order, position)
from retained_scores
where ($campagne is null or campagne = $campagne)
    and ($reseau is null or reseau = $reseau)
    and ($code is null or code_structure = $code)
order by campagne, code_structure, level_order, position
