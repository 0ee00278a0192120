"""Key/value facts about a database (``meta`` table): city preset, demo flags.

The KPI tables (``kpi.build``) depend on the settings the ``city`` (and ``home_region``) select:
setting either rebuilds them in the same atomic write, so readers find them current.
"""

from __future__ import annotations

import os
from pathlib import Path

from etl.store import atomic_db, writer_lock
from kinerja.paths import resolve_db

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
