"""One demo database shared by the demo tests: Semarang, 52 weeks to a fixed Sunday.

52 weeks ending 2026-06-28 cover a whole rainy season (Nov-Mar) and a dry season, Ramadan and
Lebaran 2026, while keeping the build to seconds.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl.demo import build_demo

END = dt.date(2026, 6, 28)
WEEKS = 52
SEED = 7


def query(db, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` against the warehouse, opened the way readers do (ATTACH READ_ONLY)."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
        con.execute("USE wh")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """(database path, build_demo's result) for the shared Semarang demo."""
    root = tmp_path_factory.mktemp("demo")
    messages: list[str] = []
    result = build_demo(
        db=root / "demo.duckdb",
        city="semarang",
        weeks=WEEKS,
        seed=SEED,
        end=END,
        progress=messages.append,
        workdir=root / "files",
    )
    result["messages"] = messages
    return root / "demo.duckdb", result
