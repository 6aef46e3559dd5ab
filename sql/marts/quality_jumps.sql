-- Answer-quality flag « saut improbable »: an engagement rate of a retained submission that moved
-- more than $max_jump points since the structure's most recent earlier campaign (whichever year).
-- Across questionnaire versions, only engagements linked `identique` or `proche` by the crosswalk
-- are compared (parallel lists $link_before_version, $link_before, $link_after_version,
-- $link_after; engagement to engagement only); within a version, the same engagement.
with links as (
    select
        unnest($link_before_version::varchar[]) as before_version,
        unnest($link_before::varchar[]) as before_unit,
        unnest($link_after_version::varchar[]) as after_version,
        unnest($link_after::varchar[]) as after_unit
),

campaigns as (
    select
        code_structure,
        campagne,
        version,
        lag(campagne) over (partition by code_structure order by campagne) as previous_campagne,
        lag(version) over (partition by code_structure order by campagne) as previous_version
    from retained_submissions
),

current_rates as (
    select
        retained_scores.campagne,
        retained_scores.reseau,
        retained_scores.code_structure,
        retained_scores.nom_structure,
        retained_scores.version,
        retained_scores.unit,
        retained_scores.engagement,
        retained_scores.position,
        retained_scores.rate,
        campaigns.previous_campagne,
        campaigns.previous_version
    from retained_scores
    inner join campaigns using (code_structure, campagne)
    where retained_scores.level = 'engagement'
        and retained_scores.rate is not null
        and campaigns.previous_campagne is not null
        and ($campagne is null or retained_scores.campagne = $campagne)
        and ($reseau is null or retained_scores.reseau = $reseau)
),

matched as (
    select
        current_rates.*,
        case
            when current_rates.version = current_rates.previous_version then current_rates.unit
            else links.before_unit
        end as previous_unit
    from current_rates
    left join links
        on links.before_version = current_rates.previous_version
        and links.after_version = current_rates.version
        and links.after_unit = current_rates.unit
),

compared as (
    select
        matched.*,
        previous.rate as previous_rate,
        matched.rate - previous.rate as change
    from matched
    inner join retained_scores as previous
        on previous.code_structure = matched.code_structure
        and previous.campagne = matched.previous_campagne
        and previous.level = 'engagement'
        and previous.unit = matched.previous_unit
    where previous.rate is not null
)

select
    campagne,
    reseau,
    code_structure,
    nom_structure,
    'jump' as flag,
    engagement,
    change as value,
    $max_jump::double as threshold,
    'E' || engagement || ' : '
        || replace(round(previous_rate::decimal(18, 6), 1)::varchar, '.', ',')
        || ' % en ' || previous_campagne
        || (
            case when previous_unit <> unit
                then ' (' || previous_unit || ' du questionnaire ' || previous_version || ')'
                else ''
            end
        )
        || ', ' || replace(round(rate::decimal(18, 6), 1)::varchar, '.', ',')
        || ' % en ' || campagne as detail
from compared
where abs(change) > $max_jump
order by campagne, reseau, code_structure, position
