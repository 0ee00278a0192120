"""Delete a complaint's (or service application's) data on request, and old raw records.

``forget(db, source, record_id)`` removes, in one atomic replace of the database file (the same
writer lock and copy-and-replace as a load): the complaint and its status history, or the
service application, and every quarantined row of that source whose raw record holds the id.
It then records the id in ``forgotten`` so that a later load of an export that still contains
it quarantines that row as ``forgotten``, with no raw record or detail, instead of storing it
again. ``forget_raw(db, before)`` clears the raw records (and details) of rows quarantined by
loads that finished before a date; the reason, file, line and column stay for the statistics.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from etl.errors import LoadError
from etl.mapping import REQUIRED, list_mappings
from etl.store import atomic_db, writer_lock

KEYS = {"complaints": "complaint_id", "services": "service_id"}


@dataclass
class Forgotten:
    """What ``forget`` removed."""

    db: str
    source: str
    record_id: str
    region: str | None = None
    complaints: int = 0
    status_history: int = 0
    services: int = 0
    quarantine: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def id_columns(source: str) -> list[str]:
    """The source columns that hold a built-in mapping's record id (raw records are keyed so)."""
    for m in list_mappings():
        if m.name == source:
            return list(m.columns.get(REQUIRED[m.target][0], []))
    return []


def forget(db: Path, source: str, record_id: str, region: str | None = None) -> Forgotten:
    """Delete every stored trace of ``record_id`` of ``source`` (in ``region`` only, when given:
    the same id may name another complaint in another region); LoadError for no database.

    The id is kept in ``forgotten`` (source, id, region, time): later loads skip the record.
    """
    if not db.exists():
        raise LoadError("no database", file=str(db))
    out = Forgotten(str(db), source, record_id, region)
    where_region = "" if region is None else " AND region_code = ?"
    scope = [] if region is None else [region]
    with writer_lock(db), atomic_db(db) as con:
        out.status_history = _delete(
            con,
            "status_history",
            "source = ? AND complaint_id = ? AND id_scope IN (SELECT id_scope FROM complaints "
            f"WHERE source = ? AND complaint_id = ?{where_region})",
            source, record_id, source, record_id, *scope,
        )  # fmt: skip
        for table, key in (("complaints", "complaint_id"), ("services", "service_id")):
            where = f"source = ? AND {key} = ?{where_region}"
            setattr(out, table, _delete(con, table, where, source, record_id, *scope))
        out.quarantine = _forget_quarantined(con, source, record_id, region)
        con.execute(
            "INSERT INTO forgotten (source, record_id, region_code, forgotten_at) "
            "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM forgotten WHERE source = ? "
            "AND record_id = ? AND region_code IS NOT DISTINCT FROM ?)",
            [source, record_id, region, _now(), source, record_id, region],
        )
    return out


def _delete(con, table: str, where: str, *params) -> int:
    n = con.execute(f"SELECT count(*) FROM {table} WHERE {where}", list(params)).fetchall()[0][0]
    if n:
        con.execute(f"DELETE FROM {table} WHERE {where}", list(params))
    return n


def _forget_quarantined(con, source: str, record_id: str, region: str | None) -> int:
    """Delete the source's quarantined rows whose raw record holds ``record_id`` as its id (or,
    for a source without a built-in mapping, as any value)."""
    where = "" if region is None else " AND region_code = ?"
    rows = con.execute(
        f"SELECT rowid, raw FROM quarantine WHERE source = ? AND raw IS NOT NULL{where}",
        [source] + ([] if region is None else [region]),
    ).fetchall()
    columns = id_columns(source)
    hits = [rowid for rowid, raw in rows if _holds(raw, record_id, columns)]
    if hits:
        con.execute("DELETE FROM quarantine WHERE list_contains(?, rowid)", [hits])
    return len(hits)


def _holds(raw: str, record_id: str, columns: list[str]) -> bool:
    try:
        record = json.loads(raw)
    except ValueError:
        return record_id in raw
    if not isinstance(record, dict):
        return False
    values = [record.get(c) for c in columns] if columns else list(record.values())
    return any(isinstance(v, str) and v.strip() == record_id for v in values)


def forget_raw(db: Path, before: date) -> int:
    """Clear raw records and details of rows quarantined by loads finished before ``before``."""
    if not db.exists():
        raise LoadError("no database", file=str(db))
    cut = datetime.combine(before, datetime.min.time())
    where = """(raw IS NOT NULL OR detail IS NOT NULL) AND load_id IN (
        SELECT load_id FROM loads WHERE finished_at < ?)"""
    with writer_lock(db), atomic_db(db) as con:
        n = con.execute(f"SELECT count(*) FROM quarantine WHERE {where}", [cut]).fetchall()[0][0]
        if n:
            con.execute(f"UPDATE quarantine SET raw = NULL, detail = NULL WHERE {where}", [cut])
    return n


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
