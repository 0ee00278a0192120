"""Build the KPI tables: seeds, the staged tables and the daily grain, once per load.

``refresh(con, load_id=...)`` is what the ETL calls after a successful load, inside its atomic
replace: it (re)builds, in the database file,

- (every table named ``kpi_<model>``, beside the warehouse tables) the seeds from the settings:
  ``seed_regions``, ``seed_calendar``, ``seed_working_days``,
  ``seed_sla_response``, ``seed_sla_resolution`` (kpi.calendar: one row per region × local date);
- ``stg_complaints``, ``stg_services`` (models/staging) and the daily grain rolled up to
  region × agency × day, ``int_complaints_daily_agency`` (models/intermediate);
- ``build_info``: the settings fingerprint the tables were built with, the data's as-of time, ...

A load that only touched some complaints (``load_id``) rebuilds only their staged rows and the
daily rows from the earliest day any of their events falls on; anything else (no tables yet, other
settings or models, a new year, a source that starts collecting ratings) rebuilds everything.

A reader whose settings give another fingerprint (``--config``/``--tz``/``--country``, or a
database built before this existed) builds the same tables in memory at open (``build``).
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime

import duckdb

from kpi.engine import DuckDBEngine

# Everything a build depends on besides the data, re-exported for the readers (kpi.warehouse).
from kpi.plan import (  # noqa: F401
    COMPLAINT_OK,
    FAR_PAST,
    RAW_COMPLAINT_OK,
    RAW_SERVICE_OK,
    SERVICE_OK,
    SOURCE_PRESETS,
    Plan,
    make_plan,
    plausible_window,
    reader_settings,
    regions_of,
    seeds,
    stored_plan_fingerprint,
    window_params,
)

# The KPI tables live beside the warehouse tables, named kpi_<model> (kpi_stg_complaints, ...).
PREFIX = "kpi_"
SEEDS = ("seed_regions", "seed_calendar", "seed_working_days", "seed_sla_response",
         "seed_sla_resolution")  # fmt: skip
# Materialised in the file (dbt: "table"); int_complaint_events and int_complaints_daily are
# views on DuckDB (see models/intermediate/int_complaints_daily.sql for why).
DAILY_TABLES = ("int_complaints_daily_agency",)
TABLES = ("stg_complaints", "stg_services", *DAILY_TABLES)
MEMORY_LIMIT = "1400MB"


# ---- building -------------------------------------------------------------------------


def _context(plan: Plan, touched: str | None = None) -> dict:
    def region(alias, table="complaints"):
        return f"coalesce({alias}.region_code, $region_code)" if plan.has_region_column.get(
            table) else "CAST($region_code AS VARCHAR)"  # fmt: skip

    def touched_filter(alias, key):
        if touched is None:
            return ""
        return (f"AND ({alias}.source, {alias}.id_scope, {alias}.{key}) IN "
                f"(SELECT source, id_scope, key FROM {touched})")  # fmt: skip

    return {
        "local_date": plan.local_date(),
        "region_code": region,
        "touched": touched_filter,
        "plausible_complaint": lambda alias: COMPLAINT_OK.replace("x.", f"{alias}."),
        "plausible_service": lambda alias: SERVICE_OK.replace("x.", f"{alias}."),
    }


def engine_for(con, source_prefix: str, target: str, plan: Plan, touched=None) -> DuckDBEngine:
    """A DuckDB engine whose sources are ``{source_prefix}complaints``... and models
    ``{target}stg_complaints``... (``target``: ``kpi_``, ``wh.kpi_`` or ``memory.kpi_``)."""
    relations = {name: f"{source_prefix}{name}" for name in
                 ("complaints", "services", "status_history", "meta")}  # fmt: skip
    relations |= {name: f"{target}{name}" for name in SEEDS + TABLES}
    relations["int_complaint_events"] = "ephemeral:intermediate/int_complaint_events"
    return DuckDBEngine(lambda: con, relations, _context(plan, touched))


def build(con, source_prefix: str, target: str, plan: Plan) -> dict:
    """Build every table of the plan as ``{target}<name>`` (a full build); return build_info."""
    clock = [time.perf_counter()]
    seconds = {}

    def lap(name):
        clock.append(time.perf_counter())
        seconds[name] = round(clock[-1] - clock[-2], 3)

    eng = engine_for(con, source_prefix, target, plan)
    for name, frame in seeds(plan).items():
        eng.register(f"{target}{name}", frame)
    lap("seeds")
    params = plan.params()
    # the staged rows keep the warehouse's order, so that a scan returns them in one order
    # (ties in the app's sorted lists stay put from one call to the next)
    keep = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("SET preserve_insertion_order = true")
    for name in ("stg_complaints", "stg_services"):
        sql = eng.render(f"staging/{name}")
        eng.execute(f"CREATE OR REPLACE TABLE {target}{name} AS {sql}", params)
        lap(name)
    con.execute(f"SET preserve_insertion_order = {str(keep).lower()}")
    for name in DAILY_TABLES:
        sql = eng.render(f"intermediate/{name}")
        eng.execute(f"CREATE OR REPLACE TABLE {target}{name} AS {sql}", {"from_day": FAR_PAST})
        lap(name)
    info = _info(con, source_prefix, plan)
    info["seconds"] = json.dumps(seconds)
    _write_info(con, target, info)
    return info


def _info(con, prefix: str, plan: Plan) -> dict:
    as_of = con.execute(
        f"""SELECT greatest(
            (SELECT max(greatest(created_at, first_response_at, closed_at))
             FROM {prefix}complaints x WHERE {COMPLAINT_OK}),
            (SELECT max(greatest(submitted_at, completed_at))
             FROM {prefix}services x WHERE {SERVICE_OK}))""",
        window_params(),
    ).fetchall()[0][0]
    rating = con.execute(
        f"SELECT source FROM {prefix}complaints GROUP BY source "
        "HAVING bool_or(satisfaction IS NOT NULL) ORDER BY source"
    ).fetchall()
    return {
        "fingerprint": plan.fingerprint,
        "built_at": datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
        "data_as_of": as_of.isoformat(sep=" ") if as_of else None,
        "first_year": str(plan.first_year),
        "last_year": str(plan.last_year),
        "rating_sources": json.dumps([r[0] for r in rating]),
        "regions": json.dumps(sorted(plan.regions)),
    }


def _write_info(con, target: str, info: dict) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {target}build_info (key VARCHAR, value VARCHAR)")
    con.executemany(f"INSERT INTO {target}build_info VALUES (?, ?)", list(info.items()))


def stored_info(con, prefix: str) -> dict | None:
    """``build_info`` of the database (``prefix`` e.g. ``wh.``), None when it has no KPI tables."""
    database = prefix.rstrip(".") or con.execute("SELECT current_database()").fetchall()[0][0]
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name = ?",
        [database, f"{PREFIX}build_info"],
    ).fetchall()[0][0]
    if not found:
        return None
    return dict(con.execute(f"SELECT key, value FROM {prefix}{PREFIX}build_info").fetchall())


# ---- the ETL's entry ------------------------------------------------------------------


def refresh(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> dict:
    """(Re)build the KPI tables in the database of ``con`` after a load; return what was done.

    Called by ``etl.load`` inside its atomic replace (``con`` is the new file). With the
    ``load_id`` of the load, only the complaints and applications it inserted or updated (and
    the days their events fall on) are rebuilt, when nothing else changed.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    # the ETL's own bound (a 5 M-row load stays within 2 GB); every query here orders itself
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    settings = reader_settings(con)
    plan = make_plan(con, "", settings)
    stored = stored_info(con, "")
    why = _full_reason(con, plan, stored, load_id)
    if why:
        build(con, "", PREFIX, plan)
        out = {"mode": "full", "reason": why}
    else:
        out = {"mode": "incremental", **_incremental(con, plan, int(load_id))}
    info = _info(con, "", plan)
    cost = {"seconds": round(time.perf_counter() - wall, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3)}  # fmt: skip
    _write_info(con, PREFIX, {**info, "mode": out["mode"], "cost": json.dumps(cost)})
    return out


def _full_reason(con, plan: Plan, stored: dict | None, load_id) -> str | None:
    if stored is None:
        return "no KPI tables yet"
    if stored.get("fingerprint") != plan.fingerprint:
        return "settings or models changed"
    if (stored.get("first_year"), stored.get("last_year")) != (
        str(plan.first_year), str(plan.last_year)):  # fmt: skip
        return "the data reaches another year"
    if load_id is None:
        return "no load given"
    if json.loads(stored.get("rating_sources") or "[]") != json.loads(
        _info(con, "", plan)["rating_sources"]):  # fmt: skip
        return "a source started or stopped collecting ratings"
    if os.environ.get("KINERJA_KPI_FULL_BUILD"):
        return "asked for ($KINERJA_KPI_FULL_BUILD)"
    return None


EVENT_DAYS = (
    "least(created_d, first_response_d, done_d, resp_due_d, res_due_d, bl_out_d, od_in_d, od_out_d)"
)


def _incremental(con, plan: Plan, load_id: int) -> dict:
    """Rebuild the staged rows a load touched and the daily grain from their earliest event day."""
    out = {}
    for table, key, staged, days in (
        ("complaints", "complaint_id", "stg_complaints", EVENT_DAYS),
        ("services", "service_id", "stg_services", "least(submitted_d, completed_d, due_d, out_d)"),
    ):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE kpi_touched AS SELECT source, id_scope, {key} AS key "
            f"FROM {table} WHERE load_id = ?",
            [load_id],
        )
        if table == "complaints":
            con.execute(
                "INSERT INTO kpi_touched SELECT DISTINCT source, id_scope, complaint_id "
                "FROM status_history WHERE load_id = ?",
                [load_id],
            )
        n = con.execute("SELECT count(*) FROM kpi_touched").fetchall()[0][0]
        out[f"touched_{table}"] = n
        if not n:
            continue
        eng = engine_for(con, "", PREFIX, plan, touched="kpi_touched")
        match = (
            f"(x.source, x.id_scope, x.{key}) IN (SELECT source, id_scope, key FROM kpi_touched)"
        )
        old = con.execute(f"SELECT min({days}) FROM {PREFIX}{staged} x WHERE {match}").fetchall()[
            0
        ][0]
        con.execute(f"DELETE FROM {PREFIX}{staged} x WHERE {match}")
        eng.execute(
            f"INSERT INTO {PREFIX}{staged} {eng.render(f'staging/{staged}')}", plan.params()
        )
        new = con.execute(f"SELECT min({days}) FROM {PREFIX}{staged} x WHERE {match}").fetchall()[
            0
        ][0]
        if table == "complaints":
            start = min(d for d in (old, new, date.max) if d is not None)
            out["from_day"] = None if start == date.max else start.isoformat()
            if start != date.max:
                for name in DAILY_TABLES:
                    con.execute(f"DELETE FROM {PREFIX}{name} WHERE d >= ?", [start])
                    eng.execute(
                        f"INSERT INTO {PREFIX}{name} {eng.render(f'intermediate/{name}')}",
                        {"from_day": start},
                    )
    return out
