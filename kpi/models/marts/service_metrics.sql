-- Service metrics of ../shared/KPI.md. Grain: one row per period (pid) per group (grp).
-- Periods and the cut as in complaint_metrics.sql; applications are few, so this reads the
-- staged table directly. Rejected applications count only in services_submitted.
WITH base AS (
    SELECT {{ group() }} AS grp, is_valid, submitted_at, submitted_d, completed_at, completed_d,
        due, due_d, days_to_complete, out_at, out_d
    FROM {{ ref('stg_services') }}
    WHERE {{ scope() }}
),
sub AS (
    SELECT CAST(floor(date_diff('day', $lo, submitted_d) / $step) AS BIGINT) AS pid, grp,
        CAST(count(*) AS BIGINT) AS services_submitted
    FROM base
    WHERE submitted_at < $cut AND submitted_d >= $lo AND submitted_d < $end_day
    GROUP BY pid, grp
),
done AS (
    SELECT pid, grp, services_completed, q[1] AS median_days_to_complete FROM (
        SELECT CAST(floor(date_diff('day', $lo, completed_d) / $step) AS BIGINT) AS pid, grp,
            CAST(count(*) AS BIGINT) AS services_completed,
            {{ quantiles(days_to_complete) }} AS q
        FROM base
        WHERE completed_at < $cut AND completed_d >= $lo AND completed_d < $end_day
        GROUP BY pid, grp
    ) d
),
due AS (
    SELECT CAST(floor(date_diff('day', $lo, due_d) / $step) AS BIGINT) AS pid, grp,
        CAST(count(*) AS BIGINT) AS n_service_due,
        CAST(sum(CASE WHEN completed_at <= due THEN 1 ELSE 0 END) AS BIGINT) AS n_service_met
    FROM base
    WHERE is_valid AND due < $cut AND due_d >= $lo AND due_d < $end_day
    GROUP BY pid, grp
),
-- the service backlog: +1 when a valid application arrives, -1 when it is completed
moves AS (
    SELECT grp, date_diff('day', $lo, submitted_d) AS x, submitted_at AS event_at, 1 AS w
    FROM base WHERE is_valid
    UNION ALL
    SELECT grp, date_diff('day', $lo, out_d) AS x, out_at AS event_at, -1 AS w
    FROM base WHERE out_d IS NOT NULL
),
buckets AS (
    SELECT grp,
        CASE WHEN x < 0 THEN -1 WHEN x >= $n * $step THEN $n
            ELSE CAST(floor(x / $step) AS BIGINT) END AS pid,
        CAST(sum(w) AS BIGINT) AS w_all,
        CAST(sum(CASE WHEN event_at < $cut THEN w ELSE 0 END) AS BIGINT) AS w_cut
    FROM moves
    GROUP BY grp, pid
),
seen AS (
    SELECT grp FROM buckets
    UNION DISTINCT SELECT grp FROM sub
    UNION DISTINCT SELECT grp FROM done
    UNION DISTINCT SELECT grp FROM due
),
frame AS (
    SELECT p.pid AS pid, g.grp AS grp FROM ({{ periods() }}) p CROSS JOIN seen g
),
carried AS (
    SELECT f.pid AS pid, f.grp AS grp,
        coalesce(base.w_all, 0) + coalesce(sum(b.w_all) OVER (PARTITION BY f.grp
            ORDER BY f.pid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS w_in,
        coalesce(b.w_cut, 0) AS w_own
    FROM frame f
    LEFT JOIN buckets b ON b.grp = f.grp AND b.pid = f.pid
    LEFT JOIN (SELECT grp, w_all FROM buckets WHERE pid = -1) base ON base.grp = f.grp
)
SELECT f.pid AS pid, f.grp AS grp,
    coalesce(sub.services_submitted, 0) AS services_submitted,
    coalesce(done.services_completed, 0) AS services_completed,
    due.n_service_met / nullif(due.n_service_due, 0) AS service_sla_compliance,
    done.median_days_to_complete,
    c.w_in + c.w_own AS service_backlog,
    coalesce(due.n_service_due, 0) AS n_service_due
FROM frame f
JOIN carried c ON c.pid = f.pid AND c.grp = f.grp
LEFT JOIN sub ON sub.pid = f.pid AND sub.grp = f.grp
LEFT JOIN done ON done.pid = f.pid AND done.grp = f.grp
LEFT JOIN due ON due.pid = f.pid AND due.grp = f.grp
ORDER BY f.pid, f.grp
