"""Real data and the demo never mix (issue 9 point 6, issue 10 point 2).

The demo lives in its own file with its own public salt; real data gets a random secret salt;
a load into the demo is refused; the demo never replaces real data, checked under the lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import pytest

from etl.demo import build_demo
from etl.demo.build import demo_salt
from etl.errors import LoadError
from etl.load import load_file
from etl.meta import db_kind
from kinerja import paths
from tests.etl.conftest import FIXTURES, read_table

END = dt.date(2026, 6, 28)
GENERIC = FIXTURES / "generic_complaints.csv"


def small_demo(db):
    return build_demo(db=db, city="bontang", weeks=2, seed=3, end=END)


def run_cli(*args, env):
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **env})  # fmt: skip


@pytest.fixture
def no_env_salt(monkeypatch):
    monkeypatch.delenv("KINERJA_SALT", raising=False)
    monkeypatch.delenv("KINERJA_DB", raising=False)


def test_loading_real_data_into_the_demo_is_refused(tmp_path, no_env_salt):
    db = tmp_path / "demo.duckdb"
    small_demo(db)
    before = db.read_bytes()
    proc = run_cli("load", str(GENERIC), "--source", "generic", "--db", str(db), env={})
    assert proc.returncode == 2
    assert "demo database (synthetic data); real data is never loaded into it" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert db.read_bytes() == before  # not even a 'failed' row in loads
    assert not (tmp_path / "demo.duckdb.salt").exists()


def test_demo_leaves_no_salt_file_and_removes_a_stale_one(tmp_path, no_env_salt):
    db = tmp_path / "demo.duckdb"
    (tmp_path / "demo.duckdb.salt").write_text(demo_salt("bontang", 3))  # as old builds left it
    small_demo(db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb", "demo.duckdb.lock"]
    assert db_kind(db) == "demo"


def test_real_data_gets_a_new_secret_salt_never_the_demo_one(tmp_path, no_env_salt):
    # An old build moved the demo's public salt beside data/kinerja.duckdb; the operator moves
    # the demo away and loads real data at that path: the stale salt must not be reused.
    db = tmp_path / "kinerja.duckdb"
    public = demo_salt("semarang", 7)
    (tmp_path / "kinerja.duckdb.salt").write_text(public)
    load_file(GENERIC, db=db, source="generic")
    salt_file = tmp_path / "kinerja.duckdb.salt"
    salt = salt_file.read_text()
    assert salt != public and len(salt) == 64
    assert salt_file.stat().st_mode & 0o777 == 0o600
    hashes = {r[1]: r[11] for r in read_table(db, "complaints")}
    assert hashes["WA-1"] == hashlib.sha256(f"{salt}budi".encode()).hexdigest()
    # the next load of the same database keeps its salt (repeat reporters stay countable)
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    assert salt_file.read_text() == salt


def test_a_world_readable_salt_file_is_made_owner_only(tmp_path, no_env_salt):
    db = tmp_path / "kinerja.duckdb"
    load_file(GENERIC, db=db, source="generic")
    salt_file = tmp_path / "kinerja.duckdb.salt"
    salt_file.chmod(0o644)
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    assert salt_file.stat().st_mode & 0o777 == 0o600


def test_demo_never_replaces_real_data(tmp_path, no_env_salt):
    db = tmp_path / "kinerja.duckdb"
    load_file(GENERIC, db=db, source="generic")
    before = db.read_bytes()
    with pytest.raises(ValueError, match="holds real"):
        small_demo(db)
    proc = run_cli("demo", "--city", "bontang", "--weeks", "2", "--db", str(db), env={})
    assert proc.returncode == 2 and "holds real (non-demo) data" in proc.stderr
    assert db.read_bytes() == before


def test_a_database_with_only_quarantined_rows_is_real(tmp_path, no_env_salt):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,created_at,status\nX1,kemarin,baru\n")
    db = tmp_path / "kinerja.duckdb"
    load_file(bad, db=db, source="generic")
    assert db_kind(db) == "real"
    with pytest.raises(ValueError, match="holds real"):
        small_demo(db)


def test_real_load_during_a_demo_build_is_kept(tmp_path, no_env_salt):
    """``etl demo --db D &`` then ``etl load real.csv --db D``: the demo's replace is checked
    under the writer lock, so the real load that landed meanwhile survives."""
    db = tmp_path / "shared.duckdb"
    landed = []

    def progress(message: str) -> None:
        if message.startswith("Loading file 1/"):  # the demo is being built beside ``db``
            landed.append(load_file(GENERIC, db=db, source="generic"))

    with pytest.raises(ValueError, match="holds real"):
        build_demo(db=db, city="bontang", weeks=2, seed=3, end=END, progress=progress)
    assert landed and db_kind(db) == "real"
    assert sorted(r[1] for r in read_table(db, "complaints")) == ["WA-1", "WA-2", "WA-3", "WA-4"]
    assert [p.name for p in tmp_path.iterdir() if ".demo-" in p.name] == []


def test_a_demo_salt_is_refused_outside_a_demo_build(tmp_path, no_env_salt):
    db = tmp_path / "kinerja.duckdb"
    with pytest.raises(LoadError, match="demo salt"):
        load_file(GENERIC, db=db, source="generic", demo_salt="public")
    load_file(GENERIC, db=db, source="generic")
    with pytest.raises(LoadError, match="demo salt"):
        load_file(GENERIC, db=db, source="generic", demo_salt="public")


def test_readers_open_real_data_when_it_exists_else_the_demo(tmp_path, monkeypatch):
    monkeypatch.delenv("KINERJA_DB", raising=False)
    monkeypatch.setattr(paths, "DEFAULT_DB", tmp_path / "kinerja.duckdb")
    monkeypatch.setattr(paths, "DEMO_DB", tmp_path / "demo.duckdb")
    assert paths.resolve_read_db() == tmp_path / "demo.duckdb"
    assert paths.resolve_demo_db() == tmp_path / "demo.duckdb"
    assert paths.resolve_db() == tmp_path / "kinerja.duckdb"  # where `etl load` writes
    (tmp_path / "kinerja.duckdb").write_bytes(b"")
    assert paths.resolve_read_db() == tmp_path / "kinerja.duckdb"
    assert paths.resolve_read_db(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"
    monkeypatch.setenv("KINERJA_DB", str(tmp_path / "env.duckdb"))
    for resolve in (paths.resolve_read_db, paths.resolve_demo_db, paths.resolve_db):
        assert resolve() == tmp_path / "env.duckdb"
