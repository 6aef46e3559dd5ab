-- The scores export contract (scores-export.md): one row per (retained submission, level,
-- unit), rates unrounded, empty where nothing is applicable. Submissions are sorted, then
-- each one's score lists are unnested in report order (global, engagements, themes): the
-- sort handles one row per submission instead of one per score. The unit names are read
-- from one list of every questionnaire's units (each questionnaire at its offset) rather
-- than joined to each submission: a list per row would be carried through the sort.
-- Text cells are neutralised by the CSV and XLSX writers (export_files.py).
with units_by_version as (
    select
        version,
        list(level order by unit_index) as levels,
        list(unit order by unit_index) as units
    from referentiel_units
    group by version
),

placed as (
    select
        *,
        coalesce(
            sum(len(levels)) over (order by version rows between unbounded preceding and 1 preceding), 0
        )::integer as unit_offset
    from units_by_version
),

all_units as (
    select
        flatten(list(levels order by version)) as levels,
        flatten(list(units order by version)) as units
    from placed
),

retained as (
    select
        retained_submissions.campagne,
        retained_submissions.code_structure,
        retained_submissions.version,
        placed.unit_offset,
        score_sets.points,
        score_sets.applicable,
        score_sets.missing,
        score_sets.rate
    from retained_submissions
    inner join score_sets using (submission_id)
    inner join placed using (version)
    where ($campagne is null or retained_submissions.campagne = $campagne)
        and ($reseau is null or retained_submissions.reseau = $reseau)
    order by retained_submissions.campagne, retained_submissions.code_structure
),

unnested as (
    select
        campagne,
        code_structure,
        unit_offset,
        unnest(generate_series(1, len(rate))) as unit_number,
        unnest(points) as points,
        unnest(applicable) as applicable,
        unnest(missing) as missing,
        unnest(rate) as rate,
        version
    from retained
)

select
    campagne,
    code_structure,
    (select levels from all_units)[unit_offset + unit_number] as level,
    (select units from all_units)[unit_offset + unit_number] as unit,
    points,
    applicable,
    missing,
    rate,
    version
from unnested
