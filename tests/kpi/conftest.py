"""Fixture helpers: a real DuckDB file built from etl/schema.sql with hand-written rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from kinerja.paths import ROOT

SCHEMA = (ROOT / "etl" / "schema.sql").read_text()
WIB = timedelta(hours=7)

COMPLAINT_DEFAULTS = {
    "source": "test",
    "channel": "web",
    "agency_id": "dpu",
    "category": "Banjir",
    "district": "Semarang Tengah",
    "village": None,
    "title": "aduan",
    "first_response_at": None,
    "closed_at": None,
    "status": "open",
    "has_response_time": True,
    "has_close_time": True,
    "closed_at_missing": False,
    "response_due_at": None,
    "resolution_due_at": None,
    "satisfaction": None,
    "reopen_count": 0,
    "region_code": "00.00",
    "id_scope": "",
}
SERVICE_DEFAULTS = {
    "source": "test",
    "service_type": "KTP-el",
    "agency_id": "disdukcapil",
    "district": "Semarang Tengah",
    "channel": "walk-in",
    "completed_at": None,
    "status": "open",
    "standard_days": 1,
    "due_at": None,
    "region_code": "00.00",
    "id_scope": "",
}


def wib(text: str | None) -> datetime | None:
    """Local Jakarta wall time 'YYYY-MM-DD HH:MM[:SS]' → naive UTC (the warehouse convention)."""
    if text is None:
        return None
    return datetime.fromisoformat(text) - WIB


def make_db(
    path: Path, complaints=(), services=(), meta=None, agencies=None, history=(), regions=()
) -> Path:
    """Create the warehouse schema in ``path`` and insert rows (dicts over the defaults).

    ``history``: status_history rows as (source, complaint_id, status, seen_at) tuples;
    ``regions``: (code, name, level, parent, timezone, tz_label, population) tuples.
    """
    con = duckdb.connect(str(path))
    con.execute(SCHEMA)
    for row in complaints:
        full = {**COMPLAINT_DEFAULTS, **row}
        cols = ", ".join(full)
        con.execute(
            f"INSERT INTO complaints ({cols}) VALUES ({', '.join('?' * len(full))})",
            list(full.values()),
        )
    for row in services:
        full = {**SERVICE_DEFAULTS, **row}
        cols = ", ".join(full)
        con.execute(
            f"INSERT INTO services ({cols}) VALUES ({', '.join('?' * len(full))})",
            list(full.values()),
        )
    for source, complaint_id, status, seen_at in history:
        con.execute(
            "INSERT INTO status_history (source, complaint_id, status, seen_at, id_scope) "
            "VALUES (?, ?, ?, ?, '')",
            [source, complaint_id, status, seen_at],
        )
    for row in regions:
        con.execute(
            "INSERT INTO regions (region_code, name, level, parent_code, timezone, tz_label,"
            " population) VALUES (?, ?, ?, ?, ?, ?, ?)",
            list(row),
        )
    for key, value in (meta or {}).items():
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])
    for agency_id, name in (agencies or {}).items():
        con.execute(
            "INSERT INTO agencies (agency_id, name, region_code) VALUES (?, ?, '00.00')",
            [agency_id, name],
        )
    con.close()
    return path


@pytest.fixture
def db_factory(tmp_path):
    """Build a database file in tmp_path: ``db_factory(complaints=[...], ...)``."""
    counter = iter(range(1000))

    def build(**kwargs) -> Path:
        return make_db(tmp_path / f"wh{next(counter)}.duckdb", **kwargs)

    return build
