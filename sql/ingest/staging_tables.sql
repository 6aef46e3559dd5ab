-- The staged answers of the files being loaded: each distinct cell read as an answer
-- (normalise_cells.sql), and each row's answer codes (stage_codes.sql), filled once per
-- questionnaire version present in the files.
create or replace temp table cell_answers (
    version varchar,
    question_id varchar,
    raw_value varchar,
    status varchar,
    code integer,
    bad_items varchar[]
);

create or replace temp table staged_codes (
    file_no integer,
    row_no bigint,
    version varchar,
    codes usmallint[]
);
