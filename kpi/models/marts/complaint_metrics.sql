-- Complaint metrics of ../shared/KPI.md. Grain: one row per period (pid) per group (grp).
--
-- Periods are parameters: $n consecutive ranges of $step local days from $lo ($end_day is
-- $lo + $n * $step). An event counts in period pid = floor(x / $step), x its local day minus
-- $lo, when it happened before $cut (the as-of time + 1 µs). Every event of a day before
-- $cut_day happened before the cut, whatever its region's zone: those days come from the daily
-- grain (or a rollup of it); from $cut_day on, events are read one by one and compared with $cut.
-- The backlog at the end of a period = every event before its first day + its own events before
-- the cut. Medians, p90s and the response rate (responded by the end of the period of receipt)
-- need single complaints: they read the staged table. A zero denominator gives NULL.
WITH days AS (
    -- the periods' own days: every event (whole) and the events before the cut (settled)
    SELECT {{ group() }} AS grp, date_diff('day', $lo, d) AS x,
        CASE WHEN d < $cut_day THEN 1 ELSE 0 END AS settled, 1 AS whole,
        {{ measure_names() }}
    FROM {{ ref(daily) }}
    WHERE {{ scope() }} AND d >= $lo AND d < $end_day
    UNION ALL
    SELECT {{ group() }} AS grp, date_diff('day', $lo, d) AS x, 1 AS settled, 0 AS whole,
        {{ measure_names() }}
    FROM {{ ref('int_complaint_events') }}
    WHERE {{ scope() }} AND d >= $cut_day AND d >= $lo AND d < $end_day AND event_at < $cut
),
buckets AS (
    SELECT grp, CAST(floor(x / $step) AS BIGINT) AS pid,
        {{ sum_measures(settled = 1) }},
        CAST(sum(whole * (n_received_close_known - n_bl_out)) AS BIGINT) AS b_net,
        CAST(sum(whole * (n_od_in - n_od_out)) AS BIGINT) AS o_net,
        CAST(sum(whole * n_received_close_known) AS BIGINT) AS n_tracked
    FROM days
    GROUP BY grp, pid
),
-- what the backlog carries into the first period: every backlog move before it
before AS (
    SELECT {{ group() }} AS grp,
        CAST(sum(n_received_close_known - n_bl_out) AS BIGINT) AS b_net,
        CAST(sum(n_od_in - n_od_out) AS BIGINT) AS o_net
    FROM {{ ref(daily) }}
    WHERE {{ scope() }} AND d < $lo
        AND n_received_close_known + n_bl_out + n_od_in + n_od_out > 0
    GROUP BY grp
),
-- groups whose tracked complaints all arrive after the last period (they have a backlog then)
later AS (
    SELECT DISTINCT {{ group() }} AS grp
    FROM {{ ref(daily) }}
    WHERE {{ scope() }} AND d >= $end_day AND n_received_close_known > 0
),
-- valid complaints received in the period and responded to before its end (and the cut)
responded AS (
    SELECT CAST(floor(x / $step) AS BIGINT) AS pid, grp, CAST(count(*) AS BIGINT) AS n_responded
    FROM (
        SELECT {{ group() }} AS grp, date_diff('day', $lo, created_d) AS x,
            date_diff('day', $lo, first_response_d) AS x_resp
        FROM {{ ref('stg_complaints') }}
        WHERE {{ scope() }} AND is_valid AND resp_ok AND first_response_at < $cut
            AND created_d >= $lo AND created_d < $end_day
    ) r
    WHERE x_resp < (floor(x / $step) + 1) * $step
    GROUP BY pid, grp
),
-- first responses given in the period: days from receipt (calendar, fractional)
resp_q AS (
    SELECT pid, grp, q[1] AS median_days_to_respond, q[2] AS p90_days_to_respond FROM (
        SELECT CAST(floor(date_diff('day', $lo, first_response_d) / $step) AS BIGINT) AS pid,
            {{ group() }} AS grp, {{ quantiles(days_to_respond) }} AS q
        FROM {{ ref('stg_complaints') }}
        WHERE {{ scope() }} AND is_valid AND first_response_at < $cut
            AND first_response_d >= $lo AND first_response_d < $end_day
        GROUP BY pid, grp
    ) r
),
-- complaints resolved in the period with an exact closing time: days from receipt
res_q AS (
    SELECT pid, grp, q[1] AS median_days_to_resolve, q[2] AS p90_days_to_resolve FROM (
        SELECT CAST(floor(date_diff('day', $lo, done_d) / $step) AS BIGINT) AS pid,
            {{ group() }} AS grp, {{ quantiles(days_to_resolve) }} AS q
        FROM {{ ref('stg_complaints') }}
        WHERE {{ scope() }} AND tracked AND done_at < $cut AND days_to_resolve IS NOT NULL
            AND done_d >= $lo AND done_d < $end_day
        GROUP BY pid, grp
    ) r
),
-- one row per period × group seen in any stream; groups with tracked complaints (a backlog at
-- some time) appear in every period
seen AS (
    SELECT grp FROM buckets
    WHERE n_tracked > 0 OR received + closed + n_response_due + n_resolution_due > 0
    UNION DISTINCT SELECT grp FROM before
    UNION DISTINCT SELECT grp FROM later
    UNION DISTINCT SELECT grp FROM resp_q
),
frame AS (
    SELECT p.pid AS pid, g.grp AS grp FROM ({{ periods() }}) p CROSS JOIN seen g
),
-- the backlog carried into each period: every move before its first day
carried AS (
    SELECT f.pid AS pid, f.grp AS grp,
        coalesce(bf.b_net, 0) + coalesce(sum(b.b_net) OVER (PARTITION BY f.grp
            ORDER BY f.pid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS b_in,
        coalesce(bf.o_net, 0) + coalesce(sum(b.o_net) OVER (PARTITION BY f.grp
            ORDER BY f.pid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS o_in
    FROM frame f
    LEFT JOIN buckets b ON b.grp = f.grp AND b.pid = f.pid
    LEFT JOIN before bf ON bf.grp = f.grp
)
SELECT f.pid AS pid, f.grp AS grp,
    coalesce(b.received, 0) AS received,
    b.n_rejected / nullif(b.received, 0) AS rejected_share,
    coalesce(r.n_responded, 0) / nullif(b.n_received_resp_known, 0) AS response_rate,
    b.n_response_met / nullif(b.n_response_due, 0) AS response_sla_compliance,
    b.n_resolution_met / nullif(b.n_resolution_due, 0) AS resolution_sla_compliance,
    rq.median_days_to_respond, rq.p90_days_to_respond,
    sq.median_days_to_resolve, sq.p90_days_to_resolve,
    coalesce(b.closed, 0) AS closed,
    coalesce(b.closed, 0) / nullif(b.n_received_close_known, 0) AS clearance_rate,
    c.b_in + coalesce(b.n_received_close_known - b.n_bl_out, 0) AS backlog,
    c.o_in + coalesce(b.n_od_in - b.n_od_out, 0) AS overdue_backlog,
    b.n_reopened / nullif(b.closed - b.n_closed_estimated, 0) AS reopen_rate,
    b.satisfaction_sum / nullif(b.n_rated, 0) AS satisfaction_avg,
    b.n_rated / nullif(b.n_closed_rateable, 0) AS rated_share,
    coalesce(b.n_valid_received, 0) AS n_valid_received,
    coalesce(b.n_rejected, 0) AS n_rejected,
    coalesce(b.n_response_due, 0) AS n_response_due,
    coalesce(b.n_response_met, 0) AS n_response_met,
    coalesce(b.n_resolution_due, 0) AS n_resolution_due,
    coalesce(b.n_resolution_met, 0) AS n_resolution_met,
    coalesce(b.n_received_close_known, 0) AS n_received_close_known,
    coalesce(b.n_closed_estimated, 0) AS n_closed_estimated,
    coalesce(b.n_closed_rateable, 0) AS n_closed_rateable,
    coalesce(b.n_rated, 0) AS n_rated
FROM frame f
JOIN carried c ON c.pid = f.pid AND c.grp = f.grp
LEFT JOIN buckets b ON b.pid = f.pid AND b.grp = f.grp
LEFT JOIN responded r ON r.pid = f.pid AND r.grp = f.grp
LEFT JOIN resp_q rq ON rq.pid = f.pid AND rq.grp = f.grp
LEFT JOIN res_q sq ON sq.pid = f.pid AND sq.grp = f.grp
ORDER BY f.pid, f.grp
