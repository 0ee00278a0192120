"""The metric definitions, as SQL: the one place where every figure of docs/KPI.md is defined.

Every query reads the prepared tables of ``kpi.warehouse`` (``c``: complaints with effective
deadlines, local dates and validity flags; ``s``: services likewise) and two small per-call
tables: ``periods`` (pid, cut, t_d: one row per period; ``cut`` = min(period end, as_of + 1 µs),
so "≤ as_of" and "< end" are one comparison) and ``pmap`` (d, pid, cut: the local dates of each period).

``{by}`` is a trusted column name from ``GROUPABLE`` (never user text); user values are bound
as ``$name`` parameters. Percentages are ratios of counts; a zero denominator gives NULL.

Closing times (``kpi.prepare``): ``resolved_at`` is the source's exact closing time; ``done_at``
is that, else the closing time estimated from the weekly exports (SP4N-LAPOR!). The backlog,
``closed`` and ``clearance_rate`` use ``done_at`` over the ``tracked`` rows, so
backlog(end) = backlog(start) + n_received_close_known − closed holds exactly; durations,
resolution SLA, reopen rate and ratings keep to rows with exact closing times.
"""

from __future__ import annotations

from kinerja import fields

# Stands for a NULL group value inside SQL (NULLs never match in joins); None again in pandas.
NULL_GROUP = "∅"

# Group-by columns and scope filters, derived from the one declaration (kinerja/fields.py).
GROUPABLE = {None: "'all'"} | {c: c for c in fields.dimension_columns("complaints")}
SERVICE_GROUPABLE = (
    {None: "'all'"}
    | {c: c for c in fields.dimension_columns("services")}
    | {"service_type": "service_type"}
)

# A region scope covers the region and every region below it (a province: its kab/kota).
REGION_WHERE = (
    "($region IS NULL OR region_code = $region OR starts_with(region_code, $region || '.'))"
)


def _scope_where(target: str) -> str:
    keys = [k for k in fields.scope_keys() if k != "region"]
    keys = [k for k in keys if k in fields.dimension_columns(target)]
    return "\n    AND ".join([REGION_WHERE] + [f"(${k} IS NULL OR {k} = ${k})" for k in keys])


SCOPE_WHERE = _scope_where("complaints")
SERVICE_SCOPE_WHERE = _scope_where("services")

# Grain of the result: one row per period per group ({by}).
COMPLAINT_METRICS = """
WITH base AS NOT MATERIALIZED (
    SELECT coalesce(CAST({by} AS VARCHAR), '∅') AS grp, is_valid, resp_ok, close_ok,
        created_at, created_d, first_response_at, first_response_d, resolved_at, resolved_d,
        tracked, done_at, done_d, close_estimated, rate_ok,
        resp_due, resp_due_d, res_due, res_due_d, days_to_respond, days_to_resolve,
        satisfaction, reopen_count, bl_out_at, bl_out_d, od_in_at, od_in_d, od_out_at, od_out_d
    FROM c WHERE {where}
),
-- the complaints whose open/closed state is known over time: valid, with closing times
-- exact or estimated from the exports
tracked AS NOT MATERIALIZED (SELECT * FROM base WHERE tracked),
-- complaints received in the period (created_at in P, ≤ as_of)
recv AS MATERIALIZED (
    SELECT p.pid, b.grp,
        count(*) AS received,
        count(*) FILTER (NOT b.is_valid) AS n_rejected,
        count(*) FILTER (b.is_valid) AS n_valid_received,
        count(*) FILTER (b.is_valid AND b.resp_ok) AS n_received_resp_known,
        count(*) FILTER (b.is_valid AND b.resp_ok AND b.first_response_at < p.cut) AS n_responded,
        count(*) FILTER (b.tracked) AS n_received_close_known
    FROM base b JOIN pmap p ON p.d = b.created_d
    WHERE b.created_at < p.cut
    GROUP BY ALL
),
-- first responses given in the period: days from receipt (calendar, fractional)
resp AS MATERIALIZED (
    SELECT p.pid, b.grp,
        quantile_cont(b.days_to_respond, [0.5, 0.9]) AS q_respond
    FROM base b JOIN pmap p ON p.d = b.first_response_d
    WHERE b.is_valid AND b.first_response_at < p.cut
    GROUP BY ALL
),
-- complaints resolved in the period (closing time exact or estimated); durations, reopenings
-- and ratings only over exact closing times (days_to_resolve, reopen_count and satisfaction
-- are NULL for estimated ones), and ratings only from sources that collect them (rate_ok)
res AS MATERIALIZED (
    SELECT p.pid, b.grp,
        count(*) AS closed,
        count(*) FILTER (b.close_estimated) AS n_closed_estimated,
        quantile_cont(b.days_to_resolve, [0.5, 0.9]) AS q_resolve,
        count(*) FILTER (b.reopen_count > 0) AS n_reopened,
        count(*) FILTER (b.rate_ok) AS n_closed_rateable,
        count(b.satisfaction) AS n_rated,
        avg(b.satisfaction) AS satisfaction_avg
    FROM base b JOIN pmap p ON p.d = b.done_d
    WHERE b.tracked AND b.done_at < p.cut
    GROUP BY ALL
),
-- response obligations: response deadline in P and ≤ as_of; met if responded by the deadline
rdue AS MATERIALIZED (
    SELECT p.pid, b.grp,
        count(*) AS n_response_due,
        count(*) FILTER (b.first_response_at <= b.resp_due) AS n_response_met
    FROM base b JOIN pmap p ON p.d = b.resp_due_d
    WHERE b.is_valid AND b.resp_ok AND b.resp_due < p.cut
    GROUP BY ALL
),
-- resolution obligations: resolution deadline in P and ≤ as_of; met if resolved by it
sdue AS MATERIALIZED (
    SELECT p.pid, b.grp,
        count(*) AS n_resolution_due,
        count(*) FILTER (b.resolved_at <= b.res_due) AS n_resolution_met
    FROM base b JOIN pmap p ON p.d = b.res_due_d
    WHERE b.is_valid AND b.close_ok AND b.res_due < p.cut
    GROUP BY ALL
),
-- backlog(t) = #(created < t) − #(max(created, resolved) < t); overdue likewise with the
-- deadline: #(max(created, due) < t) − #(max(created, due, resolved) < t) (these "in"/"out"
-- times are columns of c). Counted per local day before t's date, plus, for a period cut
-- inside a day (as-of), the events of that day before the cut.
daily AS MATERIALIZED (
    SELECT grp, 'b' AS k, created_d AS d, count(*) AS w FROM tracked GROUP BY ALL
    UNION ALL
    SELECT grp, 'b', bl_out_d, -count(*) FROM tracked WHERE bl_out_d IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT grp, 'o', od_in_d, count(*) FROM tracked WHERE od_in_d IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT grp, 'o', od_out_d, -count(*) FROM tracked WHERE od_out_d IS NOT NULL GROUP BY ALL
),
partial AS (SELECT * FROM periods WHERE is_partial),
sameday AS (
    SELECT p.pid, x.grp, 'b' AS k, count(*) AS w
    FROM tracked x JOIN partial p ON x.created_d = p.t_d AND x.created_at < p.cut GROUP BY ALL
    UNION ALL
    SELECT p.pid, x.grp, 'b', -count(*)
    FROM tracked x JOIN partial p ON x.bl_out_d = p.t_d AND x.bl_out_at < p.cut GROUP BY ALL
    UNION ALL
    SELECT p.pid, x.grp, 'o', count(*)
    FROM tracked x JOIN partial p ON x.od_in_d = p.t_d AND x.od_in_at < p.cut GROUP BY ALL
    UNION ALL
    SELECT p.pid, x.grp, 'o', -count(*)
    FROM tracked x JOIN partial p ON x.od_out_d = p.t_d AND x.od_out_at < p.cut GROUP BY ALL
),
-- each day's net change goes to the first cut date after it, then a running sum over cut dates
tds AS (SELECT DISTINCT t_d FROM periods),
bucketed AS (
    SELECT x.grp, x.k, b.t_d, sum(x.w) AS w
    FROM daily x ASOF JOIN tds b ON x.d < b.t_d
    GROUP BY ALL
),
cum AS (
    SELECT g.grp, g.k, t.t_d,
        sum(coalesce(b.w, 0)) OVER (PARTITION BY g.grp, g.k ORDER BY t.t_d) AS w
    FROM (SELECT DISTINCT grp, k FROM daily) g CROSS JOIN tds t
    LEFT JOIN bucketed b ON b.grp = g.grp AND b.k = g.k AND b.t_d = t.t_d
),
bl AS (
    SELECT pid, grp,
        coalesce(sum(w) FILTER (k = 'b'), 0) AS backlog,
        coalesce(sum(w) FILTER (k = 'o'), 0) AS overdue_backlog
    FROM (
        SELECT p.pid, x.grp, x.k, x.w FROM cum x JOIN periods p ON x.t_d = p.t_d
        UNION ALL
        SELECT pid, grp, k, w FROM sameday
    )
    GROUP BY ALL
),
-- one row per period × group seen in any stream (groups with backlog appear in every period)
frame AS (
    SELECT p.pid, g.grp FROM periods p CROSS JOIN (
        SELECT grp FROM recv UNION SELECT grp FROM resp UNION SELECT grp FROM res
        UNION SELECT grp FROM rdue UNION SELECT grp FROM sdue UNION SELECT grp FROM daily
    ) g
)
SELECT f.pid, f.grp,
    coalesce(recv.received, 0) AS received,
    recv.n_rejected / nullif(recv.received, 0) AS rejected_share,
    recv.n_responded / nullif(recv.n_received_resp_known, 0) AS response_rate,
    rdue.n_response_met / nullif(rdue.n_response_due, 0) AS response_sla_compliance,
    sdue.n_resolution_met / nullif(sdue.n_resolution_due, 0) AS resolution_sla_compliance,
    resp.q_respond[1] AS median_days_to_respond, resp.q_respond[2] AS p90_days_to_respond,
    res.q_resolve[1] AS median_days_to_resolve, res.q_resolve[2] AS p90_days_to_resolve,
    coalesce(res.closed, 0) AS closed,
    coalesce(res.closed, 0) / nullif(recv.n_received_close_known, 0) AS clearance_rate,
    coalesce(bl.backlog, 0) AS backlog,
    coalesce(bl.overdue_backlog, 0) AS overdue_backlog,
    res.n_reopened / nullif(res.closed - res.n_closed_estimated, 0) AS reopen_rate,
    res.satisfaction_avg,
    res.n_rated / nullif(res.n_closed_rateable, 0) AS rated_share,
    coalesce(recv.n_valid_received, 0) AS n_valid_received,
    coalesce(recv.n_rejected, 0) AS n_rejected,
    coalesce(rdue.n_response_due, 0) AS n_response_due,
    coalesce(rdue.n_response_met, 0) AS n_response_met,
    coalesce(sdue.n_resolution_due, 0) AS n_resolution_due,
    coalesce(sdue.n_resolution_met, 0) AS n_resolution_met,
    coalesce(recv.n_received_close_known, 0) AS n_received_close_known,
    coalesce(res.n_closed_estimated, 0) AS n_closed_estimated,
    coalesce(res.n_closed_rateable, 0) AS n_closed_rateable,
    coalesce(res.n_rated, 0) AS n_rated
FROM frame f
LEFT JOIN recv USING (pid, grp)
LEFT JOIN resp USING (pid, grp)
LEFT JOIN res USING (pid, grp)
LEFT JOIN rdue USING (pid, grp)
LEFT JOIN sdue USING (pid, grp)
LEFT JOIN bl USING (pid, grp)
ORDER BY f.pid, f.grp
"""

# Grain: one row per period per group. Rejected applications count only in services_submitted.
SERVICE_METRICS = """
WITH base AS NOT MATERIALIZED (
    SELECT coalesce(CAST({by} AS VARCHAR), '∅') AS grp, is_valid, submitted_at,
        submitted_d, completed_at, completed_d, due, due_d, days_to_complete, out_at, out_d
    FROM s WHERE {where}
),
sub AS MATERIALIZED (
    SELECT p.pid, b.grp, count(*) AS services_submitted
    FROM base b JOIN pmap p ON p.d = b.submitted_d
    WHERE b.submitted_at < p.cut GROUP BY ALL
),
done AS MATERIALIZED (
    SELECT p.pid, b.grp, count(*) AS services_completed,
        median(b.days_to_complete) AS median_days_to_complete
    FROM base b JOIN pmap p ON p.d = b.completed_d
    WHERE b.completed_at < p.cut GROUP BY ALL
),
due AS MATERIALIZED (
    SELECT p.pid, b.grp, count(*) AS n_service_due,
        count(*) FILTER (b.completed_at <= b.due) AS n_service_met
    FROM base b JOIN pmap p ON p.d = b.due_d
    WHERE b.is_valid AND b.due < p.cut GROUP BY ALL
),
daily AS MATERIALIZED (
    SELECT grp, submitted_d AS d, count(*) AS w FROM base WHERE is_valid GROUP BY ALL
    UNION ALL
    SELECT grp, out_d, -count(*) FROM base WHERE out_d IS NOT NULL GROUP BY ALL
),
partial AS (SELECT * FROM periods WHERE is_partial),
sameday AS (
    SELECT p.pid, x.grp, count(*) AS w
    FROM base x JOIN partial p ON x.submitted_d = p.t_d AND x.submitted_at < p.cut
    WHERE x.is_valid GROUP BY ALL
    UNION ALL
    SELECT p.pid, x.grp, -count(*)
    FROM base x JOIN partial p ON x.out_d = p.t_d AND x.out_at < p.cut GROUP BY ALL
),
tds AS (SELECT DISTINCT t_d FROM periods),
bucketed AS (
    SELECT x.grp, b.t_d, sum(x.w) AS w
    FROM daily x ASOF JOIN tds b ON x.d < b.t_d
    GROUP BY ALL
),
cum AS (
    SELECT g.grp, t.t_d, sum(coalesce(b.w, 0)) OVER (PARTITION BY g.grp ORDER BY t.t_d) AS w
    FROM (SELECT DISTINCT grp FROM daily) g CROSS JOIN tds t
    LEFT JOIN bucketed b ON b.grp = g.grp AND b.t_d = t.t_d
),
bl AS (
    SELECT pid, grp, coalesce(sum(w), 0) AS service_backlog FROM (
        SELECT p.pid, x.grp, x.w FROM cum x JOIN periods p ON x.t_d = p.t_d
        UNION ALL
        SELECT pid, grp, w FROM sameday
    ) GROUP BY ALL
),
frame AS (
    SELECT p.pid, g.grp FROM periods p CROSS JOIN (
        SELECT grp FROM sub UNION SELECT grp FROM done UNION SELECT grp FROM due
        UNION SELECT grp FROM daily
    ) g
)
SELECT f.pid, f.grp,
    coalesce(sub.services_submitted, 0) AS services_submitted,
    coalesce(done.services_completed, 0) AS services_completed,
    due.n_service_met / nullif(due.n_service_due, 0) AS service_sla_compliance,
    done.median_days_to_complete,
    coalesce(bl.service_backlog, 0) AS service_backlog,
    coalesce(due.n_service_due, 0) AS n_service_due
FROM frame f
LEFT JOIN sub USING (pid, grp)
LEFT JOIN done USING (pid, grp)
LEFT JOIN due USING (pid, grp)
LEFT JOIN bl USING (pid, grp)
ORDER BY f.pid, f.grp
"""
