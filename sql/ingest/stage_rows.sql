-- One staged row per data row of the files being loaded (run_rows: file_no, row_no, every cell text):
-- identity columns cleaned and typed, the campaign's questionnaire version attached.
-- Typed columns are null where the text does not parse; row_problems.sql reports them.
create or replace temp table staged_rows as
with source as (
    select * from run_rows
),

-- Names and codes in NFC (an accent typed as one character or as a letter and a combining
-- mark reads the same), without the zero-width characters or BOM a copy leaves at their edges
-- (reading.py warns about them).
cleaned as (
    select
        file_no,
        row_no,
        nullif(trim(regexp_replace(nfc_normalize(code_structure), $edges, '', 'g')), '') as code_as_written,
        nullif(
            trim(
                regexp_replace(regexp_replace(nfc_normalize(nom_structure), $edges, '', 'g'), '\s+', ' ', 'g')
            ),
            ''
        )
            as nom_structure,
        nullif(
            trim(regexp_replace(regexp_replace(nfc_normalize(reseau), $edges, '', 'g'), '\s+', ' ', 'g')), ''
        )
            as reseau,
        nullif(
            trim(regexp_replace(regexp_replace(nfc_normalize(typologie), $edges, '', 'g'), '\s+', ' ', 'g')),
            ''
        )
            as typologie,
        nullif(trim(regexp_replace(nfc_normalize(localisation), $edges, '', 'g')), '') as localisation,
        nullif(trim(campagne), '') as campagne_text,
        nullif(trim(date_enregistrement), '') as date_text,
        nullif(trim(nb_agents_contributeurs), '') as contributeurs_text,
        nullif(trim(nb_agents_interaction), '') as interaction_text
    from source
),

-- A code is one structure whatever its case: stored as first seen (in the base, else in
-- this run); a row that spells it otherwise is warned about (code_as_written).
stored_codes as (
    select upper(code_structure) as code_key, arg_min(code_structure, submission_id) as stored
    from submissions
    group by all
),

run_codes as (
    select upper(code_as_written) as code_key, arg_min(code_as_written, struct_pack(file_no, row_no)) as first
    from cleaned
    where code_as_written is not null
    group by all
),

-- A network the user merged into another (data/referentiels/reseaux.csv) is stored under the
-- name kept.
identified as (
    select
        cleaned.* replace (coalesce(network_names.kept, cleaned.reseau) as reseau),
        case when code_as_written is not null then coalesce(stored_codes.stored, run_codes.first) end
            as code_structure
    from cleaned
    left join stored_codes on stored_codes.code_key = upper(cleaned.code_as_written)
    left join run_codes on run_codes.code_key = upper(cleaned.code_as_written)
    left join network_names on network_names.written = cleaned.reseau
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
            -- an ISO date with its time zone (Z, +02:00): in Paris time, never the offset dropped
            case when regexp_matches(date_text, $convertible) then
                timezone('Europe/Paris', try_cast(date_text as timestamptz))
            end,
            try_strptime(
                date_text,
                [
                    '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
                    '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M',
                    '%Y-%m-%dT%H:%M', '%Y-%m-%d'
                ]
            ),
            case when not regexp_matches(date_text, $zoned) then try_cast(date_text as timestamp) end
        ) end as parsed_date,
        -- %Y also reads '24' (year 24): a date is a 4-digit year, as the contract says
        case when year(parsed_date) between 1000 and 9999 then parsed_date end as date_enregistrement,
        case
            when regexp_full_match(contributeurs_text, '[0-9]{1,9}') then contributeurs_text::integer
        end as nb_agents_contributeurs,
        case
            when regexp_full_match(interaction_text, '[0-9]{1,9}') then interaction_text::integer
        end as nb_agents_interaction
    from identified
)

select
    parsed.* exclude (parsed_date),
    campaign_referentiels.version,
    -- A date that would pin the submission (nothing dated before it could replace it) or that
    -- no one typed: refused, with the campaign's window (campagnes.csv).
    case
        when parsed.date_enregistrement is null then null
        when parsed.date_enregistrement::date in ('1899-12-30', '1899-12-31', '1900-01-01', '1904-01-01')
            then 'date zéro de tableur (cellule de date vide ou mise à zéro) : '
                || 'indiquez la date réelle d''enregistrement'
        when parsed.date_enregistrement::date > $today::date
            then 'date postérieure à aujourd''hui (' || strftime($today::date, '%d/%m/%Y')
                || ') : une soumission datée dans le futur ne pourrait plus être remplacée'
        when
            parsed.date_enregistrement::date
            not between campaign_windows.first_date and campaign_windows.last_date
            then 'date hors de la période de la campagne ' || parsed.campagne || ' (du '
                || strftime(campaign_windows.first_date, '%d/%m/%Y') || ' au '
                || strftime(campaign_windows.last_date, '%d/%m/%Y') || ', data/referentiels/campagnes.csv)'
    end as date_problem
from parsed
left join campaign_referentiels using (campagne)
left join campaign_windows using (campagne)
