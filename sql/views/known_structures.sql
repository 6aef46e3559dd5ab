-- Every structure the base knows, once: from the open-data structures export and from the
-- answer exports (the identity of its latest retained submission), joined by code (case
-- ignored). The answer exports give the network (as the reports spell it), the open data the
-- parent, the name and the postal code when it has them; the département follows the postal
-- code (macro departement).
create or replace view known_structures as
with answered as (
    select
        upper(trim(code_structure)) as code_key,
        code_structure,
        nom_structure,
        reseau,
        typologie,
        localisation
    from retained_submissions
    qualify row_number() over (
        partition by upper(trim(code_structure)) order by campagne desc, date_enregistrement desc
    ) = 1
),

published as (
    select upper(trim(code)) as code_key, *
    from opendata_structures
),

joined as (
    select
        coalesce(answered.code_key, published.code_key) as code_key,
        coalesce(answered.code_structure, published.code) as code,
        coalesce(answered.nom_structure, published.nom) as nom,
        coalesce(answered.reseau, published.reseau) as reseau,
        coalesce(published.typologie, answered.typologie) as typologie,
        nullif(trim(published.code_parent), '') as code_parent,
        coalesce(nullif(trim(published.code_postal), ''), answered.localisation) as code_postal,
        published.commune,
        published.code is not null as in_opendata,
        answered.code_structure is not null as answered
    from answered
    full outer join published on answered.code_key = published.code_key
)

select
    joined.code,
    joined.nom,
    joined.reseau,
    joined.typologie,
    coalesce(parent.code, joined.code_parent) as code_parent,
    parent.nom as nom_parent,
    joined.code_postal,
    joined.commune,
    departement(joined.code_postal) as departement,
    joined.in_opendata,
    joined.answered
from joined
left join joined as parent on parent.code_key = upper(joined.code_parent)
