"""Atomic writes to the warehouse file.

A writer copies the current database to a temporary file beside it (``<db>.tmp-<pid>``),
changes the copy, and ``os.replace()``s it over the original. Readers that ATTACH the path afresh
see either the old or the new file, never half a load, and are never blocked. A lock file
(``<db>.lock``) serialises writers; it is opened without following a symbolic link, so a planted
link cannot make a load truncate another file. The database keeps its file mode across the
replace (a new database is readable by its owner only: 0600). A writer killed mid-load leaves its
copy (and DuckDB's spill folder ``<copy>.tmp``); the next writer, holding the lock, removes them
(``clean_leftovers``), and ``etl status`` does when no load is running.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.errors import LoadError

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.sql"
NEW_DB_MODE = 0o600


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create any missing warehouse table and upgrade older ones (``etl.migrate``; idempotent)."""
    from etl.migrate import apply_schema as create_and_upgrade

    create_and_upgrade(con)


def _open_lock(db: Path) -> int:
    """The lock file's descriptor; refuse a lock path that is a symbolic link."""
    lock = db.with_name(db.name + ".lock")
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(lock, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError(
                "the lock file is a symbolic link; remove it (a load never follows it)",
                file=str(lock),
            ) from None
        raise LoadError(f"cannot open the lock file: {exc.strerror}", file=str(lock)) from None


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<db>.lock`` so only one writer works at a time."""
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = _open_lock(db)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def try_writer_lock(db: Path) -> Iterator[bool]:
    """Like ``writer_lock`` but never waits: yields False when a writer holds the lock."""
    if not db.parent.is_dir():
        yield False
        return
    fd = _open_lock(db)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def check_database(db: Path) -> None:
    """Refuse a ``db`` that exists but is not a DuckDB database (LoadError naming it)."""
    if not db.exists():
        return
    if not db.is_file():
        raise LoadError("the database path is not a regular file", file=str(db))
    with open(db, "rb") as fh:
        head = fh.read(16)
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise LoadError("not a DuckDB database (choose another --db)", file=str(db))


@contextlib.contextmanager
def atomic_db(db: Path, upgrade: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a copy of ``db``; replace ``db`` with it only if the block succeeds.

    The caller must hold ``writer_lock(db)``. On any exception the copy is deleted and the
    original file is untouched. The copy is created 0600 and gets the original's mode back
    just before the replace (0600 for a new database). ``upgrade``: create missing tables and
    migrate an older schema first (``etl.migrate``); False for the migration itself.
    """
    check_database(db)
    tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    _remove(tmp)
    mode = stat.S_IMODE(db.stat().st_mode) if db.exists() else NEW_DB_MODE
    if db.exists():
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        shutil.copyfile(db, tmp)
    con = None
    try:
        con = duckdb.connect(str(tmp))
        os.chmod(tmp, 0o600)
        con.execute("SET enable_progress_bar = false")
        if upgrade:
            apply_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, db)
    except BaseException:
        if con is not None:
            con.close()
        _remove(tmp)
        raise
    finally:
        _remove_dir(tmp.with_name(tmp.name + ".tmp"))


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _remove_dir(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class Leftovers:
    """Files of interrupted writers removed from beside a database."""

    paths: list[str] = field(default_factory=list)
    n_bytes: int = 0

    def message(self) -> str:
        if not self.paths:
            return ""
        mib = self.n_bytes / 2**20
        return f"removed {len(self.paths)} leftover file(s) of interrupted loads ({mib:,.1f} MiB)"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_leftovers(db: Path) -> list[tuple[Path, int]]:
    """``<db>.tmp-<pid>`` copies (with ``.wal``/``.tmp`` spill folder) and ``<db>.demo-<pid>``
    builds of processes that are gone, with their pid. Our own process's files are excluded."""
    pattern = re.compile(re.escape(db.name) + r"\.(tmp|demo)-(\d+)(\..*)?$")
    found = []
    if not db.parent.is_dir():
        return found
    for p in db.parent.iterdir():
        m = pattern.match(p.name)
        if not m or int(m.group(2)) == os.getpid():
            continue
        if m.group(1) == "demo" and _pid_alive(int(m.group(2))):
            continue  # a demo build holds no lock on ``db`` while it runs
        found.append((p, int(m.group(2))))
    return sorted(found)


def _size(path: Path) -> int:
    if path.is_symlink() or not path.is_dir():
        return path.lstat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def clean_leftovers(db: Path, locked: bool) -> Leftovers:
    """Remove the leftovers of interrupted writers of ``db``.

    ``locked``: the caller holds the writer lock, so no writer of ``db`` is running and every
    ``<db>.tmp-<pid>`` is a leftover. Without the lock only files of dead processes go.
    """
    out = Leftovers()
    for path, pid in find_leftovers(db):
        if not locked and _pid_alive(pid):
            continue
        with contextlib.suppress(FileNotFoundError):
            out.n_bytes += _size(path)
            out.paths.append(str(path))
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
    return out
