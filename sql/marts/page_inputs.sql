-- What each page is made from: every retained submission with the export file it came from
-- (its SHA-256), its questionnaire version, and what puts it in peer groups (typologie, agents
-- in contact with users). The build derives each page's inputs from it.
select
    retained_submissions.campagne,
    retained_submissions.reseau,
    retained_submissions.code_structure,
    retained_submissions.nom_structure,
    retained_submissions.version,
    retained_submissions.typologie,
    retained_submissions.nb_agents_interaction,
    files.sha256,
    files.name as file_name
from retained_submissions
inner join files using (file_id)
order by retained_submissions.campagne, retained_submissions.reseau, retained_submissions.code_structure
