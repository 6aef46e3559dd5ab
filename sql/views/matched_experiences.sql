-- Each published user experience with the structure it is about. The experiences export names
-- the structure, not its code: it is matched on its exact name and network, case, accents and
-- spaces ignored (macro name_key), against every name a known structure goes by (open data and
-- answer exports). Never a close match: correspondance says « une », « aucune » or « plusieurs »
-- (several structures of that name in that network), and code_structure is set for « une » only.
create or replace view matched_experiences as
with names as (
    select code, nom, reseau from opendata_structures
    union all
    select code_structure, nom_structure, reseau from submissions
),

candidates as (
    select distinct
        known_structures.code,
        name_key(names.nom) as name_key,
        name_key(names.reseau) as network_key
    from known_structures
    inner join names on upper(trim(names.code)) = upper(trim(known_structures.code))
),

matches as (
    select
        opendata_experiences.id,
        list_sort(list_distinct(list(candidates.code))) as codes
    from opendata_experiences
    left join candidates
        on candidates.name_key = name_key(opendata_experiences.nom_structure)
        and candidates.network_key = name_key(opendata_experiences.reseau)
    group by opendata_experiences.id
)

select
    opendata_experiences.*,
    case when len(matches.codes) = 1 then matches.codes[1] end as code_structure,
    case len(matches.codes) when 0 then 'aucune' when 1 then 'une' else 'plusieurs' end as correspondance,
    matches.codes as codes_candidats,
    coalesce(trim(opendata_experiences.reponse), '') <> '' as repondue,
    case when coalesce(trim(opendata_experiences.reponse), '') <> '' then date_diff(
        'day',
        coalesce(opendata_experiences.date_publication, opendata_experiences.ecrit_le),
        coalesce(opendata_experiences.date_reponse, opendata_experiences.date_action_engagee)
    ) end as jours_reponse
from opendata_experiences
inner join matches on matches.id = opendata_experiences.id
