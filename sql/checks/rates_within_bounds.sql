-- Every rate is a percentage.
select submission_id, level, unit, rate
from scores
where rate < 0 or rate > 100
