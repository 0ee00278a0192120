"""A file that cannot be used changes no table, and the error names the file (row/column)."""

import subprocess
import sys

import pytest

from etl.errors import LoadError
from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table, snapshot

LAPOR = FIXTURES / "lapor_ringkas.csv"


@pytest.fixture
def loaded(db):
    load_file(LAPOR, db=db, source="lapor")
    return db


def _bad_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    noheader = tmp_path / "noheader.csv"
    noheader.write_text("a,b,c\n1,2,3\n4,5,6\n")
    wrongtype = tmp_path / "export.json"
    wrongtype.write_text('[{"id": 1}]')
    fake_xlsx = tmp_path / "export.xlsx"
    fake_xlsx.write_text("this is not a workbook")
    # a header that has the markers but lacks a required column (Waktu Laporan Masuk)
    missing = tmp_path / "missing_col.csv"
    missing.write_text("Tracking ID,Tanggal Laporan Masuk,Status Laporan\n1,2 Jan 2024,Proses\n")
    return {
        "empty": (empty, "file is empty"),
        "binary": (binary, "not a text file"),
        "noheader": (noheader, "no recognisable header"),
        "wrongtype": (wrongtype, "reads csv, xlsx files, not json"),
        "fake_xlsx": (fake_xlsx, "not an XLSX workbook"),
        "missing": (missing, "column 'Waktu Laporan Masuk': required column missing"),
    }


@pytest.mark.parametrize(
    "kind", ["empty", "binary", "noheader", "wrongtype", "fake_xlsx", "missing"]
)
def test_unusable_file_leaves_tables_unchanged(loaded, tmp_path, kind):
    path, expected = _bad_files(tmp_path)[kind]
    before = snapshot(loaded)
    with pytest.raises(LoadError) as err:
        load_file(path, db=loaded, source="lapor")
    assert str(path) in str(err.value)
    assert expected in str(err.value)
    assert snapshot(loaded) == before
    outcomes = [(r[7], r[3]) for r in read_table(loaded, "loads", "load_id")]
    assert outcomes == [("loaded", "lapor_ringkas.csv"), ("failed", path.name)]


def test_failed_first_load_creates_no_database(db, tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    with pytest.raises(LoadError):
        load_file(bad, db=db, source="lapor")
    assert not db.exists()
    assert [p.name for p in db.parent.iterdir() if ".tmp-" in p.name] == []


def test_interrupted_load_leaves_nothing_behind(loaded, monkeypatch):
    """A failure after rows were written inside the copy leaves the original file as it was."""
    import etl.upsert

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    before = snapshot(loaded)
    monkeypatch.setattr(etl.upsert, "_quarantine", boom)
    with pytest.raises(RuntimeError):
        load_file(FIXTURES / "lapor_ringkas_later.csv", db=loaded, source="lapor")
    assert snapshot(loaded) == before
    assert [p.name for p in loaded.parent.iterdir() if ".tmp-" in p.name] == []


def test_unparseable_export_time_names_the_column(db, tmp_path):
    text = LAPOR.read_text().replace("Tanggal Generate,,2025-06-03", "Tanggal Generate,,kemarin")
    path = tmp_path / "lapor.csv"
    path.write_text(text)
    with pytest.raises(LoadError, match="column 'Tanggal Generate'"):
        load_file(path, db=db, source="lapor")


def test_cli_exit_code_and_no_traceback(loaded, tmp_path):
    path, _ = _bad_files(tmp_path)["binary"]
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--source", "lapor", "--db", str(loaded)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == (
        f"error: file {path}: not a text file (binary content); expected csv"
    )
    assert "Traceback" not in proc.stderr


def test_unknown_source_and_bad_mapping(db, tmp_path):
    with pytest.raises(LoadError, match="unknown source 'nope'; built-in sources: boston311"):
        load_file(LAPOR, db=db, source="nope")
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\ncomplaint_id = "id"\n')
    with pytest.raises(LoadError, match="must name created_at, status"):
        load_file(LAPOR, db=db, mapping=bad)
    assert not db.exists()


def test_malformed_csv_rows_are_quarantined_with_their_line(db, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(
        "id,created_at,status\n"
        "A,2025-01-01 08:00:00,open\n"
        "B,2025-01-01 09:00:00,open,extra,cols\n"
        "C,2025-01-01 10:00:00,open\n"
        "D,not a date,open\n"
    )
    s = load_file(path, db=db, source="generic")
    assert (s.read, s.inserted, s.quarantined) == (4, 2, 2)
    assert s.reasons == {"malformed_row": 1, "unparseable_date": 1}
    rows = [(q[3], q[4], q[5]) for q in read_table(db, "quarantine", "line_no")]
    assert rows == [(3, "malformed_row", None), (5, "unparseable_date", "created_at")]
