"""Load one file into the warehouse, atomically: ``load_file()`` (the ETL's public entry).

Read -> map and validate -> quarantine and upsert, all inside a copy of the database that
replaces the original only when everything succeeded (see ``etl.store``). A file that cannot be
used raises ``LoadError`` and leaves every table as it was; the failed attempt is logged in
``loads`` when the database already exists. Re-loading the file of the newest load of its
source (same bytes, mapping, zone, export time) only logs the attempt (see ``etl.reload``).
"""

from __future__ import annotations

import json
import os
import secrets
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import csvfile, privacy, region_map, sqlfuncs
from etl.errors import LoadError
from etl.exporttime import MTIME, export_time, parse_argument
from etl.mapping import Mapping, check_zone, load_mapping
from etl.meta import db_kind
from etl.progress import Stages
from etl.readers import ReadResult, read_into
from etl.reload import file_sha256, fingerprint, log_same, previous_load
from etl.store import atomic_db, check_database, clean_leftovers, writer_lock
from etl.transform import (
    bound_params,
    build_staged,
    finish_staged,
    prepare_lookups,
    resolve_columns,
)
from etl.upsert import Counts, apply
from kinerja.paths import CONFIG_DIR, resolve_db
from kpi.build import refresh as refresh_kpi_tables

MEMORY_LIMIT = "1400MB"
_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="etl-sha256")


@dataclass
class LoadSummary:
    """What one load did. ``read == inserted + updated + unchanged + quarantined``.

    ``stale`` (part of ``unchanged``): rows the file has but a newer export already wrote, or,
    for a file dated only by its modification time, rows an export with a declared time wrote.
    ``exported_at_source``: ``argument``, ``content`` or ``mtime`` (see ``etl.exporttime``).
    ``notes``: what else the load did (leftovers of interrupted loads removed).
    """

    read: int
    inserted: int
    updated: int
    unchanged: int
    quarantined: int
    reasons: dict[str, int] = field(default_factory=dict)
    period_start: datetime | None = None
    period_end: datetime | None = None
    load_id: int | None = None
    file: str = ""
    source: str = ""
    exported_at: datetime | None = None
    db: str = ""
    stale: int = 0
    exported_at_source: str | None = None
    notes: list[str] = field(default_factory=list)
    region: str = ""  # the load's default region (kode wilayah)
    regions: dict[str, int] = field(default_factory=dict)  # valid rows per region

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("period_start", "period_end", "exported_at"):
            out[key] = _iso(out[key])
        return out


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)


def load_file(
    path,
    db=None,
    source=None,
    mapping=None,
    exported_at=None,
    progress=False,
    timezone=None,
    region=None,
    *,
    refresh_kpi: bool = True,
    demo_salt=None,
    loaded_by=None,
    region_scope=None,
):
    """Load ``path`` with the built-in ``source`` mapping or the ``mapping`` TOML file.

    ``exported_at``: the export's time (datetime or ISO text; naive means UTC). Default: the
    time the file's content carries (the preamble's export time, an XLSX workbook's saved time),
    else the file's modification time. ``timezone``: read the file's local times in this zone
    instead of the mapping's. ``region``: the region (kode wilayah, ``33.74``) of rows whose
    region the file does not say (see ``etl.region_map``); default the mapping's, else the
    database's home region. ``refresh_kpi``: False for a batch of loads (the demo builds) that
    builds the KPI tables once at the end (``etl.meta.set_meta`` does when it sets the city).
    ``demo_salt``: the demo build's fixed salt for its invented reporters (``etl.demo``)
    instead of the database's secret one; refused unless the database is a demo being built.
    ``loaded_by``: who loads it (``loads.loaded_by``: the signed-in e-mail, ``cli:<login
    name>``). ``region_scope``: a region code the rows must lie in (an operator's region): a
    file with valid rows of another region is refused (``LoadError`` naming the region column),
    nothing changed. ``progress``: True for a progress bar on a terminal, or a callable that
    gets each stage's name (``etl.progress.Stages.NAMES``). Returns a ``LoadSummary``; raises
    ``LoadError`` for an unusable file or a database flagged as the demo (real data is never
    mixed into it: nothing is written), and ``KeyboardInterrupt`` when interrupted (the
    database is then unchanged).
    """
    path = Path(path)
    spec = load_mapping(path=mapping) if mapping else load_mapping(source)
    if timezone:
        spec.timezone = check_zone(timezone)
    parse_argument(exported_at)  # refuse a bad --exported-at before touching anything
    db_path = resolve_db(db)
    check_database(db_path)
    started = _now()
    try:
        with writer_lock(db_path):
            left = clean_leftovers(db_path, locked=True)
            salt = _salt_for(db_path, demo_salt)  # before the try: a refusal logs nothing
            try:
                summary = _locked_load(
                    path, db_path, spec, exported_at, progress, started, region, salt,
                    refresh_kpi, (loaded_by, region_scope),
                )  # fmt: skip
            except OSError as exc:  # the environment (permissions, disk full), not the code
                raise LoadError(
                    f"cannot read or write: {exc.strerror or exc}", file=exc.filename or str(path)
                ) from None
            except LoadError as exc:
                _log_failure(db_path, path, spec, started, _logged(exc, path), region, loaded_by)
                raise
            except (duckdb.InterruptException, RuntimeError) as exc:
                # Ctrl-C in a DuckDB query surfaces as "Query interrupted", not KeyboardInterrupt
                if isinstance(exc, duckdb.InterruptException) or "interrupted" in str(exc).lower():
                    raise KeyboardInterrupt from None
                raise
    except OSError as exc:  # creating the folder or the lock file
        raise LoadError(
            f"cannot use the database location: {exc.strerror or exc}",
            file=exc.filename or str(db_path),
        ) from None
    summary.db = str(db_path)
    if left.paths:
        summary.notes.insert(0, left.message())
    return summary


def _locked_load(
    path: Path,
    db_path: Path,
    spec: Mapping,
    exported_at,
    progress,
    started,
    region,
    salt,
    refresh_kpi,
    who,
):
    prev = previous_load(db_path, spec) if path.is_file() else None
    if prev:  # the file may be the one last loaded: hash it now to know
        sha256 = _done(file_sha256(path))
        fp = fingerprint(path, sha256.result(), spec, salt, exported_at, region)
        prev = prev if prev["fingerprint"] == fp else None
    else:  # hash while DuckDB works (hashlib releases the GIL)
        sha256 = _HASHER.submit(file_sha256, path)
    with atomic_db(db_path) as con, Stages(progress, path) as stages:
        if prev:
            summary = _same_file(con, prev, spec, path, sha256.result(), started, who[0])
        else:
            summary = _load(
                con, path, spec, salt, exported_at, started, stages, sha256, region, who
            )
        if refresh_kpi:
            refresh_kpi_tables(con, load_id=summary.load_id)  # kpi/build.py: once per load
        return summary


def _same_file(con, prev: dict, spec: Mapping, path: Path, sha256: str, started, loaded_by):
    """A re-load of the file of load ``prev`` (see ``etl.reload``): log it, change nothing."""
    load_id, counts = log_same(con, prev, spec, path, sha256, started, _now(), loaded_by)
    return LoadSummary(
        **counts,
        reasons=prev["reasons"],
        period_start=prev["start"],
        period_end=prev["end"],
        load_id=load_id,
        file=str(path),
        source=spec.name,
        exported_at=prev["exp"],
        exported_at_source=prev.get("exp_source"),
        region=prev.get("region") or "",
    )


def _load(
    con, path: Path, spec: Mapping, salt: str, exported_at, started, stages, sha256, region, who
):
    home = region_map.load_region(con, region, spec, str(path))
    sqlfuncs.install(con, spec.timezone, spec.date_formats)
    # Big files: DuckDB spills temp tables to disk (beside the database) beyond this limit,
    # so a 5 M-row load stays within 2 GB of memory.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    stages.step("reading")
    result = read_into(con, path, spec)
    cols = resolve_columns(spec, result.columns, str(path))
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()[0][0]
    exp, exp_source = export_time(
        con, exported_at, result.preamble, result.doc_time, spec, path, started
    )
    params = {
        "fmts": spec.date_formats,
        "salt": salt,
        "default_channel": spec.default_channel,
        "source": spec.name,
        "load_id": load_id,
        "exported_at": exp,
        "mtime_dated": exp_source == MTIME,
        "now": started,
        "file_name": privacy.mask(path.name),
        "has_response": _flag(spec.has_response_time, "first_response_at" in cols),
        "has_close": _flag(spec.has_close_time, "closed_at" in cols or "completed_at" in cols),
        "region": home.code,
        "id_scope": "" if spec.id_scope == "national" else home.code,
        "home": home,  # for finish_staged (not an SQL parameter)
        "region_column": (cols.get("region") or [None])[0],
    }
    params |= result.params | bound_params(spec, exp)
    stages.step("mapping and validating")
    prepare_lookups(con, spec, _standards() if spec.target == "services" else {})
    _stage(con, path, spec, cols, params, result)
    _check_scope(con, who[1], params["region_column"], path)
    params["file_sha256"] = sha256.result()
    stages.step("writing")
    counts: Counts = apply(con, spec, params)
    reasons = dict(
        con.execute(
            "SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY count(*) DESC, reason"
        ).fetchall()
    )
    created = "created_at" if spec.target == "complaints" else "submitted_at"
    period = con.execute(
        f"SELECT min({created}), max({created}) FROM staged WHERE reason IS NULL"
    ).fetchall()[0]
    con.execute(
        "INSERT INTO loads (load_id, source, target, file_name, file_sha256, started_at, "
        "finished_at, outcome, n_read, n_inserted, n_updated, n_unchanged, n_quarantined, "
        "period_start, period_end, exported_at, fingerprint, reasons, exported_at_source, "
        "n_stale, region_code, loaded_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            spec.name,
            spec.target,
            params["file_name"],
            sha256.result(),
            started,
            _now(),
            counts.read,
            counts.inserted,
            counts.updated,
            counts.unchanged,
            counts.quarantined,
            period[0],
            period[1],
            exp,
            fingerprint(path, sha256.result(), spec, params["salt"], exported_at, region),
            json.dumps(reasons),
            exp_source,
            counts.stale,
            home.code,
            who[0],
        ],
    )
    con.execute("INSERT INTO meta VALUES ('home_region', ?) ON CONFLICT DO NOTHING", [home.code])
    per_region = dict(
        con.execute(
            "SELECT region_code, count(*) FROM staged WHERE reason IS NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    return LoadSummary(
        **vars(counts),
        reasons=reasons,
        period_start=period[0],
        period_end=period[1],
        load_id=load_id,
        file=str(path),
        source=spec.name,
        exported_at=exp,
        exported_at_source=exp_source,
        region=home.code,
        regions=per_region,
    )


def _stage(con, path: Path, spec: Mapping, cols, params: dict, result: ReadResult) -> None:
    """Build ``staged`` and ``_bad`` from the input (a CSV is checked by ``etl.csvfile``)."""
    if result.kind == "csv":
        csvfile.stage_csv(con, path, spec, cols, params, result, _HASHER)
        return
    build_staged(con, spec, cols, params, result.source, result.columns)
    finish_staged(con, spec, result.source, result.columns, params)


def _check_scope(con, scope: str | None, column: str | None, path: Path) -> None:
    """Refuse a file with valid rows outside ``scope`` (an operator's region), before writing."""
    if scope is None:
        return
    outside = con.execute(
        "SELECT region_code, count(*) FROM staged WHERE reason IS NULL AND NOT "
        "(region_code = $s OR starts_with(region_code, $s || '.')) GROUP BY 1 ORDER BY 2 DESC, 1",
        {"s": scope},
    ).fetchall()
    if outside:
        found = ", ".join(f"{code} ({n:,} rows)" for code, n in outside)
        raise LoadError(
            f"rows of region {found} lie outside region {scope}, which this load may write; "
            "nothing was loaded",
            file=str(path),
            column=column,
        )


def _done(value) -> Future:
    """A future that already holds ``value`` (the hash computed up front)."""
    future: Future = Future()
    future.set_result(value)
    return future


def _flag(declared: bool | None, mapped: bool) -> bool:
    return mapped if declared is None else bool(declared)


def _salt_for(db_path: Path, demo_salt: str | None) -> str:
    """The salt of this load's reporter hashes, after refusing a load that would mix data.

    Real data: ``$KINERJA_SALT``, else the random secret kept in ``<db>.salt`` (owner-only).
    A demo database refuses real data; a demo salt is refused for a database with real data.
    """
    kind = db_kind(db_path)
    if demo_salt:
        if kind != "building":
            raise LoadError("a demo salt is only for a demo being built", file=str(db_path))
        return demo_salt
    if kind in ("demo", "building"):
        raise LoadError(_DEMO_REFUSED, file=str(db_path))
    return os.environ.get("KINERJA_SALT") or _secret_salt(db_path, fresh=kind == "missing")


_DEMO_REFUSED = (
    "this is the demo database (synthetic data); real data is never loaded into it. "
    "Load into the real database instead: leave out --db (data/kinerja.duckdb, which the app "
    "then opens) or give another --db. An old demo at data/kinerja.duckdb can be moved away "
    "(mv data/kinerja.duckdb data/demo.duckdb)."
)


def _secret_salt(db_path: Path, fresh: bool) -> str:
    """The random salt in ``<db>.salt`` (mode 600); a new database always gets a new one.

    A salt file left beside a database that no longer exists may be an old demo's public salt:
    it is never reused for a new database.
    """
    salt_file = db_path.with_name(db_path.name + ".salt")
    if fresh or not salt_file.exists():
        tmp = salt_file.with_name(f"{salt_file.name}.tmp-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        os.replace(tmp, salt_file)
    if salt_file.stat().st_mode & 0o077:
        os.chmod(salt_file, 0o600)
    return salt_file.read_text().strip()


def _standards() -> dict[str, int]:
    path = CONFIG_DIR / "service_standards.toml"
    if not path.is_file():
        return {}
    return {k: int(v) for k, v in tomllib.loads(path.read_text("utf-8"))["standards"].items()}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _logged(exc: LoadError, path: Path) -> str:
    """The message the load log keeps: the file by its name (the row has it), not the path the
    loader happened to use (a browser upload's temporary folder)."""
    if exc.file == str(path):
        return str(LoadError(exc.message, path.name, exc.row, exc.column))
    return str(exc)


def _log_failure(
    db_path: Path, path: Path, spec: Mapping, started, message: str, region, loaded_by=None
) -> None:
    """Record a failed attempt in ``loads`` (no other table changes) when the database exists;
    if even that cannot be written, the original error is what the user needs to see."""
    if not db_path.exists():
        return
    try:
        _write_failure(db_path, path, spec, started, message, region, loaded_by)
    except (LoadError, OSError, duckdb.Error):
        pass


def _write_failure(
    db_path: Path, path: Path, spec: Mapping, started, message: str, region, loaded_by=None
):
    with atomic_db(db_path) as con:
        con.execute(
            "INSERT INTO loads (load_id, source, target, file_name, started_at, finished_at, "
            "outcome, message, region_code, loaded_by) "
            "SELECT coalesce(max(load_id), 0) + 1, ?, ?, ?, ?, ?, 'failed', ?, ?, ? FROM loads",
            [
                spec.name,
                spec.target,
                privacy.mask(path.name),
                started,
                _now(),
                privacy.mask(message),
                region,
                loaded_by,
            ],  # fmt: skip
        )
