-- Staged complaints. Grain: one row per complaint (source, id_scope, complaint_id).
--
-- What the metrics need from each complaint, computed once per load (kpi.build): its region,
-- its effective deadlines (the source's own, else the region's working-day calendar and SLA
-- days), the local date of every event in its region's zone, the flags that say which metrics
-- it can enter, and when it enters and leaves the backlog and the overdue backlog.
--   is_valid: not rejected; resp_ok / close_ok: its source reports that time; rate_ok: its
--   source collects ratings at all (some row has one) and its closing time is exact;
--   est_closed_at: for a resolved row without a closing time (SP4N-LAPOR!), the seen_at of the
--   first export that shows it resolved after its last other sighting (status_history);
--   done_at: the exact closing time, else that estimate (backlog, closed, clearance);
--   tracked: valid and its open/closed state over time is known or estimated.
-- A warehouse loaded before the ETL bounded dates may hold times no complaint can have (year 1,
-- 9999): rows whose own times fall outside $plausible_lo..$plausible_hi are left out, and a
-- source deadline outside $plausible_lo..$due_hi counts as absent (the calendar's instead).
-- Runs on DuckDB only (the calendar seeds, local dates); every model after it is portable.
WITH src AS (
    SELECT x.source, x.id_scope, x.complaint_id, {{ region_code('x') }} AS region_code,
        x.agency_id,
        x.category, x.district, x.village, x.channel, x.title, x.status, x.created_at,
        x.first_response_at, x.closed_at, x.has_response_time, x.has_close_time,
        x.closed_at_missing,
        CASE WHEN x.response_due_at BETWEEN $plausible_lo AND $due_hi
            THEN x.response_due_at END AS response_due_at,
        CASE WHEN x.resolution_due_at BETWEEN $plausible_lo AND $due_hi
            THEN x.resolution_due_at END AS resolution_due_at,
        x.satisfaction, x.reopen_count
    FROM {{ source('complaints') }} x
    WHERE {{ plausible_complaint('x') }}
        {{ touched('x', 'complaint_id') }}
),
zoned AS (
    SELECT src.*, rg.tz AS _tz, rg.utc_offset_s AS _offset_s,
        rg.response_days AS _resp_days, rg.resolution_days AS _res_days
    FROM src JOIN {{ ref('seed_regions') }} rg ON rg.region_code = src.region_code
),
dated_src AS (
    SELECT zoned.*, {{ local_date('created_at') }} AS created_d FROM zoned
),
-- sources with a rating on at least one row collect ratings; the others never do (Boston 311)
rating_src AS (
    SELECT source, bool_or(satisfaction IS NOT NULL) AS rating_ok
    FROM {{ source('complaints') }}
    GROUP BY source
),
-- estimated closing time for rows without one: the first export showing the complaint resolved
-- after its last non-resolved sighting (status_history has one row per status change seen)
hist AS (
    SELECT h.source, h.id_scope, h.complaint_id, h.status, h.seen_at,
        max(CASE WHEN h.status <> 'resolved' THEN h.seen_at END)
            OVER (PARTITION BY h.source, h.id_scope, h.complaint_id) AS last_other
    FROM {{ source('status_history') }} h
    JOIN (SELECT DISTINCT source, id_scope, complaint_id FROM src WHERE closed_at_missing) k
        ON k.source = h.source AND k.id_scope = h.id_scope AND k.complaint_id = h.complaint_id
    WHERE h.seen_at BETWEEN $plausible_lo AND $plausible_hi
),
est AS (
    SELECT source, id_scope, complaint_id, min(seen_at) AS est_closed_at
    FROM hist
    WHERE status = 'resolved' AND (last_other IS NULL OR seen_at > last_other)
    GROUP BY source, id_scope, complaint_id
),
-- the N-th working day after the local creation date, in the row's region (kpi.calendar)
dl AS (
    SELECT s.*,
        coalesce(s.response_due_at, wr.day_end_utc) AS resp_due,
        coalesce(s.resolution_due_at, ws.day_end_utc) AS res_due
    FROM dated_src s
    LEFT JOIN {{ ref('seed_calendar') }} cal
        ON cal.region_code = s.region_code AND cal.d = s.created_d
    LEFT JOIN {{ ref('seed_sla_response') }} sp ON sp.agency_id = s.agency_id
    LEFT JOIN {{ ref('seed_sla_resolution') }} sr
        ON sr.region_code = s.region_code AND sr.category = s.category
    LEFT JOIN {{ ref('seed_working_days') }} wr
        ON wr.region_code = s.region_code
        AND wr.wd_cum = cal.wd_cum + coalesce(sp.days, s._resp_days)
    LEFT JOIN {{ ref('seed_working_days') }} ws
        ON ws.region_code = s.region_code
        AND ws.wd_cum = cal.wd_cum + coalesce(sr.days, s._res_days)
),
known AS (
    SELECT dl.*, coalesce(r.rating_ok, false) AS rating_ok,
        CASE WHEN dl.status = 'resolved' AND dl.closed_at_missing THEN e.est_closed_at
            END AS est_closed_at
    FROM dl
    LEFT JOIN rating_src r ON r.source = dl.source
    LEFT JOIN est e ON e.source = dl.source AND e.id_scope = dl.id_scope
        AND e.complaint_id = dl.complaint_id
),
flags AS (
    SELECT source, id_scope, complaint_id, region_code, agency_id, category, district, village,
        channel, title, status, created_at, created_d, closed_at, _tz, _offset_s,
        CASE WHEN est_closed_at IS NULL THEN satisfaction END AS satisfaction,
        CASE WHEN est_closed_at IS NULL THEN reopen_count END AS reopen_count,
        status <> 'rejected' AS is_valid,
        has_response_time AS resp_ok,
        has_close_time AND NOT closed_at_missing AS close_ok,
        CASE WHEN has_response_time THEN first_response_at END AS first_response_at,
        CASE WHEN status = 'resolved' AND has_close_time AND NOT closed_at_missing
            THEN closed_at END AS resolved_at,
        est_closed_at, est_closed_at IS NOT NULL AS close_estimated,
        rating_ok AND est_closed_at IS NULL AS rate_ok,
        status <> 'rejected' AND (
            (has_close_time AND NOT closed_at_missing)
            OR status <> 'resolved' OR est_closed_at IS NOT NULL) AS tracked,
        CASE WHEN status = 'resolved' THEN coalesce(
            CASE WHEN has_close_time AND NOT closed_at_missing THEN closed_at END,
            est_closed_at) END AS done_at,
        resp_due, res_due,
        response_due_at IS NOT NULL AS resp_due_from_source,
        resolution_due_at IS NOT NULL AS res_due_from_source
    FROM known
),
dated AS (
    SELECT *,
        {{ local_date('first_response_at') }} AS first_response_d,
        {{ local_date('resolved_at') }} AS resolved_d,
        {{ local_date('done_at') }} AS done_d,
        {{ local_date('resp_due') }} AS resp_due_d,
        {{ local_date('res_due') }} AS res_due_d,
        date_diff('microsecond', created_at, first_response_at) / 86400e6 AS days_to_respond,
        date_diff('microsecond', created_at, resolved_at) / 86400e6 AS days_to_resolve
    FROM flags
)
-- when each complaint enters and leaves the backlog and the overdue backlog; NULL when it never
-- does (DuckDB's greatest() skips NULLs, hence the CASEs)
SELECT source, id_scope, complaint_id, region_code, agency_id, category, district, village,
    channel, title, status, created_at, created_d, closed_at, satisfaction, reopen_count, is_valid,
    resp_ok, close_ok, first_response_at, resolved_at, est_closed_at, close_estimated, rate_ok,
    tracked, done_at, resp_due, res_due, resp_due_from_source, res_due_from_source,
    first_response_d, resolved_d, done_d, resp_due_d, res_due_d, days_to_respond,
    days_to_resolve,
    CASE WHEN done_at IS NOT NULL THEN greatest(created_at, done_at) END AS bl_out_at,
    CASE WHEN done_at IS NOT NULL THEN greatest(created_d, done_d) END AS bl_out_d,
    CASE WHEN res_due IS NOT NULL THEN greatest(created_at, res_due) END AS od_in_at,
    CASE WHEN res_due IS NOT NULL THEN greatest(created_d, res_due_d) END AS od_in_d,
    CASE WHEN done_at IS NOT NULL AND res_due IS NOT NULL
        THEN greatest(created_at, res_due, done_at) END AS od_out_at,
    CASE WHEN done_at IS NOT NULL AND res_due IS NOT NULL
        THEN greatest(created_d, res_due_d, done_d) END AS od_out_d
FROM dated
