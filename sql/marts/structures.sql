-- Every known structure (open data and answer exports), with its parent and département.
select *
from known_structures
where ($reseau is null or reseau = $reseau)
    and ($code is null or upper(code) = upper($code))
order by reseau, code
