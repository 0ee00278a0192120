"""Where things live: the repository root, reference data, and the DuckDB file.

The database is found in ``--db`` (an explicit argument), else in the environment variable
``KINERJA_DB``, else at ``data/kinerja.duckdb`` under the repository root. Real data is loaded
there; the synthetic demo city lives in its own file, ``data/demo.duckdb``, which readers (the
app, ``python -m kpi``, ``etl status``) open when no real database exists yet.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
CONFIG_DIR = ROOT / "config"
CITIES_DIR = CONFIG_DIR / "cities"
DEFAULT_DB = DATA_DIR / "kinerja.duckdb"
DEMO_DB = DATA_DIR / "demo.duckdb"


def resolve_db(db: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path: explicit argument, then ``$KINERJA_DB``, then the default."""
    if db:
        return Path(db)
    env = os.environ.get("KINERJA_DB")
    if env:
        return Path(env)
    return DEFAULT_DB


def resolve_read_db(db: str | os.PathLike[str] | None = None) -> Path:
    """The database a reader opens: ``--db`` or ``$KINERJA_DB`` when given, else the real
    ``data/kinerja.duckdb`` when it exists, else the demo ``data/demo.duckdb``."""
    if db or os.environ.get("KINERJA_DB") or DEFAULT_DB.exists():
        return resolve_db(db)
    return resolve_db(DEMO_DB)


def resolve_demo_db(db: str | os.PathLike[str] | None = None) -> Path:
    """Where ``etl demo`` builds the demo: ``--db`` or ``$KINERJA_DB``, else ``data/demo.duckdb``."""
    if db or os.environ.get("KINERJA_DB"):
        return resolve_db(db)
    return resolve_db(DEMO_DB)


# The team's shared folder sits beside the repository (../shared), in CI as on a developer's
# machine; its data/real/ holds the real published 311/Open311 records used by the tests.
SHARED_DIR = ROOT.parent / "shared"
REAL_DATA_DIR = SHARED_DIR / "data" / "real"
