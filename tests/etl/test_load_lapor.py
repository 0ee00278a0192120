"""LAPOR! "Laporan Ringkas" CSV: preamble, statuses, unassigned agency, exact counts."""

from datetime import datetime

from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table, snapshot

CSV = FIXTURES / "lapor_ringkas.csv"


def test_counts_and_reasons(db):
    s = load_file(CSV, db=db, source="lapor")
    assert (s.read, s.inserted, s.updated, s.unchanged, s.quarantined) == (20, 16, 0, 0, 4)
    assert s.reasons == {
        "duplicate_id": 1,
        "missing_id": 1,
        "unknown_status": 1,
        "unparseable_date": 1,
    }
    # "Tanggal Generate,,2025-06-03" is the export time: midnight Jakarta = 17:00 UTC the day before
    assert s.exported_at == datetime(2025, 6, 2, 17, 0)
    assert s.period_start == datetime(2024, 1, 2, 1, 0)


def test_status_mapping_and_flags(db):
    load_file(CSV, db=db, source="lapor")
    rows = read_table(db, "complaints", "complaint_id")
    got = {r[1]: r[15] for r in rows}
    assert got == {
        "3412001": "resolved",
        "3412002": "in_progress",
        "3412003": "open",
        "3412004": "open",
        "3412005": "in_progress",
        "3412006": "in_progress",
        "3412007": "resolved",
        "3412008": "resolved",
        "3412009": "resolved",
        "3412010": "rejected",
        "3412011": "rejected",
        "3412012": "rejected",
        "3412013": "resolved",
        "3412014": "in_progress",
        "3412015": "open",
        "3412020": "in_progress",
    }
    # has_response_time, has_close_time false; closed_at_missing exactly on terminal rows
    assert {(r[17], r[18]) for r in rows} == {(False, False)}
    assert {r[1] for r in rows if r[19]} == {
        "3412001", "3412007", "3412008", "3412009", "3412010", "3412011", "3412012", "3412013"
    }  # fmt: skip
    assert all(r[14] is None for r in rows)  # no closing time invented


def test_first_row_whole(db):
    load_file(CSV, db=db, source="lapor")
    row = read_table(db, "complaints", "complaint_id")[0]
    assert row[:11] == (
        "lapor", "3412001", "web", "33.74:dinas-pekerjaan-umum", "Infrastruktur", "Semarang Tengah",
        "Sekayu", None, None, "Jalan berlubang di Jl. Pemuda", None,
    )  # fmt: skip
    # 23 Sep 2024 00:41:43 in Asia/Jakarta is 22 Sep 17:41:43 UTC
    assert row[12] == datetime(2024, 9, 22, 17, 41, 43)
    assert row[16] == "Selesai"


def test_unassigned_and_agency_variants(db):
    load_file(CSV, db=db, source="lapor")
    agencies = dict((a, n) for a, n, _, _ in read_table(db, "agencies"))
    assert agencies["33.74:unassigned"] == "Belum terdisposisi"
    rows = read_table(db, "complaints", "complaint_id")
    by_id = {r[1]: r[3] for r in rows}
    assert by_id["3412003"] == by_id["3412011"] == "33.74:unassigned"
    # "Dinas  Pekerjaan Umum", "dinas pekerjaan umum" and the alias: one agency
    assert by_id["3412001"] == by_id["3412006"] == by_id["3412007"] == "33.74:dinas-pekerjaan-umum"
    # alias "Disdukcapil" and the full name are one agency
    assert by_id["3412005"] == by_id["3412014"] == "33.74:dinas-kependudukan-dan-pencatatan-sipil"
    assert sorted(agencies) == [
        "33.74:dinas-kependudukan-dan-pencatatan-sipil", "33.74:dinas-kesehatan", "33.74:dinas-lingkungan-hidup",
        "33.74:dinas-pekerjaan-umum", "33.74:dinas-pendidikan", "33.74:dinas-perhubungan",
        "33.74:satuan-polisi-pamong-praja", "33.74:unassigned",
    ]  # fmt: skip
    assert agencies["33.74:dinas-lingkungan-hidup"] == "Dinas Lingkungan Hidup"  # not the capitals
    shorts = {a: short for a, _, short, _ in read_table(db, "agencies") if short}
    assert shorts == {
        "33.74:dinas-kependudukan-dan-pencatatan-sipil": "Disdukcapil",
        "33.74:dinas-perhubungan": "Dishub",
    }


def test_reload_changes_nothing(db):
    load_file(CSV, db=db, source="lapor")
    before = snapshot(db)
    s = load_file(CSV, db=db, source="lapor")
    assert (s.read, s.inserted, s.updated, s.unchanged, s.quarantined) == (20, 0, 0, 16, 4)
    assert snapshot(db) == before
    assert [r[7] for r in read_table(db, "loads", "load_id")] == ["loaded", "loaded"]
