"""Where things live: the repository root, reference data, and the DuckDB file.

The database is found in ``--db`` (an explicit argument), else in the environment variable
``KINERJA_DB``, else at ``data/kinerja.duckdb`` under the repository root. Real data is loaded
there; the synthetic demo city lives in its own file, ``data/demo.duckdb``, which readers (the
app, ``python -m kpi``, ``etl status``) open when no real database exists yet. The path is
resolved to the real file (symbolic links followed), so a writer locks and replaces the file
itself, never a link to it, whichever path it was given.
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
# The page files. Not ``pages/``: Streamlit runs a ``pages/`` folder beside the entry point as a
# v1 multipage app on a fresh server's first script run, and shows "Page not found" over a deep
# link such as /rapor?agency=... (streamlit/streamlit#9992; docs/ARCHITECTURE.md §5).
PAGES_DIR = ROOT / "app_pages"


def resolve_db(db: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path: explicit argument, then ``$KINERJA_DB``, then the default;
    absolute, with symbolic links resolved."""
    path = Path(db) if db else Path(os.environ.get("KINERJA_DB") or DEFAULT_DB)
    return Path(os.path.realpath(path))


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


# Real published 311/Open311 records used by the tests (copied from the team's shared folder,
# sources and licences in data/real/SOURCES.md) and the metric definitions (docs/KPI.md).
REAL_DATA_DIR = DATA_DIR / "real"
KPI_DOC = ROOT / "docs" / "KPI.md"
