-- The rows of the files being loaded whose answers stage_codes.sql codes next as answers to
-- questionnaire $version: all of them ($holes false), or those that a first pass left with a
-- hole in their codes ($holes true).
create or replace temp table rows_to_code as
select staged_rows.file_no, staged_rows.row_no
from staged_rows
where staged_rows.version = $version
    and (
        not $holes
        or exists (
            select 1
            from staged_codes
            where staged_codes.version = $version
                and staged_codes.file_no = staged_rows.file_no
                and staged_codes.row_no = staged_rows.row_no
                and list_count(staged_codes.codes) < len(staged_codes.codes)
        )
    )
