-- The rows of the files whose content is not in the database yet, the first of each key
-- (in file order, then row order), each with a new submission id, ids in that same order
-- (drawn first, then matched by rank: nextval in a sorted select is not drawn in sort order).
create or replace temp table new_submissions as
with first_of_key as (
    select
        submission_key,
        min(struct_pack(file_no, row_no)) as first
    from row_keys
    group by submission_key
),

fresh as (
    select
        first_of_key.first.file_no as file_no,
        first_of_key.first.row_no as row_no,
        first_of_key.submission_key,
        row_number() over (order by file_no, row_no) as rank
    from first_of_key
    anti join submissions using (submission_key)
),

ids as (
    select submission_id, row_number() over (order by submission_id) as rank
    from (select nextval('submission_id_seq') as submission_id from range((select count(*) from fresh)))
)

select fresh.file_no, fresh.row_no, fresh.submission_key, ids.submission_id
from fresh
inner join ids using (rank)
order by fresh.file_no, fresh.row_no
