-- The retained submission of each (code_structure, campagne): the latest date_enregistrement;
-- ties go to the larger content key so that the choice never depends on load order.
create or replace view retained_submissions as
with ranked as (
    select
        s.*,
        row_number() over (
            partition by code_structure, campagne
            order by date_enregistrement desc, submission_key desc
        ) as rank_in_campaign
    from submissions as s
)

select * exclude (rank_in_campaign)
from ranked
where rank_in_campaign = 1
