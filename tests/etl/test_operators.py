"""What operators do to a database: symbolic links, planted lock links, file modes, killed and
interrupted loads, a ``--db`` that is not a database. Each test drives the real CLI or
``load_file`` on real files in tmp_path."""

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from etl.errors import LoadError
from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table, snapshot

GENERIC = FIXTURES / "generic_complaints.csv"


def run(*args, env_extra=None):
    env = {**os.environ, "KINERJA_SALT": "test-salt", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "etl", *map(str, args)], capture_output=True, text=True, env=env
    )


def big_csv(path, rows=400_000):
    """A clean generic export large enough that a load takes a few seconds."""
    lines = ["id,created_at,status,agency,category,title"]
    lines += [
        f"B{i},2025-03-{1 + i % 28:02d} {i % 24:02d}:00:00,baru,Dinas {i % 30},Jalan,Lubang {i}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_symlinked_database_path_loads_into_the_real_file(db, tmp_path):
    """ln -s real.duckdb link.duckdb; loads through each land in one file, the link stays."""
    real = tmp_path / "real.duckdb"
    link = tmp_path / "link.duckdb"
    load_file(FIXTURES / "lapor_ringkas.csv", db=real, source="lapor")
    link.symlink_to(real.name)
    s = load_file(GENERIC, db=link, source="generic")
    assert s.db == str(real)
    assert link.is_symlink() and real.is_file() and not real.is_symlink()
    sources = {r[0] for r in read_table(real, "complaints")}
    assert sources == {"lapor", "generic"}
    assert not (tmp_path / "link.duckdb.lock").exists()
    assert (tmp_path / "real.duckdb.lock").exists()


def test_symlinked_lock_file_is_refused_and_its_target_untouched(db, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "kinerja.duckdb.lock").symlink_to(victim)
    proc = run("load", GENERIC, "--source", "generic", "--db", db)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: file {tmp_path / 'kinerja.duckdb.lock'}: the lock file is a symbolic link; "
        "remove it (a load never follows it)"
    )
    assert victim.read_text() == "precious\n"
    assert not db.exists()


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_a_load_keeps_the_database_file_mode(db, mode):
    load_file(GENERIC, db=db, source="generic")
    os.chmod(db, mode)
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    assert stat.S_IMODE(db.stat().st_mode) == mode


def test_a_new_database_is_readable_by_its_owner_only(db):
    load_file(GENERIC, db=db, source="generic")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_leftovers_of_dead_loads_are_removed_by_the_next_load(db):
    load_file(GENERIC, db=db, source="generic")
    pid = dead_pid()
    copy = db.with_name(f"{db.name}.tmp-{pid}")
    copy.write_bytes(b"x" * 3 * 2**20)
    spill = db.with_name(f"{db.name}.tmp-{pid}.tmp")
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"y" * 2**20)
    s = load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    assert not copy.exists() and not spill.exists()
    assert s.notes == ["removed 2 leftover file(s) of interrupted loads (4.0 MiB)"]
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "kinerja.duckdb",
        "kinerja.duckdb.lock",
    ]


def test_status_removes_leftovers_and_says_so(db):
    load_file(GENERIC, db=db, source="generic")
    pid = dead_pid()
    db.with_name(f"{db.name}.tmp-{pid}").write_bytes(b"x" * 2**20)
    proc = run("status", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "Leftovers: removed 1 leftover file(s) of interrupted loads (1.0 MiB)" in proc.stdout
    assert not db.with_name(f"{db.name}.tmp-{pid}").exists()
    again = run("status", "--db", db, "--json")
    assert json.loads(again.stdout)["leftovers"] == {"removed": [], "n_bytes": 0}


def _start_load(path, db):
    env = {**os.environ, "KINERJA_SALT": "test-salt"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(path), "--source", "generic", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    copy = db.with_name(f"{db.name}.tmp-{proc.pid}")
    deadline = time.monotonic() + 60
    while not copy.exists():  # the load has copied the database and started working
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)
    return proc, copy


def test_kill_9_leaves_data_as_before_and_the_next_load_cleans_up(db, tmp_path):
    load_file(GENERIC, db=db, source="generic")
    before = snapshot(db)
    proc, copy = _start_load(big_csv(tmp_path / "big.csv"), db)
    proc.kill()
    proc.communicate()
    assert copy.exists()  # what a killed load leaves behind
    assert snapshot(db) == before
    s = load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    assert s.notes and s.notes[0].startswith("removed ")
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_ctrl_c_says_interrupted_and_changes_nothing(db, tmp_path):
    load_file(GENERIC, db=db, source="generic")
    before = snapshot(db)
    proc, _ = _start_load(big_csv(tmp_path / "big.csv"), db)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert out == ""
    assert err.strip() == (
        f"interrupted: the load of {tmp_path / 'big.csv'} was stopped; the database is unchanged"
    )
    assert snapshot(db) == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []
    outcomes = [r[7] for r in read_table(db, "loads", "load_id")]
    assert outcomes == ["loaded"]


def test_db_that_is_not_duckdb_is_named_not_its_temp_copy(tmp_path):
    notdb = tmp_path / "notes.txt"
    notdb.write_text("my notes, not a database\n")
    proc = run("load", GENERIC, "--source", "generic", "--db", notdb)
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == f"error: file {notdb}: not a DuckDB database (choose another --db)"
    )
    assert notdb.read_text() == "my notes, not a database\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]  # not even a lock file
    status = run("status", "--db", notdb)
    assert status.returncode == 2
    assert (
        status.stderr.strip() == f"error: file {notdb}: not a DuckDB database (choose another --db)"
    )


def test_load_file_refuses_not_duckdb_without_writing(tmp_path):
    notdb = tmp_path / "x.duckdb"
    notdb.write_bytes(b"\x00" * 4096)
    with pytest.raises(LoadError, match="not a DuckDB database"):
        load_file(GENERIC, db=notdb, source="generic")
    assert notdb.read_bytes() == b"\x00" * 4096


def test_status_escapes_newlines_and_escape_sequences(db, tmp_path):
    """A file name with a newline cannot forge a status line; ESC in a value never reaches the
    terminal (issue 9 point 12)."""
    path = tmp_path / "evil\n  #99  2099-01-01 00:00  loaded  forged.csv"
    path.write_text("id,created_at,status\nA,2025-03-03 08:00:00,\x1b[2J\x1b]0;pwned\x07baru\n")
    load = run("load", path, "--source", "generic", "--db", db)
    assert load.returncode == 0, load.stderr
    assert "\x1b" not in load.stdout and "evil\\n  #99" in load.stdout
    proc = run("status", "--db", db, "--rows", "5")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert not any(line.startswith("  #99") for line in proc.stdout.splitlines())
    assert "status \\x1b[2J\\x1b]0;pwned\\x07baru" in proc.stdout
    as_json = json.loads(run("status", "--db", db, "--json", "--rows", "1").stdout)
    assert as_json["quarantined_rows"][0]["detail"] == "status \x1b[2J\x1b]0;pwned\x07baru"


@pytest.mark.parametrize("rows", ["-5", "many"])
def test_status_rows_must_be_a_count(db, rows):
    load_file(GENERIC, db=db, source="generic")
    proc = run("status", "--db", db, "--rows", rows)
    assert proc.returncode == 2
    assert "argument --rows:" in proc.stderr and "Traceback" not in proc.stderr


def test_utf16_without_bom_is_named_as_such(db, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("id,created_at,status\nA,2025-03-03 08:00:00,baru\n".encode("utf-16-le"))
    proc = run("load", path, "--source", "generic", "--db", db)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: file {path}: UTF-16 text without a byte-order mark; save it as UTF-8 "
        "(or UTF-16 with BOM)"
    )


def test_a_database_from_before_this_release_keeps_working(db, tmp_path):
    """Without loads.exported_at_source/n_stale and quarantine.file_sha256 (older schema):
    status reads it, a load adds the columns, the KPI layer opens it."""
    import duckdb

    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    con = duckdb.connect(str(db))
    for table, column in (("loads", "exported_at_source"), ("loads", "n_stale"),
                          ("quarantine", "file_sha256")):  # fmt: skip
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.close()
    status = run("status", "--db", db)
    assert status.returncode == 0, status.stderr
    assert "exported 2025-06-02 17:00 (?)" in status.stdout
    s = load_file(FIXTURES / "lapor_ringkas_later.csv", db=db, source="lapor")
    assert (s.read, s.inserted, s.updated, s.unchanged, s.quarantined) == (4, 1, 2, 1, 0)
    from kpi import Warehouse

    assert Warehouse.open(db).info()["n_complaints"] == 17


def test_status_of_a_duckdb_file_that_is_not_kinerja(tmp_path):
    import duckdb

    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    proc = run("status", "--db", other)
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == f"error: file {other}: not a Kinerja database (no warehouse tables)"
    )


def test_a_database_location_that_cannot_exist_is_exit_2(tmp_path):
    """--db under a path that is a file: the folder cannot be made (exit 2, not a crash)."""
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    proc = run("load", GENERIC, "--source", "generic", "--db", blocker / "k.duckdb")
    assert proc.returncode == 2
    assert (
        proc.stderr.startswith(f"error: file {blocker}")
        and "cannot use the database" in proc.stderr
    )
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    proc = run("load", folder, "--source", "generic", "--db", tmp_path / "k.duckdb")
    assert (proc.returncode, proc.stderr.strip()) == (
        2,
        f"error: file {folder}: not a regular file",
    )
