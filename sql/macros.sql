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
        -- sqlfluff parses no lambda of two parameters (lambda o, k: ...): noqa for its parse error
        array_to_string(
            list_filter(options, lambda o, k: ((code - 16) >> (k - 1)) & 1 = 1),  -- noqa: PRS, LT01
            '|'
        )
    end;

-- Points of one answer: a multiple-choice code (16 and up) by its thresholds, a scale code by its
-- level's points (scale_points, from scale_levels); null when empty or not applicable.
create or replace macro question_points(code, thresholds, scale_points) as
    case when code >= 16 then multi_points(code, thresholds) else scale_points end;

-- A name or network as matched across files: case, accents and runs of spaces ignored.
create or replace macro name_key(text) as
    lower(strip_accents(trim(regexp_replace(text, '\s+', ' ', 'g'))));

-- The département of a postal code: its first two digits; three for overseas (97x, 98x);
-- Corsica 200xx-201xx is 2A, 202xx-206xx is 2B. A code written without its leading zero
-- (1000 for 01000) is read with it; anything else that is not 4 or 5 digits gives null.
create or replace macro departement(postal) as
    case
        when not coalesce(regexp_full_match(trim(postal), '[0-9]{4,5}'), false) then null
        when lpad(trim(postal), 5, '0')[1:2] in ('97', '98') then lpad(trim(postal), 5, '0')[1:3]
        when lpad(trim(postal), 5, '0')[1:3] in ('200', '201') then '2A'
        when lpad(trim(postal), 5, '0')[1:3] between '202' and '206' then '2B'
        when lpad(trim(postal), 5, '0')[1:2] in ('00', '20') then null
        else lpad(trim(postal), 5, '0')[1:2]
    end;
