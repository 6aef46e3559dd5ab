-- Every problem of the identity columns of the files being loaded, one row per (file, row, column):
-- what the cell holds and what is accepted. Read after stage_rows.sql.
with rows_source as (
    select
        staged_rows.*,
        run_rows.campagne as campagne_raw,
        run_rows.date_enregistrement as date_raw,
        run_rows.nb_agents_contributeurs as contributeurs_raw,
        run_rows.nb_agents_interaction as interaction_raw
    from staged_rows
    inner join run_rows using (file_no, row_no)
),

row_problems as (
    select file_no, row_no, 'code_structure' as column_name, null as value,
        'code de structure vide (attendu : le code Services Publics +, ex. STR-24)' as message
    from rows_source where code_structure is null
    union all
    select file_no, row_no, 'nom_structure', null, 'nom de structure vide'
    from rows_source where nom_structure is null
    union all
    select file_no, row_no, 'reseau', null, 'réseau vide'
    from rows_source where reseau is null
    union all
    select file_no, row_no, 'campagne', campagne_raw, 'campagne attendue sur 4 chiffres (ex. 2024)'
    from rows_source where campagne is null
    union all
    select file_no, row_no, 'campagne', campagne_raw,
        'aucun questionnaire déclaré pour cette campagne (data/referentiels/campagnes.csv)'
    from rows_source where campagne is not null and version is null
    union all
    select file_no, row_no, 'date_enregistrement', date_raw,
        'date absente ou impossible (attendu jj/mm/aaaa HH:MM:SS, ex. 06/05/2024 12:22:58, ou ISO 8601)'
    from rows_source where date_enregistrement is null
    union all
    select file_no, row_no, 'date_enregistrement', date_raw, date_problem
    from rows_source where date_problem is not null
    union all
    select file_no, row_no, 'nb_agents_contributeurs', contributeurs_raw,
        'nombre entier positif ou nul attendu'
    from rows_source where contributeurs_text is not null and nb_agents_contributeurs is null
    union all
    select file_no, row_no, 'nb_agents_interaction', interaction_raw, 'nombre entier positif ou nul attendu'
    from rows_source where interaction_text is not null and nb_agents_interaction is null
)

select file_no, row_no, column_name, value, message
from row_problems
