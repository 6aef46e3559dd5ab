-- The cells read as answers to questionnaire $version (normalise_cells.sql) and their codes,
-- per question, for the lookups of stage_codes.sql. A lookup scans its keys in order: the
-- empty cell and the labels as written come first, as nearly every cell is one of them.
select cell_answers.question_id, cell_answers.raw_value, cell_answers.code
from cell_answers
left join scale_levels on scale_levels.label = cell_answers.raw_value
where cell_answers.version = $version
order by
    cell_answers.question_id,
    cell_answers.raw_value is not null,
    scale_levels.code is null,
    cell_answers.raw_value
