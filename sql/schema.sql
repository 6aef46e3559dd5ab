-- Database layout. Created once by the writer (ingest/score); readers open it read-only.

create sequence if not exists file_id_seq start 1;
create sequence if not exists submission_id_seq start 1;

-- Layout version of this file: a database of another layout is refused with a message.
create table if not exists layout (version integer not null);

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

-- What each export file held when last read (ingest/file_stats.py): a file whose size and
-- modification time are unchanged is recognised without being read again.
create table if not exists file_stats (
    path varchar primary key,
    size bigint not null,
    mtime_ns bigint not null,
    sha256 varchar not null
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

-- The answers of each submission, one small integer code per question of its questionnaire,
-- in questionnaire order (view answers.sql gives them back one per row, with labels):
--   0 empty ("non renseigné"), 1 Non applicable, 2..5 the scale (scale_levels),
--   16 + m a multiple choice, bit k-1 of m set when option k is ticked (16 alone: "Aucun").
-- 100k submissions are 8.3M answers: a list per submission keeps loading and storage cheap.
create table if not exists answer_sets (
    submission_id integer not null,
    codes usmallint[] not null
);

-- The codes of the 4-position scale, its "Non applicable" and the empty answer.
create table if not exists scale_levels (
    code integer primary key,
    label varchar,
    points double
);

create table if not exists free_texts (
    submission_id integer not null,
    engagement integer not null,
    field varchar not null,  -- points_forts or besoin_appui
    text varchar not null
);

-- The scores of each submission, one entry per unit of its questionnaire in report order
-- (referentiel_units.unit_index: global, engagements, themes); rates unrounded, in percent.
-- View scores.sql gives them back one per row.
create table if not exists score_sets (
    submission_id integer not null,
    points double[] not null,
    applicable usmallint[] not null,
    missing usmallint[] not null,
    rate double[] not null
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
    -- sqlfluff wants a space between map and its bracket
    row_values map(varchar, varchar) not null,  -- noqa: LT01
    quarantined_at timestamp not null
);

-- Action plans loaded by `ingest-plan`, one row per plan file loaded for a structure and a
-- campaign (read from the file's own cells, never from its name). A plan loaded again for the
-- same structure and campaign replaces it: the earlier one is kept, superseded_by naming its
-- successor (null: the retained plan).
create sequence if not exists plan_id_seq start 1;

create table if not exists plans (
    plan_id integer primary key,
    code_structure varchar not null,
    campagne integer not null,
    version varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    loaded_at timestamp not null,
    superseded_by integer
);

-- The rows of a plan that the team filled (an action, a pilot, a deadline, a status or a
-- comment), one per question, as written.
create table if not exists plan_actions (
    plan_id integer not null,
    row_no integer not null,
    question_id varchar not null,
    answer varchar,
    action varchar,
    pilote varchar,
    echeance varchar,
    statut varchar,
    commentaire varchar
);
-- The programme's open data (ingest-opendata) has its tables in opendata_schema.sql.

-- The macros (multi_points, multi_label, question_points, safe_cell) are made at every open of
-- the base, by the writer and by each reader (macros.sql): a base written by an earlier version
-- reads with today's rules.

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
),

ordered as (
    select *, case level when 'global' then 0 when 'engagement' then 1 else 2 end as level_order
    from (
        select * from global
        union all
        select * from engagements
        union all
        select * from themes
    )
)

-- unit_index: the unit's entry in the score_sets lists.
select *, row_number() over (partition by version order by level_order, position)::integer as unit_index
from ordered;
