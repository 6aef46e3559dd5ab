-- Every submission with whether it is the retained one of its (structure, campaign) and the
-- file it came from; superseded submissions are kept, never deleted.
select
    submissions.submission_id,
    submissions.campagne,
    submissions.code_structure,
    submissions.nom_structure,
    submissions.reseau,
    submissions.typologie,
    submissions.localisation,
    submissions.date_enregistrement,
    submissions.nb_agents_contributeurs,
    submissions.nb_agents_interaction,
    submissions.version,
    retained_submissions.submission_id is not null as retained,
    files.name as file_name,
    submissions.row_no
from submissions
inner join files using (file_id)
left join retained_submissions using (submission_id)
where ($campagne is null or submissions.campagne = $campagne)
    and ($reseau is null or submissions.reseau = $reseau)
order by submissions.campagne, submissions.code_structure, submissions.date_enregistrement
