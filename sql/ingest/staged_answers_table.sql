-- Holds the staged answers of the file being loaded (filled by stage_answers.sql, once per
-- questionnaire version present in the file).
create or replace temp table staged_answers (
    row_no bigint,
    version varchar,
    question_id varchar,
    raw_value varchar,
    status varchar,
    label varchar,
    n_selected integer,
    bad_items varchar[]
)
