"""Shared helpers for ETL tests: real DuckDB files in tmp_path, read back whole tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kinerja.paths import REAL_DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
REAL = REAL_DATA_DIR
TABLES = ("agencies", "complaints", "status_history", "services", "quarantine", "meta")


def read_table(db: Path, table: str, order: str = "ALL") -> list[tuple]:
    """Every row of ``table`` (sorted), through a fresh read-only in-memory ATTACH."""
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    rows = con.execute(f"SELECT * FROM wh.{table} ORDER BY {order}").fetchall()
    con.close()
    return rows


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """All data tables except the ``loads`` log."""
    return {t: read_table(db, t) for t in TABLES}


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KINERJA_SALT", "test-salt")
    return tmp_path / "kinerja.duckdb"
