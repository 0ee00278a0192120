"""``Warehouse``: the read-only face of the DuckDB file for pages, CLI, benchmarks and tests.

``open`` attaches the file READ_ONLY to a fresh in-memory connection (so it sees the newest file
after an ETL ``os.replace``). The KPI tables (``kpi.build``: staged complaints, the daily grain)
are read from the file when they were built with the reader's settings; otherwise (other
``--config``/``--tz``/``--country``, or a database built before they existed) they are built in
memory at open, and ``info()["kpi_tables"]`` says so. Every public method runs a model of
``kpi/models`` through the engine seam (``kpi.engine``) and only reshapes with pandas. Periods
and scopes are query parameters; each thread queries through its own cursor, so no lock.
"""

from __future__ import annotations

import contextlib
import json
import threading
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from kinerja import fields
from kinerja.paths import resolve_db
from kpi import build, queries, views
from kpi.definitions import COMPLAINT_METRICS, METRICS, SERVICE_METRICS
from kpi.engine import DuckDBEngine
from kpi.periods import (
    default_week,
    iso_weeks,
    period_frames,
    period_params,
    resolve_range,
    week_label,
)
from kpi.score import add_scores
from kpi.settings import Settings

SCOPE_KEYS = fields.scope_keys()  # region, agency_id, category, district, channel
SOURCE_PRESETS = build.SOURCE_PRESETS
# Scopes the rollup (region × agency × day) can answer; other dimensions read the daily grain.
ROLLUP_SCOPE = {"region", "agency_id"}


class WarehouseError(RuntimeError):
    """The database cannot be read (missing file, not a Kinerja database)."""


class Warehouse(views.ViewsMixin):
    """A prepared, read-only view of one Kinerja database (see docs/ARCHITECTURE.md §4)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, settings: Settings, facts: dict):
        self._root = con
        self._local = threading.local()
        self.path = path
        self.settings = settings
        self.facts = facts
        # Kept for callers written when one connection was shared; cursors make it unnecessary.
        self.lock = contextlib.nullcontext()
        self.engine = DuckDBEngine(self._cursor, facts["relations"])

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the warehouse (a DuckDB connection is not thread-safe)."""
        return self._cursor()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._root.cursor()
            cur.execute("SET TimeZone = 'UTC'")
            self._local.cursor = cur
        return cur

    @classmethod
    def open(
        cls, db_path=None, settings: Settings | None = None, config=None, tz=None, country=None
    ):
        """Attach the database read-only; use its KPI tables or build them in memory.

        ``settings`` None: resolved as in ARCHITECTURE §3 (config → $KINERJA_CONFIG → meta.city
        preset → default), with ``tz``/``country`` overrides.
        """
        path = resolve_db(db_path)
        if not path.is_file():
            raise WarehouseError(
                f"database not found: {path} (load data with `python -m etl load`)"
            )
        upgraded = _upgrade(path)
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")  # it would print to stdout (JSON output)
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET preserve_insertion_order = false")  # every query orders explicitly
        con.execute("SET enable_progress_bar = false")  # stdout belongs to the CLI's output
        literal = str(path).replace("'", "''")
        try:
            con.execute(f"ATTACH '{literal}' AS wh (READ_ONLY)")
            meta = dict(con.execute("SELECT key, value FROM wh.meta").fetchall())
        except duckdb.Error as exc:
            con.close()
            raise WarehouseError(f"{path}: not a readable Kinerja database ({exc})") from exc
        if settings is None:
            settings = build.reader_settings(con, "wh.", config, tz, country)
        facts = _prepare(con, settings)
        facts["meta"] = meta
        facts["upgraded"] = upgraded
        return cls(con, path, settings, facts)

    def close(self) -> None:
        self._root.close()

    # ---- facts -------------------------------------------------------------------------
    def info(self) -> dict:
        """City name, demo flag, zone, counts, first record and the data's as-of time."""
        n_c, first = self.con.execute("SELECT count(*), min(created_at) FROM c").fetchall()[0]
        n_s = self.con.execute("SELECT count(*) FROM s").fetchall()[0][0]
        as_of = self.facts["data_as_of"]
        latest, default, reason = self._default_week(as_of, first)
        return {
            "city_name": self.settings.city_name,
            "is_demo": self.facts["meta"].get("is_demo") == "true",
            "timezone": self.settings.timezone,
            "tz_label": self.settings.tz_label,
            "n_complaints": int(n_c),
            "n_services": int(n_s),
            "first_created_at": first,
            "data_as_of": as_of,
            "last_complete_week": self._last_complete_week(as_of),
            "kpi_tables": self.facts["kpi_tables"],
            "latest_week": latest,  # the week of data_as_of: always still in progress
            "default_week": default,
            "default_week_reason": default and reason,  # a code of kpi.reasons.REASONS
        }

    def _default_week(self, as_of: datetime | None, first: datetime | None):
        """(latest week, default week, reason code) by ``kpi.periods.default_week``; the latest
        week when the data has no earlier one."""
        if as_of is None:
            return None, None, None
        latest = week_label(self._local_date(as_of))
        default, reason = default_week(self._local_datetime(as_of))
        if first is not None and default < week_label(self._local_date(first)):
            return latest, latest, "latest_working_days_in"
        return latest, default, reason

    def _local_date(self, ts: datetime):
        return self._local_datetime(ts).date()

    def _local_datetime(self, ts: datetime) -> datetime:
        from zoneinfo import ZoneInfo

        from kpi.calendar import utc_to_local

        return utc_to_local(ts, ZoneInfo(self.settings.timezone))

    def _last_complete_week(self, as_of: datetime | None) -> str | None:
        if as_of is None:
            return None
        d = self._local_date(as_of)
        monday = d - pd.Timedelta(days=d.weekday()).to_pytimedelta()
        return week_label(monday - pd.Timedelta(days=7).to_pytimedelta())

    def weeks(self) -> pd.DataFrame:
        """Every ISO week from the first complaint or application to the data's as-of."""
        lo = self.con.execute(
            "SELECT least((SELECT min(created_d) FROM c), (SELECT min(submitted_d) FROM s))"
        ).fetchall()[0][0]
        as_of = self.facts["data_as_of"]
        hi = self._local_date(as_of) if as_of is not None else lo
        if lo is None:
            return pd.DataFrame({"week": [], "week_start": [], "week_end": []})
        rows = [
            (week_label(a), a, b)
            for a, b in iso_weeks(lo, hi + pd.Timedelta(days=1).to_pytimedelta())
        ]
        return pd.DataFrame(rows, columns=["week", "week_start", "week_end"])

    # ---- core runners ------------------------------------------------------------------
    def _period_params(self, ranges, as_of=None) -> dict:
        return period_params(ranges, self.facts["zones"], self.facts["data_as_of"], as_of)

    def _scope_params(self, scope: dict | None) -> dict:
        scope = dict(scope or {})
        unknown = set(scope) - set(SCOPE_KEYS)
        if unknown:
            raise ValueError(f"unknown scope keys: {sorted(unknown)} (allowed: {SCOPE_KEYS})")
        out = {k: scope.get(k) for k in SCOPE_KEYS}
        if out["agency_id"] is not None:
            out["agency_id"] = self.resolve_agency(out["agency_id"]) or out["agency_id"]
        return out

    def resolve_agency(self, agency_id: str | None) -> str | None:
        """The agency id for ``agency_id``: itself when it exists; for an id without its region
        (``dinas-pu``, as bookmarks and scripts from before regions name it) the one agency of
        that slug, when exactly one region has it; else None."""
        if not agency_id:
            return None
        if "agency_ids" not in self.facts:  # once per warehouse
            self.facts["agency_ids"] = self._agency_ids()
        ids = self.facts["agency_ids"]
        if agency_id in ids:
            return agency_id
        found = [a for a in ids if ":" in a and a.split(":", 1)[1] == agency_id]
        return found[0] if len(found) == 1 else None

    def _agency_ids(self) -> frozenset[str]:
        with self.lock:
            rows = self.con.execute("SELECT agency_id FROM wh.agencies").fetchall()
        return frozenset(r[0] for r in rows)

    def _daily_for(self, by, params: dict) -> str:
        """The relation the metric mart sums per day: the region × agency rollup when ``by`` and
        the scope need no other dimension, else the daily grain where it is a table (ClickHouse),
        else the complaint events themselves (the daily grain's own input: the same sums)."""
        if by not in queries.GROUPABLE:
            raise ValueError(f"cannot group by {by!r}")
        scoped = {k for k, v in params.items() if k in SCOPE_KEYS and v is not None}
        if by in (None, "region_code", "agency_id") and scoped <= ROLLUP_SCOPE:
            return "int_complaints_daily_agency"
        if by != "village" and "int_complaints_daily" in self.engine.relations:
            return "int_complaints_daily"
        return "int_complaint_events"

    def _per_run(self, ranges, as_of, run) -> pd.DataFrame:
        """``run(period params)`` once for consecutive equal ranges (one query), else once per
        range (the league's rolling window, previous window and week), pids renumbered."""
        if _regular(ranges):
            return run(self._period_params(ranges, as_of))
        parts = [run(self._period_params([r], as_of)).assign(pid=i) for i, r in enumerate(ranges)]
        return pd.concat(parts, ignore_index=True)

    def _complaint_frame(self, by, scope, ranges, as_of=None) -> pd.DataFrame:
        scoped = self._scope_params(scope)
        daily = self._daily_for(by, scoped)
        return self._per_run(ranges, as_of, lambda p: self.engine.run(
            "marts/complaint_metrics", {**scoped, **p}, by=by, daily=daily))  # fmt: skip

    def _service_frame(self, by, scope, ranges, as_of=None) -> pd.DataFrame:
        params = self._scope_params(scope)
        columns = ["pid", "grp", *SERVICE_METRICS, "n_service_due"]
        if params.pop("category") is not None or by not in queries.SERVICE_GROUPABLE:
            return pd.DataFrame(columns=columns)
        return self._per_run(ranges, as_of, lambda p: self.engine.run(
            "marts/service_metrics", {**params, **p}, by=by, services=True))  # fmt: skip

    def _metrics(
        self, ranges, by=None, scope=None, as_of=None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Complaint and service metrics merged: one row per period × group, plus score."""
        periods, _ = period_frames(ranges, self.settings.timezone, self.facts["data_as_of"], as_of)
        comp = self._complaint_frame(by, scope, ranges, as_of)
        serv = self._service_frame(by, scope, ranges, as_of)
        df = comp.merge(serv, on=["pid", "grp"], how="outer")
        for col in ("received", "closed", "backlog", "overdue_backlog", "services_submitted",
                    "services_completed", "service_backlog"):  # fmt: skip
            df[col] = df[col].fillna(0).astype("int64")
        for col in [c for c in df.columns if c.startswith("n_")]:
            df[col] = df[col].fillna(0).astype("int64")
        df["n_obligations"] = df["n_response_due"] + df["n_resolution_due"]
        df = add_scores(df, self.settings)
        df = df.sort_values(["pid", "grp"]).reset_index(drop=True)
        df["grp"] = df["grp"].astype(object).where(df["grp"] != queries.NULL_GROUP, None)
        return df, periods

    # ---- summary and weekly ------------------------------------------------------------
    def summary(self, start, end=None, scope=None, as_of=None) -> dict:
        """Every metric for one period and scope (None when missing, with the reason)."""
        lo, hi = resolve_range(start, end)
        df, periods = self._metrics([(lo, hi)], None, scope, as_of)
        row = df.iloc[0].to_dict() if len(df) else {}
        out = {name: _clean(row.get(name)) for name in COMPLAINT_METRICS + SERVICE_METRICS}
        for name in ("received", "closed", "backlog", "overdue_backlog", "services_submitted",
                     "services_completed", "service_backlog"):  # fmt: skip
            out[name] = int(out[name] or 0)
        p = periods.iloc[0]
        out["backlog_age_buckets"] = self._age_buckets_dict(p["cut"], scope)
        out["score"] = _clean(row.get("score"))
        out["score_status"] = row.get("score_status")
        out["n_obligations"] = int(row.get("n_obligations") or 0)
        out["period"] = {"start": lo.isoformat(), "end": hi.isoformat()}
        out["scope"] = self._scope_params(scope)
        out["as_of"] = pd.Timestamp(p["as_of"]).isoformat()
        out["unavailable"] = self._reasons(out, scope)
        return out

    def weekly(self, start=None, end=None, by=None, scope=None) -> pd.DataFrame:
        """One row per ISO week (× ``by`` group) with every metric and the score."""
        lo, hi = self._default_range(start, end)
        ranges = iso_weeks(lo, hi)
        df, periods = self._metrics(ranges, by, scope)
        df.insert(1, "week", df["pid"].map(lambda i: week_label(ranges[i][0])))
        df.insert(2, "week_start", df["pid"].map(lambda i: ranges[i][0]))
        df = df.rename(columns={"grp": by}) if by else df.drop(columns="grp")
        return df.drop(columns="pid")

    def _default_range(self, start, end):
        if start is None:
            w = self.weeks()
            if w.empty:
                raise ValueError("the database holds no complaints or applications")
            start = w["week_start"].iloc[0]
            end = end or w["week_end"].iloc[-1]
        return resolve_range(start, end)

    def _reasons(self, values: dict, scope) -> dict:
        """Why each None metric is missing, as a code of ``kpi.reasons.REASONS``: the source
        cannot tell, or a zero denominator."""
        params = self._scope_params(scope)
        resp, close, tracked, rated, valid, n = self.con.execute(
            "SELECT bool_or(resp_ok), bool_or(close_ok), bool_or(tracked),"
            " bool_or(close_ok AND rate_ok), bool_or(is_valid), count(*)"
            f" FROM c WHERE {queries.SCOPE_WHERE}",
            params,
        ).fetchall()[0]
        out = {}
        for name in COMPLAINT_METRICS + SERVICE_METRICS + ["score"]:
            if values.get(name) is not None:
                continue
            needs = METRICS[name].needs
            if n == 0 and name in COMPLAINT_METRICS:
                out[name] = "no_complaints"
            elif needs == "response" and not resp:
                out[name] = "no_response_times"
            elif needs in ("close", "rating") and not close:
                out[name] = "no_closing_times"
            elif needs == "rating" and not rated:
                out[name] = "no_ratings"
            elif needs == "close_estimate" and valid and not tracked:
                out[name] = "no_status_history"
            elif name in SERVICE_METRICS and params["category"] is not None:
                out[name] = "services_no_category"
            elif name == "score":
                out[name] = "no_scored_metric"
            else:
                out[name] = "zero_denominator"
        return out


def _regular(ranges) -> bool:
    """Consecutive ranges of one length (what one run of the metric models takes)."""
    step = ranges[0][1] - ranges[0][0]
    return all(b - a == step for a, b in ranges) and all(
        ranges[i + 1][0] == ranges[i][1] for i in range(len(ranges) - 1)
    )


def _prepare(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict:
    """Point the reader at the KPI tables of the file when they were built with ``settings``;
    otherwise build them in memory (as every open did before they were stored)."""
    stored = build.stored_info(con, "wh.")
    same = stored is not None and stored.get("fingerprint") == build.stored_plan_fingerprint(
        con, "wh.", settings, stored
    )
    if same:
        target, info, mode = f"wh.{build.PREFIX}", stored, "stored"
        codes = json.loads(stored["regions"])
    else:
        plan = build.make_plan(con, "wh.", settings)
        codes = sorted(plan.regions)
        target = f"memory.{build.PREFIX}"
        info = build.build(con, "wh.", target, plan)
        why = "none in the file" if stored is None else "the file's were built with other settings"
        mode = f"built at open ({why})"
    relations = {name: f"{target}{name}" for name in build.TABLES + build.SEEDS}
    relations["int_complaint_events"] = "ephemeral:intermediate/int_complaint_events"
    con.execute(f"CREATE OR REPLACE VIEW c AS SELECT * FROM {target}stg_complaints")
    con.execute(f"CREATE OR REPLACE VIEW s AS SELECT * FROM {target}stg_services")
    as_of = info.get("data_as_of")
    window = build.plausible_window()
    return {
        "window": {"lo": window["plausible_lo"], "hi": window["plausible_hi"]},
        "relations": relations,
        "kpi_tables": mode,
        "data_as_of": datetime.fromisoformat(as_of) if as_of else None,
        "zones": sorted({s.timezone for s in build.regions_of(settings, codes).values()}),
        "first_year": int(info["first_year"]),
        "last_year": int(info["last_year"]),
    }


def _upgrade(path: Path) -> list[str]:
    """Migrate a database written by an older Kinerja (the schema's owner, ``etl.migrate``,
    does it atomically under the writer lock); what was done, one line each."""
    from etl.migrate import migrate_file, needs_upgrade

    try:
        if not needs_upgrade(path):
            return []
        return migrate_file(path)
    except duckdb.Error as exc:
        raise WarehouseError(f"{path}: not a readable Kinerja database ({exc})") from exc
    except OSError as exc:
        raise WarehouseError(
            f"{path}: written by an older Kinerja and cannot be upgraded here ({exc}); "
            "run `python -m etl migrate --db PATH` where the file is writable"
        ) from exc


def _clean(value):
    """NaN/NA → None; numpy scalars → Python numbers (JSON-ready)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
