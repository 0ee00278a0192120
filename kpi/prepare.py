"""Build the in-memory tables every metric reads, once per ``Warehouse.open``.

- ``cal`` (one row per local date) and ``wd`` (one row per working day, by its index), from
  ``kpi.calendar``;
- ``sla_res`` (category → resolution working days), ``sla_resp`` (agency → response days);
- ``c``: one row per complaint with its effective deadlines (the source's own, else computed
  from the calendar), local dates of each event, and the flags that say which metrics it can
  enter (``is_valid``: not rejected; ``resp_ok``/``close_ok``: its source reports that time;
  ``rate_ok``: its source collects satisfaction ratings at all, i.e. some row has one, and its
  closing time is exact);
- for a resolved row without a closing time (SP4N-LAPOR! exports), an **estimated** closing
  time ``est_closed_at``: the ``seen_at`` of the first export in which it appeared resolved
  (after its last non-resolved sighting, so a reopened complaint closes when it last became
  resolved), from ``wh.status_history``. ``done_at``/``done_d`` = the exact closing time, else
  the estimate: the backlog, ``closed`` and the clearance rate use it (``tracked``: valid and
  its open/closed state over time is known or estimated); duration, SLA, reopen and rating
  metrics keep to exact times (``resolved_at``; ``satisfaction`` and ``reopen_count`` are NULL
  on rows with an estimated closing time);
- ``s``: one row per service application, likewise.

A warehouse loaded before the ETL bounded dates may hold times no complaint can have (year 1,
9999, 2099). Rows whose own times fall outside ``plausible_window`` are left out of ``c``/``s``
(so of every metric, the calendar's range and the data's as-of time), and a source deadline
outside it counts as absent (computed from the calendar instead).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd

from kpi.calendar import build_calendar, fixed_offset, local_date_sql
from kpi.settings import Settings

EARLIEST = datetime(1970, 1, 1)
FUTURE = timedelta(days=7)  # event times: at most a week after the reader's clock
DEADLINE_FUTURE = timedelta(days=5 * 366)  # deadlines: up to five years ahead


def plausible_window(now: datetime | None = None) -> dict[str, datetime]:
    """``$lo``/``$hi`` (event times) and ``$due_hi`` (deadlines), naive UTC."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return {"lo": EARLIEST, "hi": now + FUTURE, "due_hi": now + DEADLINE_FUTURE}


# A complaint's event times within $lo..$hi (NULL times pass)
COMPLAINT_OK = """x.created_at BETWEEN $lo AND $hi
    AND coalesce(x.first_response_at, x.created_at) BETWEEN $lo AND $hi
    AND coalesce(x.closed_at, x.created_at) BETWEEN $lo AND $hi"""
SERVICE_OK = """x.submitted_at BETWEEN $lo AND $hi
    AND coalesce(x.completed_at, x.submitted_at) BETWEEN $lo AND $hi"""


def _due(column: str) -> str:
    return f"CASE WHEN x.{column} BETWEEN $lo AND $due_hi THEN x.{column} END AS {column}"


ENRICH_COMPLAINTS = (
    """
CREATE OR REPLACE TABLE c AS
WITH src AS (
    SELECT x.* EXCLUDE (body, raw_status, reporter_hash, exported_at, load_id)
        REPLACE ("""
    + _due("response_due_at")
    + ", "
    + _due("resolution_due_at")
    + """),
        {ld_created} AS created_d
    FROM wh.complaints x
    WHERE """
    + COMPLAINT_OK
    + """
),"""
    + """
-- sources with a rating on at least one row collect ratings; the others never do (Boston 311)
rating_src AS (
    SELECT source, bool_or(satisfaction IS NOT NULL) AS rating_ok FROM wh.complaints GROUP BY ALL
),
-- estimated closing time for rows without one: the first export showing the complaint resolved
-- after its last non-resolved sighting (status_history has one row per status change seen)
hist AS (
    SELECT source, id_scope, complaint_id, status, seen_at,
        max(seen_at) FILTER (status <> 'resolved')
            OVER (PARTITION BY source, id_scope, complaint_id) AS last_other
    FROM wh.status_history
    WHERE source IN (SELECT DISTINCT source FROM wh.complaints WHERE closed_at_missing)
        AND seen_at BETWEEN $lo AND $hi
),
est AS (
    SELECT source, id_scope, complaint_id, min(seen_at) AS est_closed_at FROM hist
    WHERE status = 'resolved' AND (last_other IS NULL OR seen_at > last_other)
    GROUP BY ALL
),
dl AS (
    SELECT src.*,
        coalesce(src.response_due_at, wr.day_end_utc) AS resp_due,
        coalesce(src.resolution_due_at, ws.day_end_utc) AS res_due
    FROM src
    LEFT JOIN cal ON cal.d = src.created_d
    LEFT JOIN sla_resp sp ON sp.agency_id = src.agency_id
    LEFT JOIN sla_res sr ON sr.category = src.category
    LEFT JOIN wd wr ON wr.wd_cum = cal.wd_cum + coalesce(sp.days, $resp_days)
    LEFT JOIN wd ws ON ws.wd_cum = cal.wd_cum + coalesce(sr.days, $res_days)
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
    SELECT source, complaint_id, region_code, agency_id, category, district, village, channel,
        title,
        status, created_at, created_d, closed_at,
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
        {ld_fr} AS first_response_d,
        {ld_res} AS resolved_d,
        {ld_done} AS done_d,
        {ld_rdue} AS resp_due_d,
        {ld_sdue} AS res_due_d,
        date_diff('microsecond', created_at, first_response_at) / 86400e6 AS days_to_respond,
        date_diff('microsecond', created_at, resolved_at) / 86400e6 AS days_to_resolve
    FROM flags
)
-- when each complaint enters and leaves the backlog and the overdue backlog (queries.py);
-- NULL when it never does (DuckDB's greatest() skips NULLs, hence the CASEs)
SELECT *,
    CASE WHEN done_at IS NOT NULL THEN greatest(created_at, done_at) END AS bl_out_at,
    CASE WHEN done_at IS NOT NULL THEN greatest(created_d, done_d) END AS bl_out_d,
    CASE WHEN res_due IS NOT NULL THEN greatest(created_at, res_due) END AS od_in_at,
    CASE WHEN res_due IS NOT NULL THEN greatest(created_d, res_due_d) END AS od_in_d,
    CASE WHEN done_at IS NOT NULL AND res_due IS NOT NULL
        THEN greatest(created_at, res_due, done_at) END AS od_out_at,
    CASE WHEN done_at IS NOT NULL AND res_due IS NOT NULL
        THEN greatest(created_d, res_due_d, done_d) END AS od_out_d
FROM dated
"""
)

ENRICH_SERVICES = (
    """
CREATE OR REPLACE TABLE s AS
WITH src AS (
    SELECT x.* REPLACE ("""
    + _due("due_at")
    + """), {ld_sub} AS submitted_d FROM wh.services x
    WHERE """
    + SERVICE_OK
    + """
),"""
    + """
dl AS (
    SELECT src.source, src.service_id, src.service_type, src.region_code, src.agency_id,
        src.district,
        src.channel, src.submitted_at, src.submitted_d, src.status,
        src.status <> 'rejected' AS is_valid,
        CASE WHEN src.status = 'completed' THEN src.completed_at END AS completed_at,
        coalesce(src.due_at, w.day_end_utc) AS due
    FROM src
    LEFT JOIN cal ON cal.d = src.submitted_d
    LEFT JOIN wd w ON w.wd_cum = cal.wd_cum + src.standard_days
)
SELECT *,
    {ld_done} AS completed_d,
    {ld_due} AS due_d,
    date_diff('microsecond', submitted_at, completed_at) / 86400e6 AS days_to_complete,
    CASE WHEN completed_at IS NOT NULL THEN greatest(submitted_at, completed_at) END AS out_at,
    CASE WHEN completed_at IS NOT NULL THEN {ld_out} END AS out_d
FROM dl
"""
)


def _qualified(con, days: dict[str, int]) -> dict[str, int]:
    """Agency response days keyed by agency id: a key without a region (``dinas-pu``, as
    settings files name agencies) applies to the agency of that slug in every region; a
    qualified key (``33.74:dinas-pu``) wins over it."""
    ids = [r[0] for r in con.execute("SELECT agency_id FROM wh.agencies").fetchall()]
    out: dict[str, int] = {}
    for key, n in days.items():
        if ":" in key:
            continue
        for agency_id in ids:
            if agency_id.split(":", 1)[-1] == key:
                out[agency_id] = n
    out.update({k: n for k, n in days.items() if ":" in k})
    return out


def data_years(con: duckdb.DuckDBPyConnection, window: dict) -> tuple[int, int]:
    """First and last year of the data (current year when empty), for the calendar range."""
    row = con.execute(
        f"""SELECT least(min(c.lo), min(s.lo)), greatest(max(c.hi), max(s.hi)) FROM
           (SELECT min(created_at) lo, max(created_at) hi FROM wh.complaints x
            WHERE {COMPLAINT_OK}) c,
           (SELECT min(submitted_at) lo, max(submitted_at) hi FROM wh.services x
            WHERE {SERVICE_OK}) s""",
        {"lo": window["lo"], "hi": window["hi"]},
    ).fetchall()[0]
    now = datetime.now(UTC).year
    lo = row[0].year if row[0] else now
    hi = row[1].year if row[1] else now
    return lo - 1, hi + 1  # a year after the last record holds any deadline (≤ 60 working days)


def build_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict:
    """Create cal, wd, sla tables, c and s in the in-memory catalog; return calendar facts."""
    window = plausible_window()
    first, last = data_years(con, window)
    cal = build_calendar(settings, first, last)
    offset = fixed_offset(settings, first, last)
    con.register("cal_df", cal)
    con.execute("CREATE OR REPLACE TABLE cal AS SELECT * FROM cal_df")
    con.unregister("cal_df")
    con.execute(
        "CREATE OR REPLACE TABLE wd AS SELECT wd_cum, d, day_end_utc FROM cal WHERE is_working"
    )
    res = pd.DataFrame(
        list(settings.resolution_days_by_category().items()), columns=["category", "days"]
    ).astype({"category": "str", "days": "int64"})
    resp = pd.DataFrame(
        list(_qualified(con, settings.response_days_by_agency()).items()),
        columns=["agency_id", "days"],
    ).astype({"agency_id": "str", "days": "int64"})
    for name, df in (("sla_res", res), ("sla_resp", resp)):
        con.register(f"{name}_df", df)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")
    params = {"resp_days": settings.response_days, "res_days": settings.default_resolution_days}
    params |= window
    ld = {
        "ld_created": "created_at",
        "ld_fr": "first_response_at",
        "ld_res": "resolved_at",
        "ld_done": "done_at",
        "ld_rdue": "resp_due",
        "ld_sdue": "res_due",
    }
    sql = ENRICH_COMPLAINTS.format(**{k: local_date_sql(v, offset) for k, v in ld.items()})
    if offset is None:
        params["tz"] = settings.timezone
    con.execute(sql, params)
    ld_s = {"ld_sub": "submitted_at", "ld_done": "completed_at", "ld_due": "due",
            "ld_out": "greatest(submitted_at, completed_at)"}  # fmt: skip
    sql = ENRICH_SERVICES.format(**{k: local_date_sql(v, offset) for k, v in ld_s.items()})
    con.execute(sql, window | ({"tz": settings.timezone} if offset is None else {}))
    return {"first_year": first, "last_year": last, "offset": offset, "window": window}
