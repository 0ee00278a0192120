"""Regions in the ETL: agencies and ids scoped by region, regions read from the file, national ids.

Issue 11: Dinas Pekerjaan Umum of Kota Semarang, of Kabupaten Demak and of the province are three
agencies; a provincial channel's complaint disposed to a kab/kota belongs to that region.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl.errors import LoadError
from etl.load import load_file
from etl.region_map import match
from kinerja import regions
from kinerja.paths import ROOT
from kpi import Warehouse
from tests.etl.conftest import read_table

HEADER = "id,created_at,status,agency,category,district,title\n"
DESK = (
    "1,2025-03-03 08:00:00,baru,Dinas Pekerjaan Umum,Jalan Rusak,Tembalang,Jalan rusak\n"
    "2,2025-03-04 09:00:00,selesai,Dinas Pekerjaan Umum,Jalan Rusak,Genuk,Jalan berlubang\n"
)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# positions in a complaints row (etl/schema.sql; region columns come last)
POS = {"source": 0, "complaint_id": 1, "agency_id": 3, "status": 15, "region_code": 26}
POS["id_scope"] = 27


def complaint_keys(db) -> list[tuple]:
    cols = ("source", "id_scope", "complaint_id", "region_code", "agency_id", "status")
    return sorted(tuple(r[POS[c]] for c in cols) for r in read_table(db, "complaints"))


def test_same_agency_name_and_ids_in_two_regions_stay_separate(db, tmp_path):
    a = load_file(
        write(tmp_path, "smg.csv", HEADER + DESK), db=db, source="generic", region="33.74"
    )
    b = load_file(
        write(tmp_path, "dmk.csv", HEADER + DESK), db=db, source="generic", region="33.21"
    )
    assert (a.inserted, b.inserted) == (2, 2)  # same ids, other region: new complaints
    assert (a.regions, b.regions) == ({"33.74": 2}, {"33.21": 2})
    assert complaint_keys(db) == [
        ("generic", "33.21", "1", "33.21", "33.21:dinas-pekerjaan-umum", "open"),
        ("generic", "33.21", "2", "33.21", "33.21:dinas-pekerjaan-umum", "resolved"),
        ("generic", "33.74", "1", "33.74", "33.74:dinas-pekerjaan-umum", "open"),
        ("generic", "33.74", "2", "33.74", "33.74:dinas-pekerjaan-umum", "resolved"),
    ]
    assert read_table(db, "agencies", "agency_id") == [
        ("33.21:dinas-pekerjaan-umum", "Dinas Pekerjaan Umum", None, "33.21"),
        ("33.74:dinas-pekerjaan-umum", "Dinas Pekerjaan Umum", None, "33.74"),
    ]
    names = {r[0]: (r[1], r[2], r[3]) for r in read_table(db, "regions")}
    assert names["33.21"] == ("Kabupaten Demak", "kabupaten", "33")
    assert names["33"] == ("Provinsi Jawa Tengah", "province", None)  # the parent comes along
    # a re-load of Semarang's file changes nothing, Demak's rows included
    again = load_file(tmp_path / "smg.csv", db=db, source="generic", region="33.74")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    wh = Warehouse.open(db)
    by_agency = wh.breakdown("2025-03-03", "2025-03-10", "agency_id").set_index("agency_id")
    assert by_agency["received"].to_dict() == {
        "33.21:dinas-pekerjaan-umum": 2,
        "33.74:dinas-pekerjaan-umum": 2,
    }
    province = wh.summary("2025-03-03", "2025-03-10", {"region": "33"})
    demak = wh.summary("2025-03-03", "2025-03-10", {"region": "33.21"})
    assert (province["received"], demak["received"]) == (4, 2)
    # an id without its region is ambiguous here: two regions have the slug
    assert wh.resolve_agency("dinas-pekerjaan-umum") is None


PROVINCIAL = """id,created_at,status,disposisi,category,title
LG-1,2025-03-03 08:00:00,baru,Pemerintah Kabupaten Demak,Jalan Rusak,Jalan desa rusak
LG-2,2025-03-03 09:00:00,baru,Dinas Pekerjaan Umum Bina Marga dan Cipta Karya Provinsi Jawa Tengah,Jalan Rusak,Jalan provinsi rusak
LG-3,2025-03-03 10:00:00,proses,KAB. DEMAK,Banjir dan Genangan,Banjir
LG-4,2025-03-03 11:00:00,baru,Pemkot Semarang,Sampah dan Kebersihan,Sampah
LG-5,2025-03-03 12:00:00,baru,,Lainnya,Belum didisposisi
LG-6,2025-03-03 13:00:00,baru,Kota Atlantis,Lainnya,Wilayah tak dikenal
"""
MAPPING = """name = "laporgub_test"
target = "complaints"
[columns]
complaint_id = "id"
created_at = "created_at"
status = "status"
agency = "disposisi"
region = "disposisi"
category = "category"
title = "title"
[statuses]
open = ["baru"]
in_progress = ["proses"]
"""


def test_provincial_channel_disposes_to_kabkota_and_province(db, tmp_path):
    mapping = write(tmp_path, "laporgub.toml", MAPPING)
    s = load_file(write(tmp_path, "lg.csv", PROVINCIAL), db=db, mapping=mapping, region="33")
    assert (s.read, s.inserted, s.quarantined, s.reasons) == (6, 5, 1, {"unknown_region": 1})
    assert s.regions == {"33.21": 2, "33": 2, "33.74": 1}
    got = {r[1]: (r[26], r[3]) for r in read_table(db, "complaints")}
    assert got == {
        "LG-1": ("33.21", "33.21:pemerintah-kabupaten-demak"),
        "LG-2": (
            "33",
            "33:dinas-pekerjaan-umum-bina-marga-dan-cipta-karya-provinsi-jawa-tengah",
        ),
        "LG-3": ("33.21", "33.21:kab-demak"),
        "LG-4": ("33.74", "33.74:pemkot-semarang"),
        "LG-5": ("33", "33:unassigned"),  # not disposed yet: the province's own queue
    }
    q = read_table(db, "quarantine")
    assert [(r[3], r[4], r[5], r[9]) for r in q] == [(7, "unknown_region", "disposisi", "33")]
    assert "Kota Atlantis" in q[0][6]


def test_lapor_national_ids_follow_a_redisposition(db, tmp_path):
    head = (
        "Tanggal Generate,,{gen}\n"
        "Tracking ID,Tanggal Laporan Masuk,Waktu Laporan Masuk,Status Laporan,"
        "Instansi Induk,Instansi Terdisposisi\n"
    )
    first = head.format(gen="2025-03-10") + (
        "9001,3 Mar 2025,08:00:00,Proses,Pemerintah Kota Semarang,Dinas Pekerjaan Umum\n"
    )
    later = head.format(gen="2025-03-17") + (
        "9001,3 Mar 2025,08:00:00,Proses,Pemerintah Provinsi Jawa Tengah,"
        "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya\n"
    )
    load_file(write(tmp_path, "a.csv", first), db=db, source="lapor", region="33.74")
    s = load_file(write(tmp_path, "b.csv", later), db=db, source="lapor", region="33")
    assert (s.inserted, s.updated) == (0, 1)  # one complaint, re-disposed to the province
    rows = read_table(db, "complaints")
    assert [(r[1], r[26], r[27], r[3]) for r in rows] == [
        ("9001", "33", "", "33:dinas-pekerjaan-umum-bina-marga-dan-cipta-karya")
    ]


def test_unknown_region_code_is_refused(db, tmp_path):
    path = write(tmp_path, "x.csv", HEADER + DESK)
    with pytest.raises(LoadError, match="unknown region code '99.99'"):
        load_file(path, db=db, source="generic", region="99.99")
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--source", "generic"]
        + ["--db", str(db), "--region", "99.99"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2 and "unknown region code" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Pemerintah Kota Semarang", "33.74"),
        ("KOTA SEMARANG", "33.74"),
        ("Kabupaten Semarang", "33.22"),
        ("Pemkab Demak", "33.21"),
        ("Kab. Demak", "33.21"),
        ("Dinas PU Kabupaten Demak", "33.21"),
        ("Pemprov Jateng", "33"),
        ("Pemerintah Provinsi Jawa Tengah", "33"),
        ("Badan Pendapatan Daerah Provinsi Jawa Tengah", "33"),
        ("33.74", "33.74"),
        ("Kota Surabaya", "35.78"),
        ("Kota Atlantis", None),
        ("Semarang", None),  # kota or kabupaten? ambiguous: not guessed
    ],
)
def test_region_names_match_codes(text, code):
    assert match(text, regions.lookup_table(regions.registry())) == code


def test_registry_has_every_province_and_kabkota():
    reg = regions.registry()
    provinces = [r for r in reg.values() if r.level == "province"]
    kabkota = [r for r in reg.values() if r.level in ("kabupaten", "kota") and r.parent]
    assert (len(provinces), len(kabkota)) == (38, 514)
    jateng = regions.children("33")
    assert len(jateng) == 35 and jateng[0].name == "Kabupaten Cilacap"
    assert sum(r.population for r in jateng) == reg["33"].population  # 38,430,645
    assert (reg["64.74"].timezone, reg["94.01"].tz_label) == ("Asia/Makassar", "WIT")
    assert reg["33.74"].preset == "semarang"  # its own preset overlays the national row
