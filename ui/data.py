"""Cached, read-only access to the KPI layer (``kpi.Warehouse``) for pages.

Why: every figure comes from ``kpi/`` and each page must answer within about a second, so each
Warehouse call is cached with ``st.cache_data`` keyed by (database path, file mtime, method,
arguments). A new load replaces the file (``os.replace``), which changes the mtime and thus the
key: readers never see stale figures after a load and never block a writer (``Warehouse.open``
attaches the file READ_ONLY).

Pages call the thin wrappers below (``info()``, ``summary(...)``, ...) or ``call(method, ...)``
for any other ``Warehouse`` method. The region the sidebar chose (``ui.state.region_picker``,
kept by ``set_region``) scopes every wrapper's figures here, in one place, so no page shows the
whole province by forgetting to pass it. A missing or unreadable database raises ``DataUnavailable``;
``ui.layout.page_header`` turns that into a readable message with the command that fixes it.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from kinerja.paths import resolve_read_db

TTL_SECONDS = 3600
_REGION_STATE = "_kinerja_region"


class DataUnavailable(Exception):
    """The database is missing (``kind='missing'``) or cannot be read (``kind='broken'``)."""

    def __init__(self, path: Path, kind: str, reason: str = "") -> None:
        super().__init__(f"{kind}: {path} {reason}".strip())
        self.path = path
        self.kind = kind
        self.reason = reason


def db_path() -> Path:
    """The database the app reads: ``$KINERJA_DB``, else ``data/kinerja.duckdb`` (real data)
    when it exists, else the demo ``data/demo.duckdb``."""
    return resolve_read_db()


def db_stamp() -> tuple[str, int]:
    """(path, mtime in ns) of the database: the part of every cache key that tracks loads."""
    path = db_path()
    try:
        return str(path), path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataUnavailable(path, "missing") from None


def _open(path: str):
    """Open a read-only Warehouse on ``path``; any failure becomes ``DataUnavailable``."""
    from kpi import Warehouse

    try:
        return Warehouse.open(db_path=path)
    except Exception as exc:  # any failure to open is reported, never a traceback
        raise DataUnavailable(Path(path), "broken", describe_error(exc)) from exc


def describe_error(exc: BaseException) -> str:
    """One line for users: the error's type and first message line (never a traceback)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


@st.cache_resource(max_entries=2, show_spinner=False)
def _warehouse(path: str, mtime: int) -> Any:
    """One open Warehouse per database file version, shared by sessions.

    Why shared: a Warehouse keeps the attached file (and, for other settings than the stored
    tables', the tables it built in memory). No lock: it queries through one cursor per thread.
    """
    del mtime  # part of the cache key only: a replaced file is opened afresh
    return _open(path)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=2000)
def _cached(path: str, mtime: int, method: str, args: tuple, kwargs: tuple) -> Any:
    """Run ``Warehouse.<method>(*args, **kwargs)`` and cache its (pickled) result."""
    wh = _warehouse(path, mtime)
    if method == "settings":
        return wh.settings.for_region(*args)
    return getattr(wh, method)(*args, **dict(kwargs))


def call(method: str, *args: Any, **kwargs: Any) -> Any:
    """Call any ``Warehouse`` method through the cache (arguments must be hashable or dicts)."""
    path, mtime = db_stamp()
    return _cached(path, mtime, method, args, tuple(sorted(kwargs.items())))


def clear_results() -> None:
    """Forget every cached query result (the open warehouses stay)."""
    _cached.clear()
    _alert_lines.clear()
    _coming_due.clear()
    _PDFS.clear()


def clear_cache() -> None:
    """Forget every cached result and open warehouse (tests; after building the demo city)."""
    clear_results()
    _warehouse.clear()


def set_region(code: str | None) -> None:
    """The region every wrapper below scopes to (None: the whole, single-region database)."""
    st.session_state[_REGION_STATE] = code


def current_region() -> str | None:
    """The region the sidebar chose, or None."""
    return st.session_state.get(_REGION_STATE)


def _scoped(scope: dict | None) -> dict | None:
    """``scope`` within the chosen region (a province covers its kab/kota)."""
    region = current_region()
    if region is None:
        return scope
    return {"region": region, **(scope or {})}  # a page may name a region (the province page)


def regions():
    """The database's regions with their complaint counts (not scoped: the sidebar's list)."""
    return call("regions")


def province_code(regions_frame) -> str | None:
    """The province whose kab/kota the database holds (``kpi.region_league.default_parent``)."""
    from kpi.region_league import default_parent

    return default_parent(regions_frame)


def region_league(week: str):
    """The kab/kota of the province ranked like agencies (``kpi.region_league``)."""
    return call("region_league", week)


def week_cut(week_end: dt.date) -> dt.datetime:
    """The instant (naive UTC, as the KPI layer takes ``t``) that closes a week ending at local
    midnight ``week_end``, but never after the data's as-of time — the same cut ``summary`` uses,
    so a backlog split by age adds up to the week's backlog tile."""
    zone = ZoneInfo(info().get("timezone") or "Asia/Jakarta")
    local_end = dt.datetime.combine(week_end, dt.time(0), zone)
    cut = local_end.astimezone(dt.UTC).replace(tzinfo=None)
    as_of = info().get("data_as_of")
    if as_of is not None:
        cut = min(cut, pd.Timestamp(as_of).to_pydatetime() + dt.timedelta(microseconds=1))
    return cut


# ---- thin wrappers named as in docs/ARCHITECTURE.md §4 ----


def settings():
    """The city settings in force (``kpi.settings.Settings``)."""
    return call("settings", current_region())


def info() -> dict:
    """City name, demo flag, zone, counts, ``data_as_of`` and ``last_complete_week``."""
    out = dict(call("info"))
    region = current_region()
    if region is not None:  # the chosen region's name, zone and count head every page
        from kinerja.regions import in_scope

        own, rows = settings(), regions()
        mine = rows[[in_scope(c, region) for c in rows["region_code"]]]
        out.update(city_name=own.city_name, timezone=own.timezone, tz_label=own.tz_label)
        out["n_complaints"] = int(mine["n_complaints"].sum())
    return out


def weeks():
    """All ISO weeks with data: week, week_start, week_end."""
    return call("weeks")


def summary(start, end, scope: dict | None = None, as_of=None) -> dict:
    """Every metric of KPI.md for a period and scope, plus score and unavailable reasons."""
    return call("summary", start, end, scope=_scoped(scope), as_of=as_of)


def weekly(start, end, by: str | None = None, scope: dict | None = None):
    """One row per ISO week (× ``by`` group) with every metric and the score."""
    return call("weekly", start, end, by=by, scope=_scoped(scope))


def backlog_series(start, end, scope: dict | None = None):
    """Backlog and overdue backlog at each week end."""
    return call("backlog_series", start, end, scope=_scoped(scope))


def backlog_ages(t, by: str | None = None, scope: dict | None = None):
    """Backlog at ``t`` split into the KPI.md age buckets."""
    return call("backlog_ages", t, by=by, scope=_scoped(scope))


def agency_scores(start, end, as_of=None):
    """The agency league table: score, status, rank, obligations, metric values."""
    return call("agency_scores", start, end, as_of=as_of, scope=_scoped(None))


def score_breakdown(start, end, agency_id: str | None = None):
    """How the score is made: metric, value, target, attainment, weight, share."""
    return call("score_breakdown", start, end, agency_id=agency_id)


def league(week: str):
    """The weekly league (``kpi.league.League``): rank on the rolling window, the week's score,
    rank change, reasons, and the undisposed complaints as their own line."""
    return call("league", week, region=current_region())


def fix_first(agency_id: str, as_of=None, limit: int | None = None):
    """Every overdue open complaint of an agency at ``as_of``, ordered by what it costs the
    score (``limit``: the first n)."""
    return call("fix_first", agency_id, as_of=as_of, limit=limit)


def breakdown(start, end, dim: str, scope: dict | None = None):
    """One row per value of ``dim`` with the metrics."""
    return call("breakdown", start, end, dim, scope=_scoped(scope))


def movers(start, end, dim: str, n: int = 5, scope: dict | None = None):
    """The values of ``dim`` whose received count rose most on the previous period."""
    return call("movers", start, end, dim, n=n, scope=_scoped(scope))


def oldest_open(t=None, scope: dict | None = None, limit: int = 20):
    """The oldest complaints still open at ``t``."""
    return call("oldest_open", t=t, scope=_scoped(scope), limit=limit)


def district_metrics(start, end, scope: dict | None = None):
    """Per district: received, backlog, overdue, SLA compliance, per 10k residents."""
    return call("district_metrics", start, end, scope=_scoped(scope))


def village_metrics(start, end, scope: dict | None = None):
    """Per village (kelurahan): the same metrics as ``district_metrics``."""
    return call("village_metrics", start, end, scope=_scoped(scope))


def dimension_values(dim: str) -> list[str]:
    """The distinct values of a dimension (category, district, channel, agency_id)."""
    return call("dimension_values", dim, region=current_region())


def agencies():
    """agency_id, name of every agency."""
    return call("agencies", region=current_region())


def services_summary(start, end, scope: dict | None = None) -> dict:
    """The services_* metrics of KPI.md."""
    return call("services_summary", start, end, scope=_scoped(scope))


def services_breakdown(start, end, by: str = "service_type"):
    """Service metrics per service type or agency."""
    return call("services_breakdown", start, end, by=by, scope=_scoped(None))


def freshness():
    """Per source: last_loaded_at, data_as_of, n_rows."""
    return call("freshness")


def load_history(limit: int = 50):
    """The latest loads, newest first."""
    return call("load_history", limit=limit)


def quarantine_summary():
    """Quarantined rows per source and reason."""
    return call("quarantine_summary")


# ---- alerts and the brief (kpi.alerts, kpi.brief): typed wrappers, cached like the rest ----


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=200)
def _alert_lines(
    path: str, mtime: int, week: str, agency: str | None, lang: str, region: str | None
) -> list[dict]:
    from kpi.alerts.text import agency_label, describe
    from kpi.brief import WeekContext

    wh = _warehouse(path, mtime)
    ctx = WeekContext(wh, week, region)
    alerts = ctx.alerts
    if agency:
        agency = wh.resolve_agency(agency) or agency
        alerts = [a for a in alerts if a.agency_id == agency]
    return [{"family": a.family, "rule": a.rule, "page": a.page, "params": a.link_params(),
             "figures": a.figures, "agency": agency_label(a, ctx.agency_names, ctx.name),
             "text": describe(a, lang, ctx.agency_names, ctx.name)} for a in alerts]  # fmt: skip


def alert_lines(week: str, lang: str, agency: str | None = None) -> list[dict]:
    """The week's alerts (of one agency) in words: family, rule, page, link params, text."""
    path, mtime = db_stamp()
    return _alert_lines(path, mtime, week, agency, lang, current_region())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=200)
def _coming_due(path: str, mtime: int, week: str, agency: str):
    from kpi.alerts.due import coming_due as due

    return due(_warehouse(path, mtime), week, agency=agency)


def coming_due(week: str, agency: str):
    """An agency's complaints whose resolution deadline falls in the next working days."""
    path, mtime = db_stamp()
    return _coming_due(path, mtime, week, agency)


_PDFS: dict[tuple, bytes] = {}
_PDF_LOCK = threading.Lock()


def brief_pdf(
    path: str, mtime: int, week: str, agency: str | None, lang: str, region: str | None = None
) -> bytes:
    """The week's brief (region or agency) as PDF, made on the first click and kept (32 kept).

    Called by ``st.download_button`` on click (outside the script run), so it takes the database
    stamp as arguments.
    """
    from kpi.brief import WeekContext, brief_html
    from kpi.brief.render import html_to_pdf

    key = (path, mtime, week, agency, lang, region)
    with _PDF_LOCK:
        if key in _PDFS:
            return _PDFS[key]
    wh = _warehouse(path, mtime)
    if agency:
        agency = wh.resolve_agency(agency) or agency
        region = agency.split(":", 1)[0] if ":" in agency else None
    html = brief_html(WeekContext(wh, week, region), agency, lang)
    pdf = html_to_pdf(html)
    with _PDF_LOCK:
        while len(_PDFS) >= 32:
            _PDFS.pop(next(iter(_PDFS)))
        _PDFS[key] = pdf
    return pdf
