-- Every stored answer, one row per (submission, question): its status, its canonical label
-- (scale level, or ticked options joined by | in questionnaire order; '' for "Aucun") and,
-- for a multiple choice, how many options are ticked.
create or replace view answers as
with coded as (
    select
        answer_sets.submission_id,
        submissions.version,
        unnest(answer_sets.codes) as code,
        unnest(generate_series(1, len(answer_sets.codes))) as position
    from answer_sets
    inner join submissions using (submission_id)
)

select
    coded.submission_id,
    questions.question_id,
    case coded.code when 0 then 'missing' when 1 then 'not_applicable' else 'answered' end as status,
    case
        when coded.code < 2 then null
        when questions.kind = 'multi' then multi_label(coded.code, questions.options)
        else scale_levels.label
    end as label,
    case when questions.kind = 'multi' and coded.code >= 16 then bit_count(coded.code - 16) end as n_selected,
    coded.code
from coded
inner join referentiel_questions as questions using (version, position)
left join scale_levels on questions.kind = 'scale' and scale_levels.code = coded.code
