"""What a build of the KPI tables depends on besides the data (kpi/build.py): the settings of
every region in the database, the years of its calendar, the plausible-date window, and the
seed tables made from them (working-day calendars, SLA rules, zones); and the fingerprint that
tells a reader whether the stored tables were built with its settings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import holidays
import pandas as pd

from kinerja.regions import DEFAULT_CODE
from kpi.calendar import build_calendar, fixed_offset
from kpi.render import MODELS_DIR
from kpi.settings import Settings, load_settings

SOURCE_PRESETS = {"boston311": "boston", "nyc311": "nyc"}
DEFAULT_REGION = DEFAULT_CODE  # the documented default city ("Kota Contoh")
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
FAR_PAST = date(1900, 1, 1)  # before any data; the earliest date ClickHouse's Date32 holds


def plausible_window(now: datetime | None = None) -> dict[str, datetime]:
    """``$plausible_lo``/``$plausible_hi`` (event times) and ``$due_hi`` (deadlines), naive UTC."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return {"plausible_lo": EARLIEST, "plausible_hi": now + FUTURE, "due_hi": now + DEADLINE_FUTURE}


def model_version() -> str:
    """A hash of every model file and of the build code: a change rebuilds the stored tables."""
    h = hashlib.sha256()
    for path in sorted(MODELS_DIR.rglob("*.sql")):
        h.update(path.read_bytes())
    here = Path(__file__).resolve().parent
    for name in ("plan.py", "build.py"):
        h.update((here / name).read_bytes())
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
        window_params(),
    ).fetchall()[0]
    now = datetime.now(UTC).year
    return (row[0].year if row[0] else now) - 1, (row[1].year if row[1] else now) + 1


def window_params() -> dict:
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
