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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from kinerja.paths import resolve_db

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
    """The database the app reads: ``$KINERJA_DB`` or ``data/kinerja.duckdb``."""
    return resolve_db()


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
def _warehouse(path: str, mtime: int) -> tuple[Any, threading.Lock]:
    """One open Warehouse per database file version, shared by sessions behind a lock.

    Why shared: opening prepares the in-memory working tables (deadlines, periods), which costs
    far more than a query; why a lock: a DuckDB connection is not safe across threads.
    """
    del mtime  # part of the cache key only: a replaced file is opened afresh
    return _open(path), threading.Lock()


@contextmanager
def _locked(stamp: tuple[str, int]) -> Iterator[Any]:
    """The Warehouse of database version ``stamp``, held for one call."""
    wh, lock = _warehouse(*stamp)
    with lock:
        yield wh


@st.cache_data(**_CACHE)
def settings(stamp):
    wh, _ = _warehouse(*stamp)
    return wh.settings


@st.cache_data(**_CACHE)
def meta(stamp) -> dict:
    """The database's ``meta`` keys (city, is_demo, demo_generated_at, ...)."""
    wh, _ = _warehouse(*stamp)
    return dict(wh.facts.get("meta", {}))


@st.cache_data(**_CACHE)
def info(stamp) -> dict:
    with _locked(stamp) as wh:
        return wh.info()


@st.cache_data(**_CACHE)
def weeks(stamp):
    with _locked(stamp) as wh:
        return wh.weeks()


@st.cache_data(**_CACHE)
def summary(stamp, start, end, scope, as_of) -> dict:
    with _locked(stamp) as wh:
        return wh.summary(start, end, scope=scope or None, as_of=as_of)


@st.cache_data(**_CACHE)
def weekly(stamp, start, end, by, scope):
    with _locked(stamp) as wh:
        return wh.weekly(start, end, by=by, scope=scope or None)


@st.cache_data(**_CACHE)
def backlog_series(stamp, start, end, scope):
    with _locked(stamp) as wh:
        return wh.backlog_series(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def backlog_ages(stamp, t, by, scope):
    with _locked(stamp) as wh:
        return wh.backlog_ages(t, by=by, scope=scope or None)


@st.cache_data(**_CACHE)
def league(stamp, week, scope):
    with _locked(stamp) as wh:
        return wh.league(week, scope=scope or None)


@st.cache_data(**_CACHE)
def score_breakdown(stamp, start, end, agency_id):
    with _locked(stamp) as wh:
        return wh.score_breakdown(start, end, agency_id=agency_id)


@st.cache_data(**_CACHE)
def fix_first(stamp, agency_id, as_of, limit):
    with _locked(stamp) as wh:
        return wh.fix_first(agency_id, as_of=as_of, limit=limit)


@st.cache_data(**_CACHE)
def breakdown(stamp, start, end, dim, scope):
    with _locked(stamp) as wh:
        return wh.breakdown(start, end, dim, scope=scope or None)


@st.cache_data(**_CACHE)
def movers(stamp, start, end, dim, n, scope):
    with _locked(stamp) as wh:
        return wh.movers(start, end, dim, n=n, scope=scope or None)


@st.cache_data(**_CACHE)
def oldest_open(stamp, t, scope, limit):
    with _locked(stamp) as wh:
        return wh.oldest_open(t=t, scope=scope or None, limit=limit)


@st.cache_data(**_CACHE)
def district_metrics(stamp, start, end, scope):
    with _locked(stamp) as wh:
        return wh.district_metrics(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def village_metrics(stamp, start, end, scope):
    with _locked(stamp) as wh:
        return wh.village_metrics(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def dimension_values(stamp, dim) -> list[str]:
    with _locked(stamp) as wh:
        return wh.dimension_values(dim)


@st.cache_data(**_CACHE)
def agencies(stamp):
    with _locked(stamp) as wh:
        return wh.agencies()


@st.cache_data(**_CACHE)
def resolve_agency(stamp, agency_id):
    with _locked(stamp) as wh:
        return wh.resolve_agency(agency_id)


@st.cache_data(**_CACHE)
def services_summary(stamp, start, end, scope) -> dict:
    with _locked(stamp) as wh:
        return wh.services_summary(start, end, scope=scope or None)


@st.cache_data(**_CACHE)
def services_breakdown(stamp, start, end, by, scope):
    with _locked(stamp) as wh:
        return wh.services_breakdown(start, end, by=by, scope=scope or None)


@st.cache_data(**_CACHE)
def freshness(stamp, region):
    with _locked(stamp) as wh:
        return wh.freshness(region=region)


@st.cache_data(**_CACHE)
def load_history(stamp, limit):
    with _locked(stamp) as wh:
        return wh.load_history(limit=limit)


@st.cache_data(**_CACHE)
def quarantine_summary(stamp, region):
    with _locked(stamp) as wh:
        return wh.quarantine_summary(region=region)


CACHED = [settings, meta, info, weeks, summary, weekly, backlog_series, backlog_ages, league,
          score_breakdown, fix_first, breakdown, movers, oldest_open, district_metrics,
          village_metrics, dimension_values, agencies, resolve_agency, services_summary,
          services_breakdown, freshness, load_history, quarantine_summary]  # fmt: skip


def clear_results() -> None:
    """Forget every cached query result (the open warehouses stay)."""
    for fn in CACHED:
        fn.clear()


def clear_cache() -> None:
    """Forget every cached result and open warehouse (tests; after building the demo city)."""
    clear_results()
    _warehouse.clear()
