-- Quarantined rows with whether they are resolved: a submission of the same structure and
-- campaign came later, from a file loaded after the one that was quarantined.
with quarantined as (
    select
        quarantine.*,
        files.file_id,
        trim(quarantine.row_values['code_structure']) as code_structure,
        try_cast(trim(quarantine.row_values['campagne']) as integer) as campagne
    from quarantine
    left join files on files.sha256 = quarantine.file_sha256
)

select
    file_name,
    row_no,
    code_structure,
    campagne,
    problems,
    row_values,
    quarantined_at,
    -- sqlfluff reads `exists` here as a function name, followed by a space
    exists (  -- noqa: LT01, LT06
        select 1
        from submissions
        where submissions.code_structure = quarantined.code_structure
            and submissions.campagne = quarantined.campagne
            and submissions.file_id > quarantined.file_id
    ) as resolved
from quarantined
order by quarantined_at, file_name, row_no
