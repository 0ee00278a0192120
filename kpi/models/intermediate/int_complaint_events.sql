-- Complaint events. Grain: one row per complaint per event it has: received, closed (exact or
-- estimated closing time), response due, resolution due, leaves the backlog, enters and leaves
-- the overdue backlog. d: the event's local date in the complaint's region; event_at: its time
-- (UTC).
-- The measures say what the event adds to its day's counts (MEASURES in kpi/render.py); every
-- row adds at least one. Portable SQL: a view over the staged table (DuckDB) or the lake
-- (ClickHouse); the daily grain sums it, the marts read it for the day of the as-of cut.
SELECT region_code, agency_id, category, district, village, channel, source,
    created_d AS d, created_at AS event_at,
    {{ measures(received=1,
        n_rejected=CASE WHEN is_valid THEN 0 ELSE 1 END,
        n_valid_received=CASE WHEN is_valid THEN 1 ELSE 0 END,
        n_received_resp_known=CASE WHEN is_valid AND resp_ok THEN 1 ELSE 0 END,
        n_received_close_known=CASE WHEN tracked THEN 1 ELSE 0 END) }}
FROM {{ ref('stg_complaints') }}
UNION ALL
-- resolved (closing time exact or estimated); durations, reopenings and ratings only count
-- exact closing times (reopen_count and satisfaction are NULL for estimated ones)
SELECT region_code, agency_id, category, district, village, channel, source,
    done_d, done_at,
    {{ measures(closed=1,
        n_closed_estimated=CASE WHEN close_estimated THEN 1 ELSE 0 END,
        n_reopened=CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END,
        n_closed_rateable=CASE WHEN rate_ok THEN 1 ELSE 0 END,
        n_rated=CASE WHEN satisfaction IS NULL THEN 0 ELSE 1 END,
        satisfaction_sum=coalesce(satisfaction, 0)) }}
FROM {{ ref('stg_complaints') }}
WHERE tracked AND done_at IS NOT NULL
UNION ALL
-- response obligation: met if responded by the deadline
SELECT region_code, agency_id, category, district, village, channel, source,
    resp_due_d, resp_due,
    {{ measures(n_response_due=1,
        n_response_met=CASE WHEN first_response_at <= resp_due THEN 1 ELSE 0 END) }}
FROM {{ ref('stg_complaints') }}
WHERE is_valid AND resp_ok AND resp_due IS NOT NULL
UNION ALL
-- resolution obligation: met if resolved (exact closing time) by the deadline
SELECT region_code, agency_id, category, district, village, channel, source,
    res_due_d, res_due,
    {{ measures(n_resolution_due=1,
        n_resolution_met=CASE WHEN resolved_at <= res_due THEN 1 ELSE 0 END) }}
FROM {{ ref('stg_complaints') }}
WHERE is_valid AND close_ok AND res_due IS NOT NULL
UNION ALL
-- backlog(t) = #(created < t) - #(max(created, done) < t), over tracked complaints
SELECT region_code, agency_id, category, district, village, channel, source,
    bl_out_d, bl_out_at, {{ measures(n_bl_out=1) }}
FROM {{ ref('stg_complaints') }}
WHERE tracked AND bl_out_at IS NOT NULL
UNION ALL
-- overdue_backlog(t) = #(max(created, due) < t) - #(max(created, due, done) < t)
SELECT region_code, agency_id, category, district, village, channel, source,
    od_in_d, od_in_at, {{ measures(n_od_in=1) }}
FROM {{ ref('stg_complaints') }}
WHERE tracked AND od_in_at IS NOT NULL
UNION ALL
SELECT region_code, agency_id, category, district, village, channel, source,
    od_out_d, od_out_at, {{ measures(n_od_out=1) }}
FROM {{ ref('stg_complaints') }}
WHERE tracked AND od_out_at IS NOT NULL
