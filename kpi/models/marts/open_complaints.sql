-- Complaints open at $t (closing time exact or estimated, as for the backlog), with whether a
-- deadline has passed. Grain: one row per complaint, oldest first: the same order on every call,
-- so lists sorted from it (fix_first) come out the same each time. Read by fix_first, oldest_open.
SELECT source, complaint_id, title, category, district, agency_id, created_at, res_due, resp_due,
    date_diff('microsecond', created_at, $t) / 86400e6 AS age_days,
    res_due < $t AS resolution_late,
    resp_ok AND first_response_at IS NULL AND resp_due < $t AS response_late
FROM {{ ref('stg_complaints') }}
WHERE tracked AND created_at < $t AND (done_at IS NULL OR done_at >= $t) AND {{ scope() }}
ORDER BY created_at, source, id_scope, complaint_id
