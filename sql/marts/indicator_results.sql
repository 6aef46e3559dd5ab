-- The open data's indicator results, each with its structure (by code), its unit (from the
-- indicators export, by network and code or title) and, for a structure's latest result of an
-- indicator (latest), the median of the latest results of the structures of its network for
-- that indicator, and how many structures it is computed over.
with results as (
    select
        opendata_results.*,
        coalesce(known_structures.code, trim(opendata_results.code_structure)) as code,
        coalesce(known_structures.nom, opendata_results.nom_structure) as nom,
        coalesce(known_structures.reseau, opendata_results.reseau) as reseau_structure
    from opendata_results
    left join known_structures on upper(known_structures.code) = upper(trim(opendata_results.code_structure))
),

ranked as (
    select
        *,
        row_number() over (
            partition by upper(code), code_indicateur order by date_mise_a_jour desc, code_resultat desc
        ) = 1 as derniere
    from results
),

medians as (
    select reseau_structure, code_indicateur, median(valeur) as mediane_reseau, count(*) as structures_reseau
    from ranked
    where derniere
    group by reseau_structure, code_indicateur
),

described as (
    select
        ranked.code_resultat,
        opendata_indicators.intitule_usager,
        opendata_indicators.unite,
        opendata_indicators.type_unite
    from ranked
    inner join opendata_indicators
        on name_key(opendata_indicators.reseau) in (
            name_key(ranked.reseau), name_key(ranked.reseau_structure)
        )
        and (opendata_indicators.code_indicateur = ranked.code_indicateur
            or name_key(opendata_indicators.indicateur) = name_key(ranked.indicateur))
    qualify row_number() over (partition by ranked.code_resultat order by opendata_indicators.file_id desc)
        = 1
)

select
    ranked.code as code_structure,
    ranked.nom as nom_structure,
    ranked.reseau_structure as reseau,
    ranked.code_indicateur,
    coalesce(ranked.indicateur, described.intitule_usager, ranked.code_indicateur) as indicateur,
    described.intitule_usager,
    described.unite,
    described.type_unite,
    ranked.valeur,
    ranked.date_mise_a_jour,
    ranked.frequence,
    ranked.derniere,
    case when ranked.derniere then medians.mediane_reseau end as mediane_reseau,
    case when ranked.derniere then medians.structures_reseau end as structures_reseau,
    ranked.code_resultat
from ranked
left join described using (code_resultat)
left join medians using (reseau_structure, code_indicateur)
where ($reseau is null or ranked.reseau_structure = $reseau)
    and ($code is null or upper(ranked.code) = upper($code))
order by
    ranked.reseau_structure asc, ranked.code asc, ranked.code_indicateur asc, ranked.date_mise_a_jour desc
