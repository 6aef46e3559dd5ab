-- What each structure of a campaign declares (E6: quality results published, E7: user opinion
-- taken into account, as rated by its self-diagnostic) beside what the open data shows: the
-- share of its network's indicators it published results for, and its user experiences (count,
-- feelings, share with a published answer, median days to answer). question_e6 / question_e7:
-- the two disagree strongly (a question to check with the structure, not a verdict):
-- E6 >= $high_rate with no indicator published, in a network whose results are in the open data;
-- E7 >= $high_rate with fewer than $low_answered % of at least one experience answered.
with rates as (
    select
        campagne, code_structure, nom_structure, reseau, typologie, version,
        max(rate) filter (where level = 'global') as taux_global,
        max(rate) filter (where unit = 'E6') as taux_e6,
        max(rate) filter (where unit = 'E7') as taux_e7
    from retained_scores
    where campagne = $campagne and ($reseau is null or reseau = $reseau) and level in ('global', 'engagement')
    group by all
),

published as (
    select upper(trim(code_structure)) as code_key, count(distinct code_indicateur) as indicateurs_publies
    from opendata_results
    group by all
),

network_results as (
    select
        known_structures.reseau,
        count(distinct opendata_results.code_indicateur) as indicateurs_du_reseau
    from opendata_results
    inner join known_structures on upper(known_structures.code) = upper(trim(opendata_results.code_structure))
    group by all
),

network_indicators as (
    select rates.reseau, count(distinct name_key(opendata_indicators.indicateur)) as indicateurs_definis
    from (select distinct reseau from rates) as rates
    inner join opendata_indicators on name_key(opendata_indicators.reseau) = name_key(rates.reseau)
    group by all
),

experiences as (
    select
        upper(code_structure) as code_key,
        count(*) as experiences,
        count(*) filter (where ressenti = 'Positif') as positives,
        count(*) filter (where ressenti = 'Neutre') as neutres,
        count(*) filter (where ressenti = 'Négatif') as negatives,
        count(*) filter (where repondue) as repondues,
        median(jours_reponse) as jours_mediane
    from matched_experiences
    where code_structure is not null
    group by all
),

joined as (
    select
        rates.*,
        coalesce(network_indicators.indicateurs_definis, network_results.indicateurs_du_reseau, 0)
            as indicateurs_attendus,
        coalesce(published.indicateurs_publies, 0) as indicateurs_publies,
        coalesce(experiences.experiences, 0) as experiences,
        experiences.positives, experiences.neutres, experiences.negatives, experiences.repondues,
        experiences.jours_mediane
    from rates
    left join published on published.code_key = upper(rates.code_structure)
    left join network_results using (reseau)
    left join network_indicators using (reseau)
    left join experiences on experiences.code_key = upper(rates.code_structure)
)

select
    *,
    case when indicateurs_attendus > 0
        then 100.0 * least(indicateurs_publies, indicateurs_attendus) / indicateurs_attendus end
        as part_indicateurs,
    case when experiences > 0 then 100.0 * positives / experiences end as part_positives,
    case when experiences > 0 then 100.0 * neutres / experiences end as part_neutres,
    case when experiences > 0 then 100.0 * negatives / experiences end as part_negatives,
    case when experiences > 0 then 100.0 * repondues / experiences end as part_repondues,
    coalesce(taux_e6 >= $high_rate and indicateurs_attendus > 0 and indicateurs_publies = 0, false)
        as question_e6,
    coalesce(
        taux_e7 >= $high_rate and experiences > 0 and 100.0 * repondues / experiences < $low_answered, false
    )
        as question_e7
from joined
order by reseau, code_structure
