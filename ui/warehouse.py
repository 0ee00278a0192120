"""Cached, unchecked reads of the KPI layer (``kpi.Warehouse``): only ``ui/data.py`` calls this.

Why: every figure comes from ``kpi/`` and a page must answer within about a second, so each
Warehouse call is cached with ``st.cache_data`` keyed by (database path, file mtime, arguments).
A load replaces the file (``os.replace``), which changes the mtime and thus the key: readers never
see stale figures after a load and never block a writer (``Warehouse.open`` attaches the file
READ_ONLY). One function per Warehouse method, so a reader follows a page's call to its SQL:
page → ``ui.data.summary`` (the access check) → ``summary`` here → ``Warehouse.summary``.

Nothing here checks who asks: pages never import this module (a test checks it); the scope of
every call is decided in ``ui/data.py``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import streamlit as st

from kinerja.paths import resolve_read_db

TTL_SECONDS = 3600
_CACHE = {"ttl": TTL_SECONDS, "show_spinner": False, "max_entries": 2000}


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


def describe_error(exc: BaseException) -> str:
    """One line for users: the error's type and first message line (never a traceback)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _open(path: str):
    """Open a read-only Warehouse on ``path``; any failure becomes ``DataUnavailable``."""
    from kpi import Warehouse

    try:
        return Warehouse.open(db_path=path)
    except Exception as exc:  # any failure to open is reported, never a traceback
        raise DataUnavailable(Path(path), "broken", describe_error(exc)) from exc


@st.cache_resource(max_entries=2, show_spinner=False)
def _warehouse(path: str, mtime: int) -> Any:
    """One open Warehouse per database file version, shared by sessions.

    Why shared: a Warehouse keeps the attached file (and, for other settings than the stored
    tables', the tables it built in memory). No lock: it queries through one cursor per thread.
    """
    del mtime  # part of the cache key only: a replaced file is opened afresh
    return _open(path)


def opened(stamp: tuple[str, int]) -> Any:
    """The Warehouse of database version ``stamp`` (for the brief's PDF, made on a click)."""
    return _warehouse(*stamp)


@st.cache_data(**_CACHE)
def settings(stamp, region):
    return _warehouse(*stamp).settings.for_region(region)


@st.cache_data(**_CACHE)
def meta(stamp) -> dict:
    """The database's ``meta`` keys (city, is_demo, demo_generated_at, ...)."""
    return dict(_warehouse(*stamp).facts.get("meta", {}))


@st.cache_data(**_CACHE)
def info(stamp) -> dict:
    return _warehouse(*stamp).info()


@st.cache_data(**_CACHE)
def regions(stamp):
    return _warehouse(*stamp).regions()


@st.cache_data(**_CACHE)
def weeks(stamp):
    return _warehouse(*stamp).weeks()


@st.cache_data(**_CACHE)
def summary(stamp, start, end, scope, as_of) -> dict:
    return _warehouse(*stamp).summary(start, end, scope=scope or None, as_of=as_of)


@st.cache_data(**_CACHE)
def weekly(stamp, start, end, by, scope):
    return _warehouse(*stamp).weekly(start, end, by=by, scope=scope or None)


@st.cache_data(**_CACHE)
def backlog_series(stamp, start, end, scope):
    return _warehouse(*stamp).backlog_series(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def backlog_ages(stamp, t, by, scope):
    return _warehouse(*stamp).backlog_ages(t, by=by, scope=scope or None)


@st.cache_data(**_CACHE)
def agency_scores(stamp, start, end, as_of, scope):
    return _warehouse(*stamp).agency_scores(start, end, as_of=as_of, scope=scope or None)


@st.cache_data(**_CACHE)
def league(stamp, week, region):
    return _warehouse(*stamp).league(week, region=region)


@st.cache_data(**_CACHE)
def region_league(stamp, week, parent):
    return _warehouse(*stamp).region_league(week, parent=parent)


@st.cache_data(**_CACHE)
def score_breakdown(stamp, start, end, agency_id):
    return _warehouse(*stamp).score_breakdown(start, end, agency_id=agency_id)


@st.cache_data(**_CACHE)
def fix_first(stamp, agency_id, as_of, limit):
    return _warehouse(*stamp).fix_first(agency_id, as_of=as_of, limit=limit)


@st.cache_data(**_CACHE)
def breakdown(stamp, start, end, dim, scope):
    return _warehouse(*stamp).breakdown(start, end, dim, scope=scope or None)


@st.cache_data(**_CACHE)
def movers(stamp, start, end, dim, n, scope):
    return _warehouse(*stamp).movers(start, end, dim, n=n, scope=scope or None)


@st.cache_data(**_CACHE)
def oldest_open(stamp, t, scope, limit):
    return _warehouse(*stamp).oldest_open(t=t, scope=scope or None, limit=limit)


@st.cache_data(**_CACHE)
def district_metrics(stamp, start, end, scope):
    return _warehouse(*stamp).district_metrics(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def village_metrics(stamp, start, end, scope):
    return _warehouse(*stamp).village_metrics(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def dimension_values(stamp, dim, region) -> list[str]:
    return _warehouse(*stamp).dimension_values(dim, region=region)


@st.cache_data(**_CACHE)
def agencies(stamp, region):
    return _warehouse(*stamp).agencies(region=region)


@st.cache_data(**_CACHE)
def resolve_agency(stamp, agency_id):
    return _warehouse(*stamp).resolve_agency(agency_id)


@st.cache_data(**_CACHE)
def services_summary(stamp, start, end, scope) -> dict:
    return _warehouse(*stamp).services_summary(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def services_breakdown(stamp, start, end, by, scope):
    return _warehouse(*stamp).services_breakdown(start, end, by=by, scope=scope or None)


@st.cache_data(**_CACHE)
def freshness(stamp, region):
    return _warehouse(*stamp).freshness(region=region)


@st.cache_data(**_CACHE)
def load_history(stamp, limit):
    return _warehouse(*stamp).load_history(limit=limit)


@st.cache_data(**_CACHE)
def quarantine_summary(stamp, region):
    return _warehouse(*stamp).quarantine_summary(region=region)


# ---- alerts and the brief (kpi.alerts, kpi.brief) ----


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=200)
def alert_lines(stamp, week: str, agency: str | None, lang: str, region: str | None) -> list[dict]:
    from kpi.alerts.text import agency_label, describe
    from kpi.brief import WeekContext

    wh = _warehouse(*stamp)
    ctx = WeekContext(wh, week, region)
    alerts = ctx.alerts
    if agency:
        agency = wh.resolve_agency(agency) or agency
        alerts = [a for a in alerts if a.agency_id == agency]
    return [{"family": a.family, "rule": a.rule, "page": a.page, "params": a.link_params(),
             "figures": a.figures, "agency": agency_label(a, ctx.agency_names, ctx.name),
             "text": describe(a, lang, ctx.agency_names, ctx.name)} for a in alerts]  # fmt: skip


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=200)
def coming_due(stamp, week: str, agency: str):
    from kpi.alerts.due import coming_due as due

    return due(_warehouse(*stamp), week, agency=agency)


_PDFS: dict[tuple, bytes] = {}
_PDF_LOCK = threading.Lock()


def brief_pdf(stamp, week: str, agency: str | None, lang: str, region: str | None) -> bytes:
    """The week's brief (region or agency) as PDF, made on the first click and kept (32 kept)."""
    from kpi.brief import WeekContext, brief_html
    from kpi.brief.render import html_to_pdf

    key = (*stamp, week, agency, lang, region)
    with _PDF_LOCK:
        if key in _PDFS:
            return _PDFS[key]
    wh = _warehouse(*stamp)
    if agency:
        agency = wh.resolve_agency(agency) or agency
        region = agency.split(":", 1)[0] if ":" in agency else None
    pdf = html_to_pdf(brief_html(WeekContext(wh, week, region), agency, lang))
    with _PDF_LOCK:
        while len(_PDFS) >= 32:
            _PDFS.pop(next(iter(_PDFS)))
        _PDFS[key] = pdf
    return pdf


CACHED = [settings, meta, info, regions, weeks, summary, weekly, backlog_series, backlog_ages,
          agency_scores, league, region_league, score_breakdown, fix_first, breakdown, movers,
          oldest_open, district_metrics, village_metrics, dimension_values, agencies,
          resolve_agency, services_summary, services_breakdown, freshness, load_history,
          quarantine_summary, alert_lines, coming_due]  # fmt: skip


def clear_results() -> None:
    """Forget every cached query result (the open warehouses stay)."""
    for fn in CACHED:
        fn.clear()
    with _PDF_LOCK:
        _PDFS.clear()


def clear_cache() -> None:
    """Forget every cached result and open warehouse (tests; after building the demo city)."""
    clear_results()
    _warehouse.clear()
