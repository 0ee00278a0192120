"""Where things live: the repository root, reference data, and the DuckDB file.

The database is found in ``--db`` (an explicit argument), else in the environment variable
``KINERJA_DB``, else at ``data/kinerja.duckdb`` under the repository root.
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
# The page files. Not ``pages/``: Streamlit runs a ``pages/`` folder beside the entry point as a
# v1 multipage app on a fresh server's first script run, and shows "Page not found" over a deep
# link such as /rapor?agency=... (streamlit/streamlit#9992; docs/ARCHITECTURE.md §5).
PAGES_DIR = ROOT / "app_pages"


def resolve_db(db: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path: explicit argument, then ``$KINERJA_DB``, then the default."""
    if db:
        return Path(db)
    env = os.environ.get("KINERJA_DB")
    if env:
        return Path(env)
    return DEFAULT_DB


# The team's shared folder sits beside the repository (../shared), in CI as on a developer's
# machine; its data/real/ holds the real published 311/Open311 records used by the tests.
SHARED_DIR = ROOT.parent / "shared"
REAL_DATA_DIR = SHARED_DIR / "data" / "real"
