"""A later, overlapping export updates rows and records status changes; an older one does not."""

from datetime import datetime

from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table, snapshot

FIRST = FIXTURES / "lapor_ringkas.csv"  # Tanggal Generate 2025-06-03
LATER = FIXTURES / "lapor_ringkas_later.csv"  # Tanggal Generate 2025-06-10
T1 = datetime(2025, 6, 2, 17, 0)  # midnight Asia/Jakarta in UTC
T2 = datetime(2025, 6, 9, 17, 0)


def test_later_export_updates_status_and_history(db):
    load_file(FIRST, db=db, source="lapor")
    s = load_file(LATER, db=db, source="lapor")
    assert (s.read, s.inserted, s.updated, s.unchanged, s.quarantined) == (4, 1, 2, 1, 0)
    rows = {r[1]: r for r in read_table(db, "complaints")}
    assert len(rows) == 17
    assert (rows["3412002"][15], rows["3412002"][19], rows["3412002"][24]) == ("resolved", True, T2)
    assert (rows["3412003"][3], rows["3412003"][15]) == (
        "33.74:satuan-polisi-pamong-praja",
        "in_progress",
    )
    assert rows["3412015"][24] == T1  # unchanged row keeps its export time and load
    history = read_table(db, "status_history", "complaint_id, seen_at")
    assert [h[:5] for h in history if h[1] in ("3412002", "3412003", "3412015")] == [
        ("lapor", "3412002", "in_progress", "Proses", T1),
        ("lapor", "3412002", "resolved", "Selesai", T2),
        ("lapor", "3412003", "open", "Belum Diverifikasi", T1),
        ("lapor", "3412003", "in_progress", "Proses", T2),
        ("lapor", "3412015", "open", "Belum Diverifikasi", T1),
    ]
    assert len(history) == 16 + 1 + 2
    names = {a: n for a, n, _, _ in read_table(db, "agencies")}
    assert names["33.74:satuan-polisi-pamong-praja"] == "Satuan Polisi Pamong Praja"  # was all caps


def test_older_export_does_not_overwrite_newer(db):
    load_file(LATER, db=db, source="lapor")
    load_file(FIRST, db=db, source="lapor")
    before = snapshot(db)
    rows = {r[1]: r for r in read_table(db, "complaints")}
    assert rows["3412002"][15] == "resolved"  # the newest export wins
    s = load_file(FIRST, db=db, source="lapor")
    assert (s.inserted, s.updated, s.unchanged) == (0, 0, 16)
    assert snapshot(db) == before


def test_same_file_twice_with_explicit_export_time(db):
    load_file(LATER, db=db, source="lapor", exported_at=datetime(2025, 7, 1, 0, 0))
    before = snapshot(db)
    s = load_file(LATER, db=db, source="lapor", exported_at=datetime(2025, 7, 1, 0, 0))
    assert (s.read, s.unchanged) == (4, 4)
    assert snapshot(db) == before
