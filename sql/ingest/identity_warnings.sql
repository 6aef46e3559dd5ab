-- Warnings on the identity of the staged rows, one row per (file, row, column): a code spelt
-- otherwise than the structure's stored code (codes ignore case), and a network whose name
-- differs from another one only by case, accents or spacing (two networks, which the user
-- may merge). Read after stage_rows.sql.
with spelt_otherwise as (
    select
        file_no, row_no, 'code_structure' as column_name, code_as_written as value,
        'code enregistré sous la forme « ' || code_structure
        || ' » (même structure : les codes ne tiennent pas compte des majuscules)' as message
    from staged_rows
    where code_as_written <> code_structure
),

run_networks as (
    select reseau, min(struct_pack(file_no, row_no)) as first
    from staged_rows
    where reseau is not null
    group by all
),

networks as (
    select reseau from run_networks
    union
    select distinct reseau from submissions
),

keyed as (
    select reseau, lower(strip_accents(regexp_replace(reseau, '\s+', '', 'g'))) as network_key
    from networks
),

near_networks as (
    select
        run_networks.first.file_no as file_no,
        run_networks.first.row_no as row_no,
        'reseau' as column_name,
        run_networks.reseau as value,
        'réseau proche de « ' || other.reseau || ' » (seuls majuscules, accents ou espaces diffèrent) : '
        || 'ce sont deux réseaux distincts ; pour les réunir, écrivez le même nom dans les exports '
        || '(voir docs/donnees-incorrectes.md)' as message
    from run_networks
    inner join keyed as mine on mine.reseau = run_networks.reseau
    inner join keyed as other on other.network_key = mine.network_key and other.reseau <> mine.reseau
)

select * from spelt_otherwise
union all
select * from near_networks
order by file_no, row_no, column_name, message
