-- What the open data matched, kind by kind: the structures export against the answer exports
-- (by code), its parents against its own codes, indicator results against known structures
-- (by code), experiences against known structures (by exact name and network, see
-- matched_experiences). One row per kind and outcome, with up to 5 examples.
with structures as (
    select
        'structures' as kind,
        case when answered then 'avec auto-diagnostic' else 'sans auto-diagnostic' end as outcome,
        code || ' — ' || nom as example
    from known_structures
    where in_opendata
),

parents as (
    select 'structures' as kind, 'parent absent du fichier des structures' as outcome,
        code || ' → ' || code_parent as example
    from known_structures
    where code_parent is not null and nom_parent is null
),

results as (
    select
        'resultats' as kind,
        case
            when known_structures.answered then 'structure avec auto-diagnostic'
            when known_structures.code is not null then 'structure sans auto-diagnostic'
            else 'code de structure inconnu'
        end as outcome,
        opendata_results.code_structure || coalesce(' — ' || opendata_results.nom_structure, '') as example
    from opendata_results
    left join known_structures on upper(known_structures.code) = upper(trim(opendata_results.code_structure))
),

experiences as (
    select
        'experiences' as kind,
        case correspondance
            when 'une' then 'une structure'
            when 'aucune' then 'aucune structure de ce nom dans ce réseau'
            else 'plusieurs structures de ce nom dans ce réseau'
        end as outcome,
        nom_structure || ' (' || reseau || ')'
        || case
            when correspondance = 'plusieurs' then ' : ' || array_to_string(codes_candidats, ', ') else ''
        end
        as example
    from matched_experiences
),

everything as (
    select * from structures
    union all
    select * from parents
    union all
    select * from results
    union all
    select * from experiences
)

select
    kind,
    outcome,
    count(*) as n,
    list_sort(list_distinct(list(example)))[1:5] as examples
from everything
group by kind, outcome
order by kind, outcome
