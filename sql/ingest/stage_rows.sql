-- One staged row per data row of the files being loaded (run_rows: file_no, row_no, every cell text):
-- identity columns cleaned and typed, the campaign's questionnaire version attached.
-- Typed columns are null where the text does not parse; row_problems.sql reports them.
create or replace temp table staged_rows as
with source as (
    select * from run_rows
),

cleaned as (
    select
        file_no,
        row_no,
        nullif(trim(code_structure), '') as code_structure,
        nullif(trim(regexp_replace(nom_structure, '\s+', ' ', 'g')), '') as nom_structure,
        nullif(trim(regexp_replace(reseau, '\s+', ' ', 'g')), '') as reseau,
        nullif(trim(regexp_replace(typologie, '\s+', ' ', 'g')), '') as typologie,
        nullif(trim(localisation), '') as localisation,
        nullif(trim(campagne), '') as campagne_text,
        nullif(trim(date_enregistrement), '') as date_text,
        nullif(trim(nb_agents_contributeurs), '') as contributeurs_text,
        nullif(trim(nb_agents_interaction), '') as interaction_text
    from source
),

parsed as (
    select
        *,
        case
            when regexp_full_match(campagne_text, '[0-9]{4}') then campagne_text::integer
        end as campagne,
        -- only text that starts like a date: try_strptime and try_cast read 'epoch', 'infinity'
        -- and '-infinity' as dates (1900-01-01, 1970-01-01, 9999-12-31)
        case when regexp_matches(date_text, '^[0-9]{1,4}[/-]') then coalesce(
            try_strptime(
                date_text,
                [
                    '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
                    '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M',
                    '%Y-%m-%dT%H:%M', '%Y-%m-%d'
                ]
            ),
            try_cast(date_text as timestamp)
        ) end as parsed_date,
        -- %Y also reads '24' (year 24): a date is a 4-digit year, as the contract says
        case when year(parsed_date) between 1000 and 9999 then parsed_date end as date_enregistrement,
        case
            when regexp_full_match(contributeurs_text, '[0-9]{1,9}') then contributeurs_text::integer
        end as nb_agents_contributeurs,
        case
            when regexp_full_match(interaction_text, '[0-9]{1,9}') then interaction_text::integer
        end as nb_agents_interaction
    from cleaned
)

select
    parsed.* exclude (parsed_date),
    campaign_referentiels.version
from parsed
left join campaign_referentiels using (campagne)
