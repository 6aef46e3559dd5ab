-- Every invalid answer of the file being loaded: row, question column, the cell and what is
-- accepted. Read only when normalise_cells.sql found invalid cells.
with cells as (
    from (
        select row_no, columns('^E[0-9]+_Q[0-9]+$')
        from raw_rows
    )
    unpivot (raw_value for question_id in (columns('^E[0-9]+_Q[0-9]+$')))
)

select
    cells.row_no,
    cells.question_id as column_name,
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
from cells
inner join staged_rows using (row_no)
inner join cell_answers
    on cell_answers.version = staged_rows.version
    and cell_answers.question_id = cells.question_id
    and cell_answers.raw_value = cells.raw_value
inner join referentiel_questions as questions
    on questions.version = cell_answers.version
    and questions.question_id = cell_answers.question_id
where cell_answers.status = 'invalid'
