-- Database layout. Created once by the writer (ingest/score); readers open it read-only.

create sequence if not exists file_id_seq start 1;
create sequence if not exists submission_id_seq start 1;

-- Questionnaires, copied from data/referentiels/ at every write so that readers see them.
create table if not exists referentiel_questions (
    version varchar not null,
    position integer not null,
    question_id varchar not null,
    engagement integer not null,
    engagement_title varchar not null,
    engagement_heading varchar not null,
    theme_id varchar not null,
    theme_title varchar not null,
    kind varchar not null,
    options varchar[] not null,
    thresholds struct(min_count integer, points double)[] not null,
    question varchar,
    primary key (version, question_id)
);

create table if not exists campaign_referentiels (
    campagne integer primary key,
    version varchar not null
);

-- Accepted spellings of the 4-position scale, keyed by the normalised cell
-- (lower case, no accents, single spaces). points is null for "Non applicable".
create table if not exists scale_labels (
    key varchar primary key,
    label varchar not null,
    points double
);

create table if not exists files (
    file_id integer primary key,
    sha256 varchar not null unique,
    name varchar not null,
    path varchar not null,
    format varchar not null,
    encoding varchar,
    rows integer not null,
    loaded_at timestamp not null
);

create table if not exists submissions (
    submission_id integer primary key,
    submission_key varchar not null unique,  -- hash of the row's content: same row, same key
    file_id integer not null,
    row_no integer not null,
    code_structure varchar not null,
    nom_structure varchar not null,
    reseau varchar not null,
    typologie varchar,
    localisation varchar,
    campagne integer not null,
    date_enregistrement timestamp not null,
    nb_agents_contributeurs integer,
    nb_agents_interaction integer,
    version varchar not null
);

-- status: answered, not_applicable, missing (empty cell, "non renseigné")
create table if not exists answers (
    submission_id integer not null,
    question_id varchar not null,
    raw_value varchar,
    status varchar not null,
    label varchar,
    n_selected integer
);

create table if not exists free_texts (
    submission_id integer not null,
    engagement integer not null,
    field varchar not null,  -- points_forts or besoin_appui
    text varchar not null
);

-- One row per (submission, level, unit); rates unrounded, in percent.
create table if not exists scores (
    submission_id integer not null,
    level varchar not null,  -- global, engagement, theme
    unit varchar not null,   -- global, E1..E8, E1_T1..
    engagement integer,
    points double,
    applicable integer,
    missing integer,
    rate double
);

create table if not exists ingest_warnings (
    file_id integer not null,
    row_no integer,
    column_name varchar,
    message varchar not null
);

-- Rows set aside by `ingest --lenient`, whole, with what was wrong.
create table if not exists quarantine (
    file_sha256 varchar not null,
    file_name varchar not null,
    row_no integer not null,
    problems varchar[] not null,
    row_values map(varchar, varchar) not null,
    quarantined_at timestamp not null
);

-- Text bound for a spreadsheet: a leading = + - @ tab or CR would make it a formula
-- (CSV/formula injection), so such a cell is prefixed with an apostrophe.
create or replace macro safe_cell(value) as
    case when regexp_matches(value, '^[=+\-@\t\r]') then '''' || value else value end;

-- Every unit a questionnaire is scored on (global, engagements, themes), with its title,
-- its number of questions and its place in the report order.
create or replace view referentiel_units as
with engagements as (
    select version, 'engagement' as level, 'E' || engagement as unit, engagement,
        any_value(engagement_title) as title, any_value(engagement_heading) as heading,
        count(*) as n_questions, min(position) as position
    from referentiel_questions
    group by version, engagement
),

themes as (
    select version, 'theme' as level, theme_id as unit, engagement,
        any_value(theme_title) as title, any_value(theme_title) as heading,
        count(*) as n_questions, min(position) as position
    from referentiel_questions
    group by version, engagement, theme_id
),

global as (
    select version, 'global' as level, 'global' as unit, null::integer as engagement,
        'Taux d''atteinte global' as title, 'Taux d''atteinte global' as heading,
        count(*) as n_questions, 0 as position
    from referentiel_questions
    group by version
)

select *, case level when 'global' then 0 when 'engagement' then 1 else 2 end as level_order
from (
    select * from global
    union all
    select * from engagements
    union all
    select * from themes
);
