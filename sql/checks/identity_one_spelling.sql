-- One structure has one code whatever its case, and codes and names are stored in NFC without
-- zero-width characters at their edges. A base loaded by an earlier version may break this
-- (two structures for STR-1 and str-1, two networks that look identical): reload it.
with spellings as (
    select upper(code_structure) as code_key, list(distinct code_structure order by code_structure) as codes
    from submissions
    group by all
    having count(distinct code_structure) > 1
),

unnormalised as (
    select code_structure, list(distinct column_name order by column_name) as columns_
    from (
        select
            code_structure,
            unnest(['code_structure', 'nom_structure', 'reseau', 'typologie', 'localisation']) as column_name,
            unnest([code_structure, nom_structure, reseau, typologie, localisation]) as value
        from submissions
    )
    where value <> nfc_normalize(value)
        or regexp_matches(value, '^[\x{200B}-\x{200D}\x{2060}\x{FEFF}]|[\x{200B}-\x{200D}\x{2060}\x{FEFF}]$')
    group by all
)

select
    codes[1] as code_structure,
    'codes qui ne diffèrent que par la casse : ' || array_to_string(codes, ', ') as detail
from spellings
union all
select
    code_structure, 'non normalisé (NFC) ou caractère invisible en bord : ' || array_to_string(columns_, ', ')
from unnormalised
order by all
