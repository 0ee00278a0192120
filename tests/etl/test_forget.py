"""Deleting a complaint's data on request (``etl forget``) and remasking an older database."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from etl import forget as forget_mod
from etl.forget import forget, forget_raw
from etl.load import load_file
from etl.remask import remask
from tests.etl.conftest import FIXTURES, read_table, snapshot

GENERIC = FIXTURES / "generic_complaints.csv"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True)


def without(rows: list[tuple], complaint_id: str) -> list[tuple]:
    return [r for r in rows if r[1] != complaint_id]


def test_forget_removes_the_complaint_and_its_history_only(db):
    load_file(GENERIC, db=db, source="generic")
    before = snapshot(db)
    out = forget(db, "generic", "WA-1")
    assert out.to_dict() == {
        "db": str(db), "source": "generic", "record_id": "WA-1", "region": None, "complaints": 1,
        "status_history": 1, "services": 0, "quarantine": 0,
    }  # fmt: skip
    after = snapshot(db)
    assert after["complaints"] == without(before["complaints"], "WA-1")
    assert after["status_history"] == without(before["status_history"], "WA-1")
    assert {t: after[t] for t in ("agencies", "quarantine", "services", "meta")} == {
        t: before[t] for t in ("agencies", "quarantine", "services", "meta")
    }
    assert [r[:2] for r in read_table(db, "forgotten")] == [("generic", "WA-1")]


def test_a_later_load_skips_a_forgotten_complaint(db, tmp_path):
    load_file(GENERIC, db=db, source="generic")
    forget(db, "generic", "WA-1")
    later = tmp_path / "later.csv"  # a later export that still holds WA-1 (other bytes)
    later.write_text(
        GENERIC.read_text() + "WA-7,2025-03-06 08:00:00,baru,DPU,Jalan,web" + "," * 11 + "\n"
    )
    s = load_file(later, db=db, source="generic")
    assert (s.read, s.inserted, s.unchanged, s.quarantined) == (7, 1, 3, 3)
    assert s.reasons == {"closed_before_created": 1, "forgotten": 1, "unparseable_date": 1}
    assert "WA-1" not in [r[1] for r in read_table(db, "complaints")]
    gone = [r for r in read_table(db, "quarantine") if r[4] == "forgotten"]
    assert [(r[3], r[5], r[6], r[7]) for r in gone] == [(2, "complaint_id", None, None)]


def test_forget_removes_quarantined_rows_holding_the_id(db):
    load_file(GENERIC, db=db, source="generic")
    assert len(read_table(db, "quarantine")) == 2
    out = forget(db, "generic", "WA-5")  # quarantined closed_before_created
    assert (out.complaints, out.quarantine) == (0, 1)
    assert ["WA-5" in r[7] for r in read_table(db, "quarantine")] == [False]


def test_forget_is_atomic(db, monkeypatch):
    load_file(GENERIC, db=db, source="generic")
    before = db.read_bytes()

    def boom(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(forget_mod, "_forget_quarantined", boom)
    with pytest.raises(RuntimeError):
        forget(db, "generic", "WA-1")
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir() if ".tmp-" in p.name] == []


def test_forget_cli(db):
    load_file(GENERIC, db=db, source="generic")
    proc = cli("forget", "--source", "generic", "--id", "WA-2", "--db", str(db), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["complaints"] == 1
    proc = cli("forget", "--id", "WA-3", "--db", str(db))
    assert proc.returncode == 2 and "--id needs --source" in proc.stderr
    proc = cli("forget", "--raw-before", "soon", "--db", str(db))
    assert proc.returncode == 2 and "not a date" in proc.stderr


def test_forget_raw_before_a_date(db):
    load_file(GENERIC, db=db, source="generic")
    assert forget_raw(db, date(2000, 1, 1)) == 0
    assert forget_raw(db, date(2999, 1, 1)) == 2
    rows = read_table(db, "quarantine", "line_no")
    assert [(r[4], r[6], r[7]) for r in rows] == [
        ("closed_before_created", None, None),
        ("unparseable_date", None, None),
    ]


def test_remask_cleans_what_an_older_version_stored(db):
    load_file(GENERIC, db=db, source="generic")
    con = duckdb.connect(str(db))  # what an older version stored: values as given
    con.execute("""UPDATE complaints SET category = 'Jalan 3374 0123 4567 8902',
        title = 'hub 024-7654395', agency_id = '00.00:dinas-081234567890'
        WHERE complaint_id = 'WA-1'""")
    con.execute(
        "INSERT INTO agencies VALUES ('00.00:dinas-081234567890', 'Dinas 081234567890', NULL, "
        "'00.00')"
    )
    con.execute("""UPDATE quarantine SET raw = '{"id":"WA-5","nik":"3374012345678901",' ||
        '"title":"hub kiki@example.com"}' WHERE line_no = 6""")
    con.close()
    changed = remask(db)
    assert changed == {"complaints": 2, "agencies": 1, "quarantine": 1}
    row = next(r for r in read_table(db, "complaints") if r[1] == "WA-1")
    assert (row[3], row[4], row[9]) == ("00.00:dinas-phone", "Jalan [nik]", "hub [phone]")
    assert ("00.00:dinas-phone", "Dinas [phone]", None, "00.00") in read_table(db, "agencies")
    assert "dinas-081234567890" not in str(read_table(db, "agencies"))
    raw = next(r[7] for r in read_table(db, "quarantine") if r[3] == 6)
    assert json.loads(raw) == {"id": "WA-5", "title": "hub [email]"}
    assert remask(db) == {"agencies": 0, "quarantine": 0}
    proc = cli("remask", "--db", str(db))
    assert proc.returncode == 0 and "nothing" in proc.stdout


def test_forget_in_one_region_keeps_the_same_id_elsewhere(db):
    load_file(GENERIC, db=db, source="generic", region="33.74")
    load_file(GENERIC, db=db, source="generic", region="33.21")
    out = forget(db, "generic", "WA-1", region="33.21")
    assert (out.complaints, out.status_history) == (1, 1)
    left = [
        (r["region_code"], r["id_scope"])
        for r in rows(db, "complaints")
        if r["complaint_id"] == "WA-1"
    ]
    assert left == [("33.74", "33.74")]
    hist = [r["id_scope"] for r in rows(db, "status_history") if r["complaint_id"] == "WA-1"]
    assert hist == ["33.74"]


def rows(db, table: str) -> list[dict]:
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    cur = con.execute(f"SELECT * FROM wh.{table}")
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    con.close()
    return out
