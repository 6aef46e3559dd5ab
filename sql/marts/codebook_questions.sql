-- Every question of every questionnaire version with its place, its text and the answers it
-- accepts with their points, written the French way (0,75) for the reader (the question part
-- of the codebook). $version null: all versions.
with scale as (
    select
        string_agg(label, ' | ' order by code desc) as answers,
        string_agg(
            label || ' = ' || replace(regexp_replace(points::varchar, '\.0$', ''), '.', ','),
            ' | ' order by code desc
        ) filter (where points is not null) as points
    from scale_levels
    where label is not null
)

select
    questions.version,
    questions.position,
    questions.question_id,
    questions.engagement,
    questions.engagement_title,
    questions.theme_id as theme,
    questions.theme_title,
    questions.question,
    questions.kind,
    case questions.kind
        when 'multi' then array_to_string(questions.options, ' | ') || ' (plusieurs choix) | Non applicable'
        else scale.answers
    end as answers,
    case questions.kind
        when 'multi' then array_to_string(
            -- t is the lambda's parameter, not a table: sqlfluff's RF01 takes it for one
            list_transform(questions.thresholds, lambda t:
                'au moins ' || t.min_count || ' choix = '  -- noqa: RF01
                || replace(regexp_replace(t.points::varchar, '\.0$', ''), '.', ',')),  -- noqa: RF01
            ' | '
        )
        else scale.points
    end as points
from referentiel_questions as questions
cross join scale
where $version is null or questions.version = $version
order by questions.version, questions.position
