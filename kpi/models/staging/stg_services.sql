-- Staged service applications. Grain: one row per application (source, id_scope, service_id).
-- Its region, its due time (the source's own, else the published standard in working days of
-- the region's calendar), the local dates of submission, completion and due, and when it leaves
-- the service backlog. Rejected applications count only in services_submitted.
-- Runs on DuckDB only (the calendar seeds, local dates).
WITH src AS (
    SELECT x.source, x.id_scope, x.service_id, {{ region_code('x', 'services') }} AS region_code,
        x.service_type,
        x.agency_id, x.district, x.channel, x.submitted_at, x.completed_at, x.status,
        x.standard_days,
        CASE WHEN x.due_at BETWEEN $plausible_lo AND $due_hi THEN x.due_at END AS due_at
    FROM {{ source('services') }} x
    WHERE {{ plausible_service('x') }}
        {{ touched('x', 'service_id') }}
),
zoned AS (
    SELECT src.*, rg.tz AS _tz, rg.utc_offset_s AS _offset_s
    FROM src JOIN {{ ref('seed_regions') }} rg ON rg.region_code = src.region_code
),
dated_src AS (
    SELECT zoned.*, {{ local_date('submitted_at') }} AS submitted_d FROM zoned
),
dl AS (
    SELECT s.source, s.id_scope, s.service_id, s.region_code, s.service_type, s.agency_id, s.district,
        s.channel, s.submitted_at, s.submitted_d, s.status, s._tz, s._offset_s,
        s.status <> 'rejected' AS is_valid,
        CASE WHEN s.status = 'completed' THEN s.completed_at END AS completed_at,
        coalesce(s.due_at, w.day_end_utc) AS due
    FROM dated_src s
    LEFT JOIN {{ ref('seed_calendar') }} cal
        ON cal.region_code = s.region_code AND cal.d = s.submitted_d
    LEFT JOIN {{ ref('seed_working_days') }} w
        ON w.region_code = s.region_code AND w.wd_cum = cal.wd_cum + s.standard_days
)
SELECT source, id_scope, service_id, region_code, service_type, agency_id, district, channel,
    submitted_at, submitted_d, status, is_valid, completed_at, due,
    {{ local_date('completed_at') }} AS completed_d,
    {{ local_date('due') }} AS due_d,
    date_diff('microsecond', submitted_at, completed_at) / 86400e6 AS days_to_complete,
    CASE WHEN completed_at IS NOT NULL THEN greatest(submitted_at, completed_at) END AS out_at,
    CASE WHEN completed_at IS NOT NULL
        THEN {{ local_date('greatest(submitted_at, completed_at)') }} END AS out_d
FROM dl
