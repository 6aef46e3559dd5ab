-- The rows of the file whose content is not in the database yet, the first of each key,
-- each with a new submission id.
create or replace temp table new_submissions as
with first_of_key as (
    select submission_key, min(row_no) as row_no
    from row_keys
    group by submission_key
)

select
    first_of_key.row_no,
    first_of_key.submission_key,
    nextval('submission_id_seq') as submission_id
from first_of_key
anti join submissions using (submission_key)
order by first_of_key.row_no
