"""Re-loading a file: the same bytes are recognised (nothing to do); anything else is compared.

Either way nothing changes, the counts add up and the attempt is logged in ``loads``.
"""

import shutil
from datetime import datetime

from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table, snapshot

CSV = FIXTURES / "lapor_ringkas.csv"
LATER = FIXTURES / "lapor_ringkas_later.csv"
JULY = datetime(2025, 7, 1)
REASONS = {"duplicate_id": 1, "missing_id": 1, "unknown_status": 1, "unparseable_date": 1}


def counts(s):
    return (s.read, s.inserted, s.updated, s.unchanged, s.quarantined)


def loads(db):
    """(load_id, outcome, n_read, n_unchanged, n_quarantined, message) of every load."""
    return [(r[0], r[7], r[8], r[11], r[12], r[16]) for r in read_table(db, "loads", "load_id")]


def test_same_bytes_short_circuit(db):
    first = load_file(CSV, db=db, source="lapor")
    before = snapshot(db)
    again = load_file(CSV, db=db, source="lapor")
    assert counts(again) == (20, 0, 0, 16, 4)
    assert again.reasons == first.reasons == REASONS
    assert (again.period_start, again.period_end) == (first.period_start, first.period_end)
    assert again.exported_at == first.exported_at
    assert again.load_id == 2
    assert snapshot(db) == before
    assert loads(db) == [
        (1, "loaded", 20, 0, 4, None),
        (2, "loaded", 20, 16, 4, "same file as load 1: nothing changed"),
    ]
    third = load_file(CSV, db=db, source="lapor")  # recognised again (load 2 has the same bytes)
    assert counts(third) == (20, 0, 0, 16, 4)
    assert loads(db)[-1][-1] == "same file as load 2: nothing changed"


def test_same_rows_other_bytes_are_compared(db, tmp_path):
    """A copy whose preamble differs is read and compared row by row: still nothing changes."""
    load_file(CSV, db=db, source="lapor")
    before = snapshot(db)
    other = tmp_path / CSV.name  # same file name, so quarantined rows are recognised too
    text = CSV.read_text(encoding="utf-8")
    other.write_text(text.replace("Dicetak oleh,,Admin Instansi", "Dicetak oleh,,Operator"))
    s = load_file(other, db=db, source="lapor")
    assert counts(s) == (20, 0, 0, 16, 4)
    assert s.reasons == REASONS
    assert snapshot(db) == before
    assert loads(db)[-1] == (2, "loaded", 20, 16, 4, None)  # full path: no "same file" note


def test_another_load_in_between_takes_the_full_path(db):
    """After a later export of the same source, the first file is compared again (stale rows)."""
    load_file(CSV, db=db, source="lapor")
    load_file(LATER, db=db, source="lapor")
    before = snapshot(db)
    s = load_file(CSV, db=db, source="lapor")
    assert counts(s) == (20, 0, 0, 16, 4)  # the newer export's rows are kept (stale)
    assert snapshot(db) == before
    assert loads(db)[-1][-1] is None


def test_other_zone_or_export_time_takes_the_full_path(db, tmp_path):
    load_file(CSV, db=db, source="lapor")
    # times read one hour earlier; an export time after the first so the rows are replaced
    s = load_file(CSV, db=db, source="lapor", timezone="Asia/Makassar", exported_at=JULY)
    assert counts(s) == (20, 0, 16, 0, 4)
    copy = tmp_path / "copy.csv"
    shutil.copyfile(LATER, copy)
    load_file(copy, db=db, source="lapor")
    copy.touch()  # the same bytes: the export time comes from the preamble, but mtime changed
    s = load_file(copy, db=db, source="lapor")
    assert counts(s) == (4, 0, 0, 4, 0)
    assert loads(db)[-1][-1] is None


def test_same_bytes_under_another_name_add_no_quarantine_rows(db, tmp_path):
    """The copy has another name and mtime (so the full path runs): its 4 quarantined rows are
    recognised by the file's sha256, not added again."""
    load_file(CSV, db=db, source="lapor")
    before = snapshot(db)
    copy = tmp_path / "renamed_copy.csv"
    shutil.copyfile(CSV, copy)
    s = load_file(copy, db=db, source="lapor")
    assert counts(s) == (20, 0, 0, 16, 4)
    assert snapshot(db) == before
