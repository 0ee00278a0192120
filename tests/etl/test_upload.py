"""Loading a file received through the browser (etl.upload) and who loaded what (loads.loaded_by):
the same load_file path as the CLI, the region an uploader may write, stated limits, a hostile
or broken file that changes nothing, and two uploads at once serialised by the writer lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.errors import LoadError
from etl.load import load_file
from etl.store import writer_lock
from etl.upload import MAX_UPLOAD_MB, clean_name, guess, load_upload
from kinerja.paths import REAL_DATA_DIR
from tests.etl.conftest import FIXTURES, snapshot

LAPOR = FIXTURES / "lapor_ringkas.csv"
LATER = FIXTURES / "lapor_ringkas_later.csv"


def loads(db: Path) -> list[dict]:
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    cur = con.execute("SELECT * FROM wh.loads ORDER BY load_id")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    con.close()
    return rows


def test_loaded_by_is_the_last_column_and_recorded_for_every_outcome(db, tmp_path):
    load_file(LAPOR, db=db, source="lapor", loaded_by="op@semarangkota.go.id")
    load_file(LAPOR, db=db, source="lapor", loaded_by="cli:budi")  # the same file again
    bad = tmp_path / "kosong.csv"
    bad.write_bytes(b"")
    with pytest.raises(LoadError):
        load_file(bad, db=db, source="lapor", loaded_by="kadis@semarangkota.go.id")
    load_file(LATER, db=db, source="lapor")  # no one named (a script of before)
    got = loads(db)
    assert list(got[0])[-2:] == ["region_code", "loaded_by"]
    assert [(r["file_name"], r["outcome"], r["loaded_by"]) for r in got] == [
        ("lapor_ringkas.csv", "loaded", "op@semarangkota.go.id"),
        ("lapor_ringkas.csv", "loaded", "cli:budi"),
        ("kosong.csv", "failed", "kadis@semarangkota.go.id"),
        ("lapor_ringkas_later.csv", "loaded", None),
    ]
    assert got[2]["message"] == "file kosong.csv: file is empty"  # the name, not the path


def test_rows_outside_the_uploaders_region_refuse_the_whole_file(db):
    load_file(LATER, db=db, source="lapor", region="33.74")
    before = snapshot(db)
    with pytest.raises(LoadError) as err:
        load_upload(LAPOR.name, LAPOR.read_bytes(), "lapor", "33.01", "op@cilacapkab.go.id",
                    region_scope="33.01", db=db)  # fmt: skip
    assert (err.value.file, err.value.column) == ("lapor_ringkas.csv", "Instansi Induk")
    assert err.value.message.startswith("rows of region 33.74 (16 rows) lie outside region 33.01")
    assert snapshot(db) == before
    assert loads(db)[-1]["outcome"] == "failed"
    # the province's operator may load it: 33.74 lies in 33
    done = load_upload(LAPOR.name, LAPOR.read_bytes(), "lapor", "33", "op@jatengprov.go.id",
                       region_scope="33", db=db)  # fmt: skip
    assert (done.read, done.file, done.regions) == (20, "lapor_ringkas.csv", {"33.74": 16})


def test_an_upload_is_the_cli_load(db, tmp_path):
    """Same counts as load_file on the same bytes, the uploader's name in the log, the copy
    removed, and the same bytes uploaded again change nothing."""
    stages: list[str] = []
    first = load_upload("C:\\Users\\op\\Unduhan\\lapor_ringkas.csv", LAPOR.read_bytes(), "lapor",
                        "33.74", "op@semarangkota.go.id", progress=stages.append, db=db)  # fmt: skip
    reference = load_file(LAPOR, db=tmp_path / "cli.duckdb", source="lapor", region="33.74")
    counts = ("read", "inserted", "updated", "unchanged", "quarantined", "reasons")
    assert {k: getattr(first, k) for k in counts} == {k: getattr(reference, k) for k in counts}
    assert first.file == "lapor_ringkas.csv"
    assert stages == ["reading", "mapping and validating", "writing"]
    again = load_upload("lapor_ringkas.csv", LAPOR.read_bytes(), "lapor", "33.74",
                        "op@semarangkota.go.id", db=db)  # fmt: skip
    assert (again.inserted, again.updated, again.unchanged) == (
        0,
        0,
        first.read - first.quarantined,
    )
    assert [r["loaded_by"] for r in loads(db)] == ["op@semarangkota.go.id"] * 2
    assert not list(Path(tmp_path).glob("kinerja-upload-*"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.exe", b"MZ\x90\x00", "unsupported file type .exe; expected one of csv, xlsx"),
        ("laporan", b"a,b\n", "unsupported file type (none); expected one of"),
        ("laporan.csv", b"", "file is empty"),
        ("laporan.csv", b"\x89PNG\r\n\x1a\n\x00\x00" * 50, "not a text file (binary content)"),
        ("laporan.xlsx", b"PK\x03\x04 not really a workbook", "cannot open the workbook"),
        ("laporan.csv", b"Tracking ID,Status Laporan\n1,Proses\n", "required column missing"),
        ("../../etc/passwd.csv", b"root:x:0:0\n", "no recognisable header"),
    ],
)
def test_a_hostile_or_broken_upload_changes_nothing(db, name, content, message):
    load_file(LAPOR, db=db, source="lapor")
    before = snapshot(db)
    with pytest.raises(LoadError) as err:
        load_upload(name, content, "lapor", "33.74", "op@semarangkota.go.id", db=db)
    assert message in err.value.message
    assert err.value.file == clean_name(name)
    assert "kinerja-upload-" not in str(err.value)
    assert snapshot(db) == before
    assert all("kinerja-upload-" not in (r["message"] or "") for r in loads(db))


def test_size_limit(db):
    with pytest.raises(LoadError) as err:
        load_upload(
            "besar.csv", b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1), "lapor", None, "a", db=db
        )
    assert err.value.message == f"file is larger than {MAX_UPLOAD_MB} MB"
    assert not db.exists()


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("lapor.csv", "lapor.csv"),
        ("C:\\Unduhan\\lapor.csv", "lapor.csv"),
        ("../../x/.hidden.csv", "hidden.csv"),
        ("a\nb\x1b[31m.csv", "ab[31m.csv"),
        ("", "upload"),
        ("x" * 300 + ".csv", "x" * 100 + ".csv"),
    ],
)
def test_clean_name(name, clean):
    assert clean_name(name) == clean


def test_two_uploads_at_once_are_serialised(db):
    """A second upload waits for the writer lock (and says so), then loads."""
    load_file(LATER, db=db, source="lapor")
    stages: list[str] = []
    result: dict = {}

    def upload():
        result["s"] = load_upload(LAPOR.name, LAPOR.read_bytes(), "lapor", "33.74", "b@x.id",
                                  progress=stages.append, db=db)  # fmt: skip

    with writer_lock(db):  # another load holds the database
        worker = threading.Thread(target=upload)
        worker.start()
        deadline = time.monotonic() + 20
        while "waiting" not in stages and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert stages == ["waiting"] and worker.is_alive()
    worker.join(60)
    assert stages == ["waiting", "reading", "mapping and validating", "writing"]
    assert result["s"].read == 20


@pytest.mark.parametrize(
    ("path", "source", "region"),
    [
        (FIXTURES / "lapor_ringkas.csv", "lapor", "33.74"),
        (FIXTURES / "generic_complaints.csv", "generic", None),
        (FIXTURES / "generic_services.csv", "generic_services", None),
        (REAL_DATA_DIR / "nyc311_2022-05.csv", "nyc311", "US-NYC"),
        (REAL_DATA_DIR / "boston311_2015.csv", "boston311", "US-BOS"),
        (REAL_DATA_DIR / "open311_bloomington_2012.json", "open311", None),
        (REAL_DATA_DIR / "open311_sanfrancisco_2012.xml", "open311", None),
    ],
)
def test_guess_prefills_the_mapping_and_region(path, source, region):
    got = guess(path.name, path.read_bytes())
    assert (got.source, got.region) == (source, region)


def test_guess_reads_a_workbook_and_knows_when_it_cannot_tell(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["No Aduan", "Tanggal", "Disposisi", "Status"])
    ws.append(["LG-1", "2025-01-02", "Pemerintah Kabupaten Demak", "Proses"])
    out = tmp_path / "laporgub.xlsx"
    wb.save(out)
    got = guess(out.name, out.read_bytes())
    assert got.source == "laporgub"
    assert guess("x.csv", b"a,b,c\n1,2,3\n") == type(got)(None, None)
    assert guess("x.xlsx", b"not a workbook") == type(got)(None, None)
