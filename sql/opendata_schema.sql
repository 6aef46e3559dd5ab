-- The programme's open data (autodiag ingest-opendata), beside schema.sql: made by the writer,
-- and made empty (temporary) by a reader of a base written before these tables existed, so that
-- every query reads the same whatever the base's age.
create table if not exists opendata_files (
    file_id integer not null,
    sha256 varchar not null,
    name varchar not null,
    path varchar not null,
    kind varchar not null,  -- structures, resultats, indicateurs or experiences
    format varchar not null,  -- csv or json
    rows integer not null,
    unknown_columns varchar[] not null,
    loaded_at timestamp not null
);

create table if not exists opendata_structures (
    code varchar not null,
    reseau varchar not null,
    typologie varchar,
    nom varchar not null,
    description varchar,
    identifiant varchar,
    code_parent varchar,
    code_postal varchar,
    commune varchar,
    file_id integer not null
);

create table if not exists opendata_results (
    code_resultat varchar not null,
    reseau varchar,
    typologie varchar,
    nom_structure varchar,
    code_structure varchar not null,
    indicateur varchar,
    code_indicateur varchar not null,
    valeur double not null,
    date_mise_a_jour date not null,
    frequence varchar,
    file_id integer not null
);

create table if not exists opendata_indicators (
    reseau varchar not null,
    indicateur varchar not null,
    intitule_usager varchar,
    type_indicateur varchar,
    sources_methodes varchar,
    type_unite varchar,
    unite varchar,
    code_indicateur varchar,
    file_id integer not null
);

create table if not exists opendata_experiences (
    id varchar not null,
    etat varchar,
    ecrit_le date,
    date_publication date,
    titre varchar,
    description varchar,
    ressenti varchar not null,  -- Positif, Neutre or Négatif
    reactivite varchar,
    relation varchar,
    action varchar,
    information_explication varchar,
    amelioration varchar,
    typologie varchar,
    nom_structure varchar not null,
    reseau varchar not null,
    reponse varchar,
    date_reponse date,
    date_action_engagee date,
    file_id integer not null
);
