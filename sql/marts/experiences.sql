-- The published user experiences, each with the structure it matched (matched_experiences:
-- exact name and network) and that structure's network as the reports spell it.
select
    matched_experiences.* exclude (reseau),
    matched_experiences.reseau as reseau_experience,
    coalesce(known_structures.reseau, matched_experiences.reseau) as reseau
from matched_experiences
left join known_structures on known_structures.code = matched_experiences.code_structure
where ($reseau is null or coalesce(known_structures.reseau, matched_experiences.reseau) = $reseau)
    and ($code is null or upper(matched_experiences.code_structure) = upper($code))
order by matched_experiences.code_structure, matched_experiences.date_publication, matched_experiences.id
