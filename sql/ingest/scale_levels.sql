-- The answer codes of the 4-position scale (schema.sql, answer_sets): the empty answer,
-- "Non applicable" and the four levels with their points.
insert or replace into scale_levels (code, label, points)
select code, label, points
from (
    values
        (0, null, null),
        (1, 'Non applicable', null),
        (2, 'Non', 0.0),
        (3, 'Initié', 0.25),
        (4, 'Partiellement', 0.75),
        (5, 'Oui', 1.0)
    -- the alias names the columns (sqlfluff's AL05: an alias never used)
) as levels (code, label, points)  -- noqa: AL05
