"""Service applications load into ``services`` with standard days; ``set_meta`` upserts."""

from datetime import datetime

from etl.load import load_file
from etl.meta import set_meta
from tests.etl.conftest import FIXTURES, read_table


def test_services(db):
    s = load_file(FIXTURES / "generic_services.csv", db=db, source="generic_services")
    assert (s.read, s.inserted, s.quarantined, s.reasons) == (
        5, 4, 1, {"completed_before_submitted": 1},
    )  # fmt: skip
    rows = [r[:12] for r in read_table(db, "services", "service_id")]
    dpm = "00.00:dinas-penanaman-modal-dan-pelayanan-terpadu-satu-pintu"
    capil = "00.00:dinas-kependudukan-dan-pencatatan-sipil"
    assert rows == [
        ("generic_services", "S-1", "KTP-el", capil, "Tembalang", "walk-in",
         datetime(2025, 3, 3, 1, 0), datetime(2025, 3, 3, 8, 0), "completed", "selesai", 1, None),
        ("generic_services", "S-2", "Persetujuan Bangunan Gedung (PBG)", dpm, "Genuk", "web",
         datetime(2025, 3, 3, 2, 0), None, "open", "proses", 28, None),
        ("generic_services", "S-3", "Izin Baru Tak Dikenal", dpm, "Genuk", "web",
         datetime(2025, 3, 4, 2, 0), datetime(2025, 3, 10, 2, 0), "completed", "completed",
         None, None),
        ("generic_services", "S-5", "KTP-el", capil, "Tugu", "walk-in",
         datetime(2025, 3, 5, 3, 0), None, "rejected", "ditolak", 1, None),
    ]  # fmt: skip
    assert read_table(db, "complaints") == []


def test_set_meta_upserts(db):
    load_file(FIXTURES / "generic_complaints.csv", db=db, source="generic")
    set_meta(db, {"city": "semarang", "is_demo": True, "demo_seed": 7})
    set_meta(db, {"is_demo": False})
    assert read_table(db, "meta") == [
        ("city", "semarang"), ("demo_seed", "7"), ("home_region", "00.00"), ("is_demo", "false"),
        ("schema_version", "2"),
    ]  # fmt: skip
    assert len(read_table(db, "complaints")) == 4
