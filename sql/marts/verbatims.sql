-- Free-text answers of the retained submissions, for researchers (`export verbatims`): one row
-- per structure, engagement and field.
select
    campagne as campaign,
    reseau as network,
    code_structure as code,
    nom_structure as name,
    version,
    engagement,
    field,
    text
from retained_free_texts
where ($campagne is null or campagne = $campagne)
    and ($reseau is null or reseau = $reseau)
    and ($code is null or code_structure = $code)
order by campagne, code_structure, engagement, field
