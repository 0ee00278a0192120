"""Re-loading a file that is already loaded: recognise it and do no work.

A load's *fingerprint* covers everything its result depends on: the file's bytes (sha256), the
mapping (and the shared agency aliases and service standards), the time zone, the reporter-hash
salt, the export time given (or the file's modification time, the default export time) and the
ETL code itself. When the newest successful load of the same source into the same table has
the same fingerprint, loading the file again cannot change any row: that load left every row of
the file as the file says (or newer), and nothing of that source was loaded since. The re-load
then only logs the attempt, reporting the file's rows as unchanged or quarantined as before, so
``read == unchanged + quarantined`` still holds. Anything else (other bytes, another zone, a
load of the same source in between, an older database) takes the full path.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import duckdb

from etl.mapping import ALIASES_FILE, Mapping
from kinerja.paths import CONFIG_DIR

ETL_DIR = Path(__file__).resolve().parent
CODE = [*sorted(ETL_DIR.glob("*.py")), ETL_DIR / "schema.sql"]


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(
    path: Path, sha256: str, spec: Mapping, salt: str, exported_at, region: str | None = None
) -> str:
    """What a load of ``path`` with ``spec`` (for ``region``) depends on, as one hex digest."""
    digest = hashlib.sha256()
    parts = [sha256, spec.name, spec.target, spec.timezone, salt, f"region {region or ''}"]
    parts.append(repr(exported_at) if exported_at else f"mtime {path.stat().st_mtime_ns}")
    for text in parts:
        digest.update(text.encode("utf-8") + b"\0")
    extra = [spec.path, ALIASES_FILE, CONFIG_DIR / "service_standards.toml", *CODE]
    for p in extra:
        digest.update(p.read_bytes() if p and Path(p).is_file() else b"-")
        digest.update(b"\0")
    return digest.hexdigest()


def previous_load(db: Path, spec: Mapping, region: str | None = None) -> dict | None:
    """The newest successful load of ``spec``'s source and table, if it has a fingerprint.

    (``region`` is part of the fingerprint compared afterwards, not of this lookup.)"""
    if not db.exists():
        return None
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
        rows = con.execute(
            """SELECT load_id, fingerprint, reasons, n_read, n_quarantined, period_start,
                      period_end, exported_at, exported_at_source, region_code
               FROM wh.loads WHERE outcome = 'loaded' AND source = ? AND target = ?
               ORDER BY load_id DESC LIMIT 1""",
            [spec.name, spec.target],
        ).fetchall()
    except duckdb.Error:  # a database from before fingerprints: take the full path
        return None
    finally:
        con.close()
    if not rows or rows[0][1] is None or rows[0][2] is None:
        return None
    keys = ("load_id", "fingerprint", "reasons", "read", "quarantined", "start", "end", "exp",
            "exp_source", "region")  # fmt: skip
    found = dict(zip(keys, rows[0], strict=True))
    found["reasons"] = json.loads(found["reasons"])
    return found


def log_same(
    con, prev: dict, spec: Mapping, path: Path, sha256: str, started: datetime, now, loaded_by=None
):
    """Log a re-load of the same file as load ``prev`` (by ``loaded_by``); return (load_id,
    counts)."""
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()[0][0]
    unchanged = prev["read"] - prev["quarantined"]
    con.execute(
        "INSERT INTO loads (load_id, source, target, file_name, file_sha256, started_at, "
        "finished_at, outcome, n_read, n_inserted, n_updated, n_unchanged, n_quarantined, "
        "period_start, period_end, exported_at, message, fingerprint, reasons, "
        "exported_at_source, region_code, loaded_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'loaded', ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            spec.name,
            spec.target,
            path.name,
            sha256,
            started,
            now,
            prev["read"],
            unchanged,
            prev["quarantined"],
            prev["start"],
            prev["end"],
            prev["exp"],
            f"same file as load {prev['load_id']}: nothing changed",
            prev["fingerprint"],
            json.dumps(prev["reasons"]),
            prev["exp_source"],
            prev["region"],
            loaded_by,
        ],
    )
    return load_id, {
        "read": prev["read"],
        "inserted": 0,
        "updated": 0,
        "unchanged": unchanged,
        "quarantined": prev["quarantined"],
    }
