-- The macros every query may use. safe_cell, which neutralises spreadsheet formulas, is made
-- beside these from the one list of formula characters (autodiag.safe_files).

-- Points of a multiple-choice answer code: the best threshold its number of ticked options
-- reaches (0 below the first); null when the answer is empty or not applicable.
create or replace macro multi_points(code, thresholds) as
    case when code >= 16 then coalesce(
        list_max(list_transform(
            list_filter(thresholds, lambda t: t.min_count <= bit_count(code - 16)),
            lambda t: t.points
        )),
        0.0
    ) end;

-- The ticked options of a multiple-choice answer code, in questionnaire order, joined by |.
create or replace macro multi_label(code, options) as
    case when code >= 16 then
        array_to_string(list_filter(options, lambda o, k: ((code - 16) >> (k - 1)) & 1 = 1), '|')
    end;

-- Points of one answer: a multiple-choice code (16 and up) by its thresholds, a scale code by its
-- level's points (scale_points, from scale_levels); null when empty or not applicable.
create or replace macro question_points(code, thresholds, scale_points) as
    case when code >= 16 then multi_points(code, thresholds) else scale_points end;
