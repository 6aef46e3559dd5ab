insert into submissions
select
    new_submissions.submission_id,
    new_submissions.submission_key,
    run_files.file_id,
    staged_rows.row_no,
    staged_rows.code_structure,
    staged_rows.nom_structure,
    staged_rows.reseau,
    staged_rows.typologie,
    staged_rows.localisation,
    staged_rows.campagne,
    staged_rows.date_enregistrement,
    staged_rows.nb_agents_contributeurs,
    staged_rows.nb_agents_interaction,
    staged_rows.version
from new_submissions
inner join staged_rows using (file_no, row_no)
inner join run_files using (file_no)
