"""Key/value facts about a database (``meta`` table): city preset, demo flags.

Also whether a database file is the synthetic demo or holds real data: the demo never replaces
real data, and real data is never loaded into the demo (``etl.demo.build``, ``etl.load``).
The KPI tables (``kpi.build``) depend on the settings the ``city`` (and ``home_region``) select:
setting either rebuilds them in the same atomic write, so readers find them current.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from etl.store import atomic_db, writer_lock
from kinerja.paths import resolve_db

# Tables whose rows come from loads: any row there (outside a demo) is real data.
LOADED_TABLES = ("complaints", "services", "quarantine", "loads")
# meta.is_demo: 'true' for a finished demo, 'building' while etl.demo loads its files.
DEMO_FLAGS = {"true": "demo", "building": "building"}
SETTINGS_KEYS = ("city", "home_region")  # meta keys the KPI tables' settings depend on


def set_meta(db: str | os.PathLike[str] | None, values: dict[str, object]) -> Path:
    """Upsert ``values`` into ``meta`` atomically; values are stored as text. Returns the path."""
    path = resolve_db(db)
    rows = [(str(k), None if v is None else _text(v)) for k, v in values.items()]
    with writer_lock(path), atomic_db(path) as con:
        con.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rows,
        )
        if any(k in SETTINGS_KEYS for k in values):
            from kpi.build import refresh

            refresh(con)
    return path


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def db_kind(path: Path) -> str:
    """``missing``, ``empty`` (no loaded rows), ``demo``, ``building`` (a demo being built),
    ``real`` or ``unreadable`` (not a readable warehouse: nothing replaces it)."""
    if not path.exists():
        return "missing"
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh'"
            ).fetchall()
        }
        flag = None
        if "meta" in tables:
            sql = "SELECT max(value) FROM wh.meta WHERE key = 'is_demo'"
            flag = con.execute(sql).fetchall()[0][0]
        if flag in DEMO_FLAGS:
            return DEMO_FLAGS[flag]
        counts = [
            con.execute(f"SELECT count(*) FROM (SELECT 1 FROM wh.{t} LIMIT 1)").fetchall()[0][0]
            for t in LOADED_TABLES
            if t in tables
        ]
    except duckdb.Error:
        return "unreadable"
    finally:
        con.close()
    return "real" if any(counts) else "empty"
