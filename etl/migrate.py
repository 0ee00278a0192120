"""Versioned warehouse schema: upgrade a database written by an older Kinerja in place.

``meta.schema_version`` says which version a file has (a file without it is version 1, the
single-city schema). ``upgrade(con)`` runs inside ``etl.store.atomic_db`` on every write, so the
first load after an upgrade of the code migrates the file; ``python -m etl migrate`` and the
KPI layer's ``Warehouse.open`` (through ``migrate_file``) do it on demand. Every step keeps every
row: a table whose key changes is renamed, created again from ``schema.sql`` and refilled.

Version 2 (regions, issue 11): every fact row, agency, load and quarantined row belongs to a
region. A version-1 database is one city: its rows go to that city's region (the settings
preset's ``region_code``), its agency ids get the region prefix (``dinas-pu`` ->
``33.74:dinas-pu``) and complaint ids are scoped by region, except for sources with national
ids (SP4N-LAPOR!). Figures are unchanged: only names gain the region.
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from kinerja import regions
from kinerja.regions import DEFAULT_CODE, Region

SCHEMA_VERSION = 2
SCHEMA_FILE = Path(__file__).resolve().parent / "schema.sql"


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create any missing table, then upgrade older tables (idempotent)."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    upgrade(con)


def columns(con, table: str) -> list[str]:
    """Column names of ``table`` in the connection's default catalog."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = "
        "current_database() AND schema_name = current_schema() ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def version(con) -> int:
    """The schema version of the open database (1 for a file from before versioning)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    if row:
        return int(row[0][0])
    return SCHEMA_VERSION if "region_code" in columns(con, "complaints") else 1


def upgrade(con) -> list[str]:
    """Bring the open database to ``SCHEMA_VERSION``; returns what was done (one line each)."""
    done: list[str] = []
    if version(con) < 2:
        done += _to_v2(con)
    _set_meta(con, {"schema_version": str(SCHEMA_VERSION)})
    return done


def migrate_file(db: Path) -> list[str]:
    """Upgrade the database file ``db`` atomically under the writer lock (no-op when current)."""
    from etl.store import atomic_db, writer_lock

    if not needs_upgrade(db):
        return []
    with writer_lock(db), atomic_db(db, upgrade=False) as con:
        con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        return upgrade(con)


def needs_upgrade(db: Path) -> bool:
    """Whether the file at ``db`` has an older schema (read-only check)."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
        con.execute("USE wh")
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "complaints" not in tables or "meta" not in tables:
            return False
        return version(con) < SCHEMA_VERSION
    finally:
        con.close()


# ---- version 2: regions ---------------------------------------------------------------------


def home_region(con) -> Region:
    """The region of a single-city database: the one its settings name.

    ``$KINERJA_CONFIG`` (if it names a region), else the ``meta.city`` preset, else the preset
    of its sources (Boston 311, NYC 311 declare their city), else the documented default.
    """
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    code = meta.get("home_region") or _config_region()
    if not code and meta.get("city"):
        code = next((r.code for r in regions.registry().values() if r.preset == meta["city"]), None)
    if not code:
        code = _region_from_sources(con)
    return regions.get(code or DEFAULT_CODE) or _unknown(code or DEFAULT_CODE)


def _config_region() -> str | None:
    path = os.environ.get("KINERJA_CONFIG")
    if not path or not Path(path).is_file():
        return None
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return doc.get("city", {}).get("region_code")


def _region_from_sources(con) -> str | None:
    from etl.mapping import list_mappings

    defaults = {m.name: m.default_region for m in list_mappings()}
    used = {r[0] for r in con.execute("SELECT DISTINCT source FROM complaints").fetchall()}
    found = {defaults.get(s) for s in used}
    return found.pop() if len(found) == 1 else None


def _unknown(code: str) -> Region:
    return Region(code, code, regions.infer_level(code, code), None, "Asia/Jakarta", "WIB")


def national_sources() -> set[str]:
    """Built-in sources whose ids are national (unique across regions)."""
    from etl.mapping import list_mappings

    return {m.name for m in list_mappings() if m.id_scope == "national"}


def _rebuild(con, table: str, select: str, params: list) -> None:
    """Recreate ``table`` from schema.sql (new key/columns) and refill it with ``select``,
    which reads the old rows as ``old``."""
    con.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    con.execute(f"INSERT INTO {table} {select.format(old=f'{table}_v1')}", params)
    con.execute(f"DROP TABLE {table}_v1")


def _to_v2(con) -> list[str]:
    region = home_region(con)
    code = region.code
    national = sorted(national_sources())
    scope = "CASE WHEN list_contains(?, source) THEN '' ELSE ? END"
    for col in ("fingerprint", "reasons", "region_code"):
        con.execute(f"ALTER TABLE loads ADD COLUMN IF NOT EXISTS {col} VARCHAR")
    con.execute("ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS region_code VARCHAR")
    con.execute("UPDATE loads SET region_code = ? WHERE region_code IS NULL", [code])
    con.execute("UPDATE quarantine SET region_code = ? WHERE region_code IS NULL", [code])
    counts = {t: _count(con, t) for t in ("agencies", "complaints", "status_history", "services")}
    _rebuild(
        con,
        "agencies",
        "SELECT ? || ':' || agency_id, name, short_name, ? FROM {old}",
        [code, code],
    )
    old = [c for c in columns(con, "complaints") if c not in ("region_code", "id_scope")]
    _rebuild(
        con,
        "complaints",
        "SELECT "
        + ", ".join("? || ':' || agency_id" if c == "agency_id" else c for c in old)
        + f", ?, {scope} FROM {{old}}",
        [code, code, national, code],
    )
    _rebuild(
        con,
        "status_history",
        f"SELECT source, complaint_id, status, raw_status, seen_at, load_id, {scope} FROM {{old}}",
        [national, code],
    )
    old = [c for c in columns(con, "services") if c not in ("region_code", "id_scope")]
    _rebuild(
        con,
        "services",
        "SELECT "
        + ", ".join("? || ':' || agency_id" if c == "agency_id" else c for c in old)
        + f", ?, {scope} FROM {{old}}",
        [code, code, national, code],
    )
    ensure_regions(con, [region])
    after = {t: _count(con, t) for t in counts}
    if after != counts:  # never lose a row: the atomic copy is thrown away
        raise RuntimeError(f"migration to version 2 changed row counts: {counts} -> {after}")
    _set_meta(
        con,
        {
            "home_region": code,
            "migrated_v2_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    return [
        f"schema 1 -> 2: every row assigned to region {code} ({region.name}); agency ids "
        f"prefixed with '{code}:'; {sum(counts.values()):,} rows kept"
    ]


def ensure_regions(con, found: list[Region]) -> None:
    """Insert the regions not yet in ``regions`` (their parents too, when registered)."""
    todo = {r.code: r for r in found}
    for r in list(todo.values()):
        parent = regions.get(r.parent) if r.parent else None
        if parent is not None:
            todo.setdefault(parent.code, parent)
    rows = [r.row() for r in todo.values()]
    if rows:
        con.executemany(
            "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows
        )


def _count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _set_meta(con, values: dict[str, str]) -> None:
    con.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )
