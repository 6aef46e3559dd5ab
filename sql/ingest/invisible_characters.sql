-- Names and codes holding a zero-width or bidi control character ($pattern): they show as
-- another name than the one stored. One row per cell, in file order.
with cells as (
    select
        row_no,
        unnest(['code_structure', 'nom_structure', 'reseau', 'typologie', 'localisation']) as column_name,
        unnest([code_structure, nom_structure, reseau, typologie, localisation]) as value
    from raw_rows
)

select row_no, column_name, value
from cells
where regexp_matches(value, $pattern)
order by
    row_no,
    list_position(['code_structure', 'nom_structure', 'reseau', 'typologie', 'localisation'], column_name)
