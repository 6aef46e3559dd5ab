-- Every answer of the files being loaded that has no code (stage_codes.sql): file, row, question
-- column, the cell and what is accepted. Read only when such answers exist.
with uncoded as (
    select file_no, row_no, version, position
    from (
        select
            file_no,
            row_no,
            version,
            unnest(codes) as code,
            unnest(generate_series(1, len(codes))) as position
        from staged_codes
        where list_count(codes) < len(codes)
    )
    where code is null
),

cells as (
    from (
        select file_no, row_no, columns('^E[0-9]+_Q[0-9]+$')
        from run_rows
        semi join uncoded using (file_no, row_no)
    )
    unpivot include nulls (raw_value for question_id in (columns('^E[0-9]+_Q[0-9]+$')))
)

select
    uncoded.file_no,
    uncoded.row_no,
    questions.question_id as column_name,
    cells.raw_value as value,
    case questions.kind
        when 'scale' then
            'réponse non reconnue ; réponses acceptées : Oui, Partiellement, Initié, Non, '
            || 'Non applicable (ou 1 ; 0,75 ; 0,25 ; 0 ; NA), ou cellule vide'
        else
            'option inconnue : « ' || array_to_string(cell_answers.bad_items, ' », « ')
            || ' » ; options acceptées, séparées par | : '
            || array_to_string(questions.options, ' | ')
            || ' ; ou « Aucun », « Non applicable »'
    end as message
from uncoded
inner join referentiel_questions as questions using (version, position)
inner join cells
    on cells.file_no = uncoded.file_no
    and cells.row_no = uncoded.row_no
    and cells.question_id = questions.question_id
left join cell_answers
    on cell_answers.version = uncoded.version
    and cell_answers.question_id = questions.question_id
    and cell_answers.raw_value is not distinct from cells.raw_value
