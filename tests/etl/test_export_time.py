"""Export times that froze or rolled back rows (issue 9 point 5): the time comes from the
content where the format carries it, its provenance is recorded and shown, a future time is
refused, and a file dated only by its mtime never overwrites rows of a dated export."""

import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime

import duckdb
import pytest

from etl.errors import LoadError
from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table, snapshot

FIRST = FIXTURES / "lapor_ringkas.csv"  # Tanggal Generate 2025-06-03
LATER = FIXTURES / "lapor_ringkas_later.csv"  # Tanggal Generate 2025-06-10
GENERIC = FIXTURES / "generic_complaints.csv"


def run(*args):
    env = {**os.environ, "KINERJA_SALT": "test-salt"}
    return subprocess.run(
        [sys.executable, "-m", "etl", *map(str, args)], capture_output=True, text=True, env=env
    )


def loads(db):
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    return con.execute(
        "SELECT file_name, outcome, exported_at, exported_at_source, n_stale FROM wh.loads "
        "ORDER BY load_id"
    ).fetchall()


def test_provenance_of_each_export_time(db, tmp_path):
    load_file(FIRST, db=db, source="lapor")
    load_file(GENERIC, db=db, source="generic", exported_at="2025-03-10T08:00:00+07:00")
    copy = tmp_path / "desk.csv"
    copy.write_bytes(GENERIC.read_bytes())
    os.utime(copy, (datetime(2025, 3, 11, 1).timestamp(),) * 2)
    s = load_file(copy, db=db, source="generic")
    assert s.exported_at_source == "mtime"
    assert loads(db) == [
        ("lapor_ringkas.csv", "loaded", datetime(2025, 6, 2, 17, 0), "content", 0),
        ("generic_complaints.csv", "loaded", datetime(2025, 3, 10, 1, 0), "argument", 0),
        ("desk.csv", "loaded", s.exported_at, "mtime", 0),
    ]
    status = run("status", "--db", db).stdout
    assert "exported 2025-06-02 17:00 (content)" in status
    assert "exported 2025-03-10 01:00 (argument)" in status


def test_summary_says_where_the_export_time_came_from(db):
    proc = run("load", FIRST, "--source", "lapor", "--db", db)
    assert "  exported at   2025-06-02 17:00 UTC (from the file's content)" in proc.stdout


def test_workbook_saved_time_is_content(db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["id", "created_at", "status"])
    wb.active.append(["X1", "2025-03-03 08:00:00", "baru"])
    saved = tmp_path / "saved.xlsx"
    wb.save(saved)  # openpyxl stamps "now": set the saved time as the exporting system would
    path = tmp_path / "desk.xlsx"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-03-04T09:30:00Z", data
                )
            dst.writestr(item, data)
    s = load_file(path, db=db, source="generic")
    assert (s.exported_at, s.exported_at_source) == (datetime(2025, 3, 4, 9, 30), "content")


@pytest.mark.parametrize("how", ["argument", "mtime", "content"])
def test_a_future_export_time_is_refused(db, tmp_path, how):
    load_file(FIRST, db=db, source="lapor")
    before = snapshot(db)
    path = tmp_path / "lapor.csv"
    text = FIRST.read_text()
    if how == "content":
        text = text.replace("Tanggal Generate,,2025-06-03", "Tanggal Generate,,2099-01-01")
        text = text.replace("Tanggal Generate,,2025-06-03", "")
    elif how == "mtime":
        text = text.replace("Tanggal Generate,,2025-06-03\n", "")
    path.write_text(text)
    if how == "mtime":
        os.utime(path, (datetime(2099, 1, 1).timestamp(),) * 2)
    args = {"exported_at": "2099-01-01T00:00:00"} if how == "argument" else {}
    with pytest.raises(LoadError) as err:
        load_file(path, db=db, source="lapor", **args)
    message = str(err.value)
    assert "is in the future: a later export would look older and be ignored" in message
    assert str(path) in message
    assert snapshot(db) == before


def test_garbage_exported_at_is_exit_2(db):
    proc = run("load", GENERIC, "--source", "generic", "--db", db, "--exported-at", "garbage")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: --exported-at 'garbage' is not an ISO 8601 time (e.g. 2025-06-03T08:00:00+07:00)"
    )
    assert not db.exists()


def test_an_old_export_copied_today_does_not_roll_rows_back(db, tmp_path):
    """LATER (content-dated 2025-06-10) is loaded; then FIRST's rows copied today without
    their export time (mtime-dated now): its older statuses must not replace the newer ones."""
    load_file(LATER, db=db, source="lapor")
    before = snapshot(db)
    copy = tmp_path / "copied_today.csv"
    copy.write_text(FIRST.read_text().replace("Tanggal Generate,,2025-06-03\n", ""))
    s = load_file(copy, db=db, source="lapor")
    assert s.exported_at_source == "mtime"
    assert (s.read, s.inserted, s.updated, s.unchanged, s.stale) == (20, 13, 0, 3, 2)
    rows = {r[1]: r for r in read_table(db, "complaints")}
    assert rows["3412002"][15] == "resolved"  # as LATER says, not FIRST's "in_progress"
    history = snapshot(db)["status_history"]
    stale = ("3412002", "3412003")
    assert [h for h in history if h[1] in stale] == [
        h for h in before["status_history"] if h[1] in stale
    ]
    proc = run("status", "--db", db)
    assert "(mtime), 2 kept as stored" in proc.stdout


def test_mtime_dated_file_still_updates_rows_of_mtime_dated_loads(db, tmp_path):
    first = tmp_path / "w1.csv"
    first.write_text("id,created_at,status\nA,2025-03-03 08:00:00,baru\n")
    os.utime(first, (datetime(2025, 3, 4).timestamp(),) * 2)
    load_file(first, db=db, source="generic")
    second = tmp_path / "w2.csv"
    second.write_text("id,created_at,status\nA,2025-03-03 08:00:00,selesai\n")
    s = load_file(second, db=db, source="generic")
    assert (s.updated, s.stale) == (1, 0)


def test_a_stored_future_export_time_no_longer_freezes_rows(db, tmp_path):
    """A database written before future times were refused: rows dated 2099 still update."""
    load_file(FIRST, db=db, source="lapor")
    con = duckdb.connect(str(db))
    con.execute("UPDATE complaints SET exported_at = TIMESTAMP '2099-01-01 00:00:00'")
    con.close()
    s = load_file(LATER, db=db, source="lapor")
    assert (s.inserted, s.updated, s.stale) == (1, 2, 0)
    rows = {r[1]: r for r in read_table(db, "complaints")}
    assert rows["3412002"][15] == "resolved"
