-- The scores export contract (scores-export.md): one row per (retained submission, level,
-- unit), rates unrounded, empty where nothing is applicable. Submissions are sorted, then
-- each one's score lists are unnested in report order (global, engagements, themes): the
-- sort handles one row per submission instead of one per score. Text cells are neutralised
-- by the CSV and XLSX writers (export_files.py).
with unit_lists as (
    select
        version,
        list(level order by unit_index) as levels,
        list(unit order by unit_index) as units
    from referentiel_units
    group by version
),

retained as (
    select
        retained_submissions.campagne,
        retained_submissions.code_structure,
        retained_submissions.version,
        unit_lists.levels,
        unit_lists.units,
        score_sets.points,
        score_sets.applicable,
        score_sets.missing,
        score_sets.rate
    from retained_submissions
    inner join score_sets using (submission_id)
    inner join unit_lists using (version)
    where ($campagne is null or retained_submissions.campagne = $campagne)
        and ($reseau is null or retained_submissions.reseau = $reseau)
    order by retained_submissions.campagne, retained_submissions.code_structure
)

select
    campagne,
    code_structure,
    unnest(levels) as level,
    unnest(units) as unit,
    unnest(points) as points,
    unnest(applicable) as applicable,
    unnest(missing) as missing,
    unnest(rate) as rate,
    version
from retained
