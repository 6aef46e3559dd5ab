-- Every accepted spelling of the 4-position scale (export contract), keyed as cells are
-- normalised: lower case, accents removed, inner spaces folded. Numbers are matched by value
-- in normalise_cells.sql, so '1.0' and '0,750' land on '1' and '0.75'.
insert or replace into scale_labels (key, label, points)
select key, label, points
from (
    values
        ('oui', 'Oui', 1.0),
        ('oui, totalement', 'Oui', 1.0),
        ('1', 'Oui', 1.0),
        ('partiellement', 'Partiellement', 0.75),
        ('oui, partiellement', 'Partiellement', 0.75),
        ('0.75', 'Partiellement', 0.75),
        ('initie', 'Initié', 0.25),
        ('en cours', 'Initié', 0.25),
        ('0.25', 'Initié', 0.25),
        ('non', 'Non', 0.0),
        ('0', 'Non', 0.0),
        ('non applicable', 'Non applicable', null),
        ('na', 'Non applicable', null),
        ('n/a', 'Non applicable', null),
        ('non concerne', 'Non applicable', null),
        ('non concernee', 'Non applicable', null)
    -- the alias names the columns (sqlfluff's AL05: an alias never used)
) as accepted (key, label, points)  -- noqa: AL05
