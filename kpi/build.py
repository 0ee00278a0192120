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

import hashlib
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb
import holidays
import pandas as pd

from kinerja.regions import DEFAULT_CODE
from kpi.calendar import build_calendar, fixed_offset
from kpi.engine import DuckDBEngine
from kpi.render import MODELS_DIR
from kpi.settings import Settings, load_settings

# The KPI tables live beside the warehouse tables, named kpi_<model> (kpi_stg_complaints, ...).
PREFIX = "kpi_"
SOURCE_PRESETS = {"boston311": "boston", "nyc311": "nyc"}
DEFAULT_REGION = DEFAULT_CODE  # the documented default city ("Kota Contoh")
SEEDS = ("seed_regions", "seed_calendar", "seed_working_days", "seed_sla_response",
         "seed_sla_resolution")  # fmt: skip
# Materialised in the file (dbt: "table"); int_complaint_events and int_complaints_daily are
# views on DuckDB (see models/intermediate/int_complaints_daily.sql for why).
DAILY_TABLES = ("int_complaints_daily_agency",)
TABLES = ("stg_complaints", "stg_services", *DAILY_TABLES)
DAILY_DIMS = ("region_code", "agency_id", "category", "district", "channel", "source")
ROLLUP_DIMS = ("region_code", "agency_id")
EARLIEST = datetime(1970, 1, 1)
FUTURE = timedelta(days=7)  # event times: at most a week after the clock of the build
DEADLINE_FUTURE = timedelta(days=5 * 366)  # deadlines: up to five years ahead
# A row's own times within $plausible_lo..$plausible_hi (NULL times pass)
COMPLAINT_OK = """x.created_at BETWEEN $plausible_lo AND $plausible_hi
    AND coalesce(x.first_response_at, x.created_at) BETWEEN $plausible_lo AND $plausible_hi
    AND coalesce(x.closed_at, x.created_at) BETWEEN $plausible_lo AND $plausible_hi"""
SERVICE_OK = """x.submitted_at BETWEEN $plausible_lo AND $plausible_hi
    AND coalesce(x.completed_at, x.submitted_at) BETWEEN $plausible_lo AND $plausible_hi"""
# The same filters with $lo/$hi, for the views that read the warehouse tables directly (kpi.ops)
RAW_COMPLAINT_OK = COMPLAINT_OK.replace("$plausible_", "$")
RAW_SERVICE_OK = SERVICE_OK.replace("$plausible_", "$")
FAR_PAST = date(1900, 1, 1)  # before any data; the earliest date ClickHouse's Date32 holds
MEMORY_LIMIT = "1400MB"


def plausible_window(now: datetime | None = None) -> dict[str, datetime]:
    """``$plausible_lo``/``$plausible_hi`` (event times) and ``$due_hi`` (deadlines), naive UTC."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return {"plausible_lo": EARLIEST, "plausible_hi": now + FUTURE, "due_hi": now + DEADLINE_FUTURE}


def model_version() -> str:
    """A hash of every model file and of this module: a change rebuilds the stored tables."""
    h = hashlib.sha256()
    for path in sorted(MODELS_DIR.rglob("*.sql")):
        h.update(path.read_bytes())
    h.update(open(__file__, "rb").read())
    return h.hexdigest()[:16]


# ---- settings -------------------------------------------------------------------------


def preset_from_sources(con: duckdb.DuckDBPyConnection, prefix: str = "") -> str | None:
    """Without ``meta.city``: the preset of the US sample sources (boston311 → boston, nyc311 →
    nyc) when every complaint comes from one of them, so their deadlines use US holidays and
    Eastern time rather than the Indonesian default."""
    rows = con.execute(f"SELECT DISTINCT source FROM {prefix}complaints").fetchall()
    presets = {SOURCE_PRESETS.get(r[0]) for r in rows}
    return presets.pop() if len(presets) == 1 else None


def reader_settings(con, prefix: str = "", config=None, tz=None, country=None) -> Settings:
    """The settings a reader resolves (ARCHITECTURE §3): config → $KINERJA_CONFIG → meta.city
    preset (or the US sample sources' preset) → default, with the tz/country overrides."""
    meta = dict(con.execute(f"SELECT key, value FROM {prefix}meta").fetchall())
    city = meta.get("city") or preset_from_sources(con, prefix)
    return load_settings(config, city=city, tz=tz, country=country)


def region_code_of(settings: Settings) -> str:
    """The region a single-city database belongs to (its preset's ``region_code``)."""
    return str(settings.raw.get("city", {}).get("region_code") or DEFAULT_REGION)


def regions_of(settings: Settings, codes: list[str]) -> dict[str, Settings]:
    """The effective settings of each region (``Settings.for_region`` once regions exist)."""
    per = getattr(settings, "for_region", None)
    return {code: (per(code) if per else settings) for code in codes}


def fingerprint(regions: dict[str, Settings], meta: dict) -> str:
    """What the stored tables depend on besides the data: settings of every region, the holiday
    data, the models and the warehouse schema version."""
    doc = {
        "regions": {code: s.raw for code, s in sorted(regions.items())},
        "holidays": holidays.__version__,
        "models": model_version(),
        "schema_version": meta.get("schema_version"),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:24]


# ---- seeds ----------------------------------------------------------------------------


@dataclass
class Plan:
    """Everything a build needs besides the data: the regions' settings, years and zones."""

    regions: dict[str, Settings]
    first_year: int
    last_year: int
    fingerprint: str
    default_region: str
    has_region_column: dict[str, bool]
    agency_ids: tuple[str, ...] = ()

    def local_date(self):
        """The local-date SQL of the staged models: a constant offset when every region shares
        one fixed offset (fast), ICU with the zone when there is one zone with DST, else per row."""
        offsets = {fixed_offset(s, self.first_year, self.last_year) for s in self.regions.values()}
        zones = {s.timezone for s in self.regions.values()}
        if len(offsets) == 1 and None not in offsets:
            secs = int(offsets.pop().total_seconds())
            return lambda col: f"CAST({col} + INTERVAL {secs} SECOND AS DATE)"
        if len(zones) == 1:
            return lambda col: f"CAST(timezone($tz, {col} AT TIME ZONE 'UTC') AS DATE)"
        if None not in offsets:
            return lambda col: f"CAST({col} + to_seconds(_offset_s) AS DATE)"
        return lambda col: f"CAST(timezone(_tz, {col} AT TIME ZONE 'UTC') AS DATE)"

    def params(self) -> dict:
        zones = {s.timezone for s in self.regions.values()}
        return {
            "tz": zones.pop() if len(zones) == 1 else None,
            "region_code": self.default_region,
            **plausible_window(),
        }


def seeds(plan: Plan) -> dict[str, pd.DataFrame]:
    """The seed tables of every region: calendar, working days, SLA rules, zone."""
    regions, cals, res = [], [], []
    built: dict[str, pd.DataFrame] = {}  # regions with the same calendar share one (a province)
    for code, s in sorted(plan.regions.items()):
        off = fixed_offset(s, plan.first_year, plan.last_year)
        regions.append((code, s.timezone, None if off is None else int(off.total_seconds()),
                        s.response_days, s.default_resolution_days))  # fmt: skip
        key = json.dumps([s.timezone, s.country, s.holiday_categories, s.extra_working_days,
                          s.extra_non_working_days])  # fmt: skip
        if key not in built:
            built[key] = build_calendar(s, plan.first_year, plan.last_year)
        cals.append(built[key].assign(region_code=code))
        res += [(code, k, v) for k, v in s.resolution_days_by_category().items()]
    resp = list(response_days(plan).items())
    cal = pd.concat(cals, ignore_index=True)[
        ["region_code", "d", "is_working", "wd_cum", "day_end_utc"]
    ]
    return {
        "seed_regions": pd.DataFrame(
            regions,
            columns=["region_code", "tz", "utc_offset_s", "response_days", "resolution_days"],
        ).astype({"utc_offset_s": "Int64"}),  # fmt: skip
        "seed_calendar": cal,
        "seed_working_days": cal[cal["is_working"]][["region_code", "wd_cum", "d", "day_end_utc"]],
        "seed_sla_resolution": pd.DataFrame(
            res, columns=["region_code", "category", "days"]
        ).astype({"region_code": "str", "category": "str", "days": "int64"}),  # fmt: skip
        "seed_sla_response": pd.DataFrame(resp, columns=["agency_id", "days"]).astype(
            {"agency_id": "str", "days": "int64"}
        ),
    }


def response_days(plan: Plan) -> dict[str, int]:
    """Response days per agency id, from the settings of the agency's region: a settings key
    without a region (``dinas-pu``, as settings files name agencies) applies to the agency of
    that slug; a qualified key (``33.74:dinas-pu``) wins over it."""
    out: dict[str, int] = {}
    for agency_id in plan.agency_ids:
        region, _, slug = agency_id.rpartition(":")
        s = plan.regions.get(region) or plan.regions[plan.default_region]
        days = s.response_days_by_agency()
        for key in (slug, agency_id):
            if key in days:
                out[agency_id] = days[key]
    for s in plan.regions.values():  # qualified keys of agencies not (yet) in the table
        out |= {k: v for k, v in s.response_days_by_agency().items() if ":" in k and k not in out}
    return out


def data_years(con, prefix: str) -> tuple[int, int]:
    """First and last year of the data, padded by one (current year when empty): a year after
    the last record holds any deadline (≤ 60 working days)."""
    row = con.execute(
        f"""SELECT least(min(c.lo), min(s.lo)), greatest(max(c.hi), max(s.hi)) FROM
           (SELECT min(created_at) lo, max(created_at) hi FROM {prefix}complaints x
            WHERE {COMPLAINT_OK}) c,
           (SELECT min(submitted_at) lo, max(submitted_at) hi FROM {prefix}services x
            WHERE {SERVICE_OK}) s""",
        _window_params(),
    ).fetchall()[0]
    now = datetime.now(UTC).year
    return (row[0].year if row[0] else now) - 1, (row[1].year if row[1] else now) + 1


def _window_params() -> dict:
    w = plausible_window()
    return {"plausible_lo": w["plausible_lo"], "plausible_hi": w["plausible_hi"]}


def _has_region(con, prefix: str, table: str) -> bool:
    cols = con.execute(f"SELECT * FROM {prefix}{table} LIMIT 0").description
    return any(c[0] == "region_code" for c in cols)


def make_plan(con, prefix: str, settings: Settings) -> Plan:
    """Regions present in the data (or the settings' own), their settings and the years."""
    has = {t: _has_region(con, prefix, t) for t in ("complaints", "services")}
    default = region_code_of(settings)
    codes = {default}
    for table in ("complaints", "services"):
        if has[table]:
            rows = con.execute(f"SELECT DISTINCT region_code FROM {prefix}{table}").fetchall()
            codes |= {r[0] for r in rows if r[0] is not None}
    regions = regions_of(settings, sorted(codes))
    meta = dict(con.execute(f"SELECT key, value FROM {prefix}meta").fetchall())
    first, last = data_years(con, prefix)
    agencies = tuple(
        r[0] for r in con.execute(f"SELECT agency_id FROM {prefix}agencies").fetchall()
    )
    return Plan(regions, first, last, fingerprint(regions, meta), default, has, agencies)


def stored_plan_fingerprint(con, prefix: str, settings: Settings, stored: dict) -> str:
    """The fingerprint ``settings`` would give the stored tables, without scanning the data:
    the regions and years are those the tables were built for (the file is replaced whole by a
    load, so they describe its data)."""
    codes = json.loads(stored.get("regions") or "[]")
    meta = dict(con.execute(f"SELECT key, value FROM {prefix}meta").fetchall())
    return fingerprint(regions_of(settings, codes), meta)


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
        _window_params(),
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
