"""Load one file into the warehouse, atomically: ``load_file()`` (the ETL's public entry).

Read -> map and validate -> quarantine and upsert, all inside a copy of the database that
replaces the original only when everything succeeded (see ``etl.store``). A file that cannot be
used raises ``LoadError`` and leaves every table as it was; the failed attempt is logged in
``loads`` when the database already exists. Re-loading the file of the newest load of its
source (same bytes, mapping, zone, export time) only logs the attempt (see ``etl.reload``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import privacy, region_map, sqlfuncs
from etl.errors import LoadError
from etl.mapping import Mapping, check_zone, load_mapping
from etl.meta import db_kind
from etl.readers import fix_csv_lines, read_into
from etl.reload import file_sha256, fingerprint, log_same, previous_load
from etl.store import atomic_db, writer_lock
from etl.transform import (
    build_staged,
    fill_raw,
    flag_duplicates,
    prepare_lookups,
    resolve_columns,
)
from etl.upsert import Counts, apply
from kinerja.paths import CONFIG_DIR, resolve_db

PROGRESS_MIN_BYTES = 2_000_000
MEMORY_LIMIT = "1400MB"
_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="etl-sha256")


@dataclass
class LoadSummary:
    """What one load did. ``read == inserted + updated + unchanged + quarantined``."""

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
    region: str = ""  # the load's default region (kode wilayah)
    regions: dict[str, int] = field(default_factory=dict)  # valid rows per region

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("period_start", "period_end", "exported_at"):
            out[key] = out[key].isoformat(sep=" ") if out[key] else None
        return out


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
    demo_salt=None,
):
    """Load ``path`` with the built-in ``source`` mapping or the ``mapping`` TOML file.

    ``exported_at``: the export's time (datetime; naive means UTC). Default: the time in the
    file's preamble when the mapping names one, else the file's modification time.
    ``timezone``: read the file's local times in this zone instead of the mapping's.
    ``region``: the region (kode wilayah, ``33.74``) of rows whose region the file does not say
    (see ``etl.region_map``); default the mapping's, else the database's home region.
    ``demo_salt``: the demo build's fixed salt for its fake reporters (``etl.demo``) instead of
    the database's secret one; refused for a database that is not a demo being built.
    Returns a ``LoadSummary``; raises ``LoadError`` for an unusable file, and for a database
    flagged as the demo (real data is never mixed into it).
    """
    path = Path(path)
    spec = load_mapping(path=mapping) if mapping else load_mapping(source)
    if timezone:
        spec.timezone = check_zone(timezone)
    db_path = resolve_db(db)
    started = _now()
    with writer_lock(db_path):
        salt = _salt_for(db_path, demo_salt)
        try:
            prev = previous_load(db_path, spec, region) if path.is_file() else None
            if prev:  # the file may be the one last loaded: hash it now to know
                sha256 = _done(file_sha256(path))
                fp = fingerprint(path, sha256.result(), spec, salt, exported_at, region)
                prev = prev if prev["fingerprint"] == fp else None
            else:  # hash while DuckDB works (hashlib releases the GIL)
                sha256 = _HASHER.submit(file_sha256, path)
            with atomic_db(db_path) as con, _Stages(progress, path) as stages:
                if prev:
                    summary = _same_file(con, prev, spec, path, sha256.result(), started)
                else:
                    summary = _load(
                        con, path, spec, salt, exported_at, started, stages, sha256, region
                    )
        except LoadError as exc:
            if db_path.exists():
                _log_failure(db_path, path, spec, started, str(exc), region)
            raise
    summary.db = str(db_path)
    return summary


def _same_file(con, prev: dict, spec: Mapping, path: Path, sha256: str, started):
    """A re-load of the file of load ``prev`` (see ``etl.reload``): log it, change nothing."""
    load_id, counts = log_same(con, prev, spec, path, sha256, started, _now())
    return LoadSummary(
        **counts,
        reasons=prev["reasons"],
        period_start=prev["start"],
        period_end=prev["end"],
        load_id=load_id,
        file=str(path),
        source=spec.name,
        exported_at=prev["exp"],
        region=prev["region"] or "",
    )


def _load(con, path: Path, spec: Mapping, salt: str, exported_at, started, stages, sha256, region):
    home = region_map.load_region(con, region, spec, str(path))
    sqlfuncs.install(con, spec.timezone, spec.date_formats)
    # Big files: DuckDB spills temp tables to disk (beside the database) beyond this limit,
    # so a 5 M-row load stays within 2 GB of memory.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    stages.step("reading")
    result = read_into(con, path, spec)
    cols = resolve_columns(spec, result.columns, str(path))
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()[0][0]
    params = {
        "fmts": spec.date_formats,
        "salt": salt,
        "default_channel": spec.default_channel,
        "source": spec.name,
        "load_id": load_id,
        "exported_at": _exported_at(con, exported_at, result.preamble, spec, path),
        "file_name": privacy.mask(path.name),
        "has_response": _flag(spec.has_response_time, "first_response_at" in cols),
        "has_close": _flag(spec.has_close_time, "closed_at" in cols or "completed_at" in cols),
        "region": home.code,
        "id_scope": "" if spec.id_scope == "national" else home.code,
    }
    params |= result.params
    stages.step("mapping and validating")
    prepare_lookups(con, spec, _standards() if spec.target == "services" else {})
    with _csv_errors(result.kind, path):
        build_staged(con, spec, cols, params, result.source, result.columns)
        per_region = region_map.assign(con, home, (cols.get("region") or [None])[0])
        flag_duplicates(con, spec, result.source, result.columns, params)
        fill_raw(con, spec, result.source, result.columns, params)
    if result.kind == "csv":
        fix_csv_lines(con, params)
    stages.step("writing")
    counts: Counts = apply(con, spec, params, result.kind == "csv")
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
        "period_start, period_end, exported_at, fingerprint, reasons, region_code) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            params["exported_at"],
            fingerprint(path, sha256.result(), spec, params["salt"], exported_at, region),
            json.dumps(reasons),
            home.code,
        ],
    )
    con.execute("INSERT INTO meta VALUES ('home_region', ?) ON CONFLICT DO NOTHING", [home.code])
    return LoadSummary(
        **vars(counts),
        reasons=reasons,
        period_start=period[0],
        period_end=period[1],
        load_id=load_id,
        file=str(path),
        source=spec.name,
        exported_at=params["exported_at"],
        region=home.code,
        regions=per_region,
    )


def _done(value) -> Future:
    """A future that already holds ``value`` (the hash computed up front)."""
    future: Future = Future()
    future.set_result(value)
    return future


@contextlib.contextmanager
def _csv_errors(kind: str, path: Path):
    """A CSV is read by the mapping's query: DuckDB's reading errors become LoadErrors."""
    try:
        yield
    except (duckdb.InvalidInputException, duckdb.IOException) as exc:
        if kind != "csv":
            raise
        first = str(exc).strip().splitlines()[0]
        raise LoadError(f"cannot read as CSV: {first}", file=str(path)) from None


def _flag(declared: bool | None, mapped: bool) -> bool:
    return mapped if declared is None else bool(declared)


def _exported_at(con, given, preamble: dict, spec: Mapping, path: Path) -> datetime:
    """The export's time in UTC: argument, else the preamble's value, else the file's mtime."""
    if isinstance(given, str):
        given = datetime.fromisoformat(given)
    if isinstance(given, datetime):
        return given.astimezone(UTC).replace(tzinfo=None) if given.tzinfo else given
    value = preamble.get(spec.exported_at_key) if spec.exported_at_key else None
    if value:
        fmts = spec.date_formats + ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"]
        parsed = con.execute("SELECT kj_ts_iso(?, ?)", [value, fmts]).fetchall()[0][0]
        if parsed is None:
            raise LoadError(
                f"export time {value!r} is not a date", file=str(path), column=spec.exported_at_key
            )
        return parsed
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


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


def _log_failure(db_path: Path, path: Path, spec: Mapping, started, message: str, region) -> None:
    """Record a failed attempt in ``loads`` (no other table changes)."""
    with atomic_db(db_path) as con:
        con.execute(
            "INSERT INTO loads (load_id, source, target, file_name, started_at, finished_at, "
            "outcome, message, region_code) "
            "SELECT coalesce(max(load_id), 0) + 1, ?, ?, ?, ?, ?, 'failed', ?, ? FROM loads",
            [
                spec.name,
                spec.target,
                privacy.mask(path.name),
                started,
                _now(),
                privacy.mask(message),
                region,
            ],  # fmt: skip
        )


class _Stages:
    """A rich progress bar (on stderr) over the load's stages: when asked and the file is large."""

    NAMES = ("reading", "mapping and validating", "writing")

    def __init__(self, progress: bool, path: Path):
        big = path.is_file() and path.stat().st_size >= PROGRESS_MIN_BYTES
        self.enabled = bool(progress) and big
        self.bar = self.task = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("loading", total=len(self.NAMES))
        return self

    def step(self, name: str) -> None:
        if self.bar is not None:
            done = self.NAMES.index(name)
            self.bar.update(self.task, completed=done, description=name)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.update(self.task, completed=len(self.NAMES))
            self.bar.stop()
        return False
