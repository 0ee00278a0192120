"""``Warehouse``: the read-only face of the DuckDB file for pages, CLI, benchmarks and tests.

``open`` attaches the file READ_ONLY to a fresh in-memory connection (so it sees the newest file
after an ETL ``os.replace``) and prepares the tables of ``kpi.prepare`` once. Every public method
runs the SQL of ``kpi.queries`` and only reshapes with pandas. A lock serialises calls because a
DuckDB connection is not thread-safe (Streamlit runs sessions in threads).
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from kinerja import fields
from kinerja.paths import resolve_read_db
from kpi import queries, views
from kpi.definitions import COMPLAINT_METRICS, METRICS, SERVICE_METRICS
from kpi.periods import default_week, iso_weeks, period_frames, resolve_range, week_label
from kpi.prepare import COMPLAINT_OK, SERVICE_OK, build_tables
from kpi.score import add_scores
from kpi.settings import Settings, load_settings

SCOPE_KEYS = fields.scope_keys()  # region, agency_id, category, district, channel
SOURCE_PRESETS = {"boston311": "boston", "nyc311": "nyc"}


class WarehouseError(RuntimeError):
    """The database cannot be read (missing file, not a Kinerja database)."""


class Warehouse(views.ViewsMixin):
    """A prepared, read-only view of one Kinerja database (see docs/ARCHITECTURE.md §4)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, settings: Settings, facts: dict):
        self.con = con
        self.path = path
        self.settings = settings
        self.facts = facts
        self.lock = threading.RLock()

    @classmethod
    def open(
        cls, db_path=None, settings: Settings | None = None, config=None, tz=None, country=None
    ):
        """Attach the database read-only and prepare the metric tables.

        ``settings`` None: resolved as in ARCHITECTURE §3 (config → $KINERJA_CONFIG → meta.city
        preset → default), with ``tz``/``country`` overrides.
        """
        path = resolve_read_db(db_path)
        if not path.is_file():
            raise WarehouseError(
                f"database not found: {path} (load data with `python -m etl load`)"
            )
        upgraded = _upgrade(path)
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")  # it would print to stdout (JSON output)
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET preserve_insertion_order = false")  # every query orders explicitly
        literal = str(path).replace("'", "''")
        try:
            con.execute(f"ATTACH '{literal}' AS wh (READ_ONLY)")
            meta = dict(con.execute("SELECT key, value FROM wh.meta").fetchall())
        except duckdb.Error as exc:
            con.close()
            raise WarehouseError(f"{path}: not a readable Kinerja database ({exc})") from exc
        if settings is None:
            city = meta.get("city") or _preset_from_sources(con)
            settings = load_settings(config, city=city, tz=tz, country=country)
        facts = build_tables(con, settings)
        facts["meta"] = meta
        facts["upgraded"] = upgraded
        window = {k: facts["window"][k] for k in ("lo", "hi")}
        facts["data_as_of"] = con.execute(
            f"""SELECT greatest(
                (SELECT max(greatest(created_at, first_response_at, closed_at))
                 FROM wh.complaints x WHERE {COMPLAINT_OK}),
                (SELECT max(greatest(submitted_at, completed_at))
                 FROM wh.services x WHERE {SERVICE_OK}))""",
            window,
        ).fetchall()[0][0]
        return cls(con, path, settings, facts)

    def close(self) -> None:
        self.con.close()

    # ---- facts -------------------------------------------------------------------------
    def info(self) -> dict:
        """City name, demo flag, zone, counts, first record and the data's as-of time."""
        with self.lock:
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
        with self.lock:
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
    def _set_periods(self, ranges, as_of=None) -> pd.DataFrame:
        periods, pmap = period_frames(
            ranges, self.settings.timezone, self.facts["data_as_of"], as_of
        )
        for name, df in (("periods", periods), ("pmap", pmap)):
            self.con.register(f"{name}_df", df)
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_df")
            self.con.unregister(f"{name}_df")
        return periods

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
        ids = self.facts.setdefault("agency_ids", self._agency_ids())
        if agency_id in ids:
            return agency_id
        found = [a for a in ids if ":" in a and a.split(":", 1)[1] == agency_id]
        return found[0] if len(found) == 1 else None

    def _agency_ids(self) -> frozenset[str]:
        with self.lock:
            rows = self.con.execute("SELECT agency_id FROM wh.agencies").fetchall()
        return frozenset(r[0] for r in rows)

    def _complaint_frame(self, by, scope) -> pd.DataFrame:
        sql = queries.COMPLAINT_METRICS.format(by=queries.GROUPABLE[by], where=queries.SCOPE_WHERE)
        return self.con.execute(sql, self._scope_params(scope)).df()

    def _service_frame(self, by, scope) -> pd.DataFrame:
        params = self._scope_params(scope)
        columns = ["pid", "grp", *SERVICE_METRICS, "n_service_due"]
        if params.pop("category") is not None or by not in queries.SERVICE_GROUPABLE:
            return pd.DataFrame(columns=columns)
        sql = queries.SERVICE_METRICS.format(
            by=queries.SERVICE_GROUPABLE[by], where=queries.SERVICE_SCOPE_WHERE
        )
        return self.con.execute(sql, params).df()

    def _metrics(
        self, ranges, by=None, scope=None, as_of=None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Complaint and service metrics merged: one row per period × group, plus score."""
        with self.lock:
            periods = self._set_periods(ranges, as_of)
            comp = self._complaint_frame(by, scope)
            serv = self._service_frame(by, scope)
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
        with self.lock:
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


def _preset_from_sources(con: duckdb.DuckDBPyConnection) -> str | None:
    """Without ``meta.city``: the preset of the US sample sources (boston311 → boston, nyc311 →
    nyc) when every complaint comes from one of them, so their deadlines use US holidays and
    Eastern time rather than the Indonesian default."""
    sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM wh.complaints").fetchall()}
    presets = {SOURCE_PRESETS.get(src) for src in sources}
    return presets.pop() if len(presets) == 1 else None


def _clean(value):
    """NaN/NA → None; numpy scalars → Python numbers (JSON-ready)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
