-- The rows of the files whose content is not in the database yet, the first of each key
-- (in file order, then row order), each with a new submission id.
create or replace temp table new_submissions as
with first_of_key as (
    select
        submission_key,
        min(struct_pack(file_no, row_no)) as first
    from row_keys
    group by submission_key
)

select
    first_of_key.first.file_no as file_no,
    first_of_key.first.row_no as row_no,
    first_of_key.submission_key,
    nextval('submission_id_seq') as submission_id
from first_of_key
anti join submissions using (submission_key)
order by file_no, row_no
