-- The backlog at $t by age in whole days (the buckets of KPI.md). Grain: one row per group per
-- age bucket with any complaint (kpi.views adds the empty buckets).
WITH open_at_t AS (
    SELECT {{ group() }} AS grp,
        floor(date_diff('microsecond', created_at, $t) / 86400e6) AS age
    FROM {{ ref('stg_complaints') }}
    WHERE tracked AND created_at < $t AND (done_at IS NULL OR done_at >= $t) AND {{ scope() }}
)
SELECT grp, CASE {{ age_cases() }} END AS bucket, count(*) AS n
FROM open_at_t
GROUP BY grp, bucket
