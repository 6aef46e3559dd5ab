-- Free-text answers of the retained submissions, for the reports.
select campagne, code_structure, nom_structure, reseau, version, engagement, field, text
from retained_free_texts
where ($campagne is null or campagne = $campagne)
    and ($reseau is null or reseau = $reseau)
    and ($code is null or code_structure = $code)
order by campagne, engagement, field, code_structure
