"""Atomic writes to the warehouse file.

A writer copies the current database to a temporary file beside it, changes the copy, and
``os.replace()``s it over the original. Readers that ATTACH the path afresh see either the old
or the new file, never half a load, and are never blocked. A lock file serialises writers.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.sql"


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create any missing warehouse table and upgrade older ones (``etl.migrate``; idempotent)."""
    from etl.migrate import apply_schema as create_and_upgrade

    create_and_upgrade(con)


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<db>.lock`` so only one writer works at a time."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def atomic_db(db: Path, upgrade: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a copy of ``db``; replace ``db`` with it only if the block succeeds.

    The caller must hold ``writer_lock(db)``. On any exception the copy is deleted and the
    original file is untouched. ``upgrade``: create missing tables and migrate an older schema
    first (``etl.migrate``); False for the migration itself, which does it step by step.
    """
    tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    _remove(tmp)
    if db.exists():
        shutil.copyfile(db, tmp)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET enable_progress_bar = false")
        if upgrade:
            apply_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, db)
    except BaseException:
        con.close()
        _remove(tmp)
        raise


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
