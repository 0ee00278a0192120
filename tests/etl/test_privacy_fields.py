"""Issue 10 point 1: personal data in every kept field and in the quarantine's raw record.

Each load below plants phone numbers, NIKs and e-mails (the issue's payloads) in every text
field a warehouse keeps, plus undeclared personal columns, and checks that none is stored.
"""

from __future__ import annotations

import csv
import json

import duckdb

from etl.load import load_file
from tests.etl.conftest import read_table

# (value planted, its exact masked form)
PLANTED = {
    "agency": ("Dinas 081234567890", "Dinas [phone]"),
    "category": ("Jalan 3374 0123 4567 8902", "Jalan [nik]"),
    "channel": ("wa 0812-3456-7890", "wa [phone]"),
    "district": ("Tugu admin@localhost", "Tugu [email]"),
    "village": ("Bulusan (024) 7654321", "Bulusan [phone]"),
    "title": ("NIK3374012345678904 hub 812-3456-7899", "NIK[nik] hub [phone]"),
}
SECRETS = [
    "081234567890", "3374 0123 4567 8902", "0812-3456-7890", "admin@localhost", "7654321",
    "3374012345678904", "812-3456-7899", "3374012345678901", "Budi Santoso", "Jl. Melati 5",
    "0247654395", "budi＠mail.id", "Siti Aminah", "085700000000", "3374-0123-4567-8903",
]  # fmt: skip


def all_text(db) -> str:
    """Every value of every table of the database, as one string."""
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh'"
        ).fetchall()
    ]
    text = "\n".join(str(con.execute(f"SELECT * FROM wh.{t}").fetchall()) for t in tables)
    con.close()
    return text


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def generic_file(tmp_path):
    """Two good rows and two quarantined ones, every field planted, personal extra columns."""
    header = ["id", "created_at", "status", "agency", "category", "channel", "district",
              "village", "title", "reporter_name", "nik", "nama_lengkap", "alamat", "keterangan",
              "catatan"]  # fmt: skip
    planted = [PLANTED[f][0] for f in ("agency", "category", "channel", "district", "village",
                                        "title")]  # fmt: skip
    extra = ["Budi Santoso", "3374012345678901", "Siti Aminah", "Jl. Melati 5", "0247654395",
             "biasa"]  # fmt: skip
    rows = [
        ["P1", "2025-03-03 08:00:00", "baru", *planted, *extra],
        ["P2", "2025-03-04 08:00:00", "selesai", *planted, *extra],
        ["P3", "kemarin", "baru", *planted, *extra],  # unparseable date: quarantined
        [
            "P4",
            "2025-03-05 08:00:00",
            "entah",
            *planted,
            "Siti Aminah",
            "3374-0123-4567-8903",
            "Siti Aminah",
            "Jl. Melati 5",
            "budi＠mail.id",
            "biasa",
        ],  # fmt: skip
    ]
    return write_csv(tmp_path / "planted.csv", header, rows)


def test_every_kept_field_is_masked(db, tmp_path):
    summary = load_file(generic_file(tmp_path), db=db, source="generic")
    assert (summary.inserted, summary.quarantined) == (2, 2)
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    rows = con.execute(
        "SELECT complaint_id, agency_id, category, channel, district, village, title "
        "FROM wh.complaints ORDER BY complaint_id"
    ).fetchall()
    agencies = con.execute("SELECT agency_id, name, short_name FROM wh.agencies").fetchall()
    con.close()
    masked = [PLANTED[f][1] for f in ("category", "channel", "district", "village", "title")]
    assert rows == [
        ("P1", "00.00:dinas-phone", masked[0], "wa [phone]", *masked[2:]),
        ("P2", "00.00:dinas-phone", masked[0], "wa [phone]", *masked[2:]),
    ]
    assert agencies == [("00.00:dinas-phone", "Dinas [phone]", None)]
    assert [s for s in SECRETS if s in all_text(db)] == []


def test_quarantine_raw_drops_personal_columns_by_name_and_content(db, tmp_path):
    load_file(generic_file(tmp_path), db=db, source="generic")
    raws = {r[3]: json.loads(r[7]) for r in read_table(db, "quarantine")}
    # nik, nama_lengkap, alamat (by name), keterangan (its values are phones and e-mails),
    # the reporter: gone. The fields are there, masked; an ordinary extra column stays.
    assert sorted(raws) == [4, 5]  # file lines (the header is line 1)
    assert raws[5] == {
        "id": "P4", "created_at": "2025-03-05 08:00:00", "status": "entah",
        "agency": "Dinas [phone]", "category": "Jalan [nik]", "channel": "wa [phone]",
        "district": "Tugu [email]", "village": "Bulusan [phone]", "title": "NIK[nik] hub [phone]",
        "catatan": "biasa",
    }  # fmt: skip
    assert sorted(raws[4]) == sorted(raws[5])
    details = [r[6] for r in read_table(db, "quarantine")]
    assert [d for d in details if any(s in d for s in SECRETS)] == []


def test_open311_service_name_and_person_fields(db, tmp_path):
    requests = [
        {
            "service_request_id": "R1",
            "requested_datetime": "2012-02-01T10:00:00-05:00",
            "status": "open",
            "service_name": "Pothole call 0812 3456 7890",
            "agency_responsible": "Public Works kiki@example.com",
            "first_name": "Budi",
            "last_name": "Santoso",
            "email": "budi@example.com",
            "phone": "+1 617 555 1234",
            "description": "my NIK 3374012345678901",
        },
        {
            "service_request_id": "R2",
            "requested_datetime": "not a date",
            "status": "open",
            "service_name": "Graffiti",
            "first_name": "Siti",
            "last_name": "Aminah",
            "email": "siti@example.com",
        },
    ]
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(requests), encoding="utf-8")
    load_file(path, db=db, source="open311")
    row = read_table(db, "complaints")[0]
    assert (row[3], row[4], row[9]) == (
        "00.00:public-works-email", "Pothole call [phone]", "Pothole call [phone]"
    )  # fmt: skip
    raw = json.loads(read_table(db, "quarantine")[0][7])
    assert sorted(raw) == [
        "agency_responsible", "requested_datetime", "service_name", "service_request_id", "status"
    ]  # fmt: skip
    text = all_text(db)
    assert [s for s in ("Budi", "Santoso", "Siti", "Aminah", "example.com", "555 1234",
                        "3374012345678901") if s in text] == []  # fmt: skip


def test_services_fields_are_masked(db, tmp_path):
    header = ["id", "service_type", "agency", "submitted_at", "completed_at", "status",
              "district", "channel", "no_hp"]  # fmt: skip
    rows = [
        ["S1", "KTP-el a.n. 3374012345678901", "Disdukcapil 024-7654395", "2025-03-03 08:00:00",
         "", "baru", "Tugu 0812.3456.7890", "web kiki@example.com", "081234567890"],
        ["S2", "KTP-el", "Disdukcapil", "tidak tahu", "", "baru", "Tugu", "web", "085700000000"],
    ]  # fmt: skip
    load_file(write_csv(tmp_path / "services.csv", header, rows), db=db, source="generic_services")
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    got = con.execute(
        "SELECT service_type, agency_id, district, channel FROM wh.services"
    ).fetchall()
    con.close()
    assert got == [("KTP-el a.n. [nik]", "00.00:disdukcapil-phone", "Tugu [phone]", "web [email]")]
    text = all_text(db)
    assert [s for s in ("3374012345678901", "024-7654395", "0812.3456.7890", "kiki@",
                        "081234567890", "085700000000") if s in text] == []  # fmt: skip


def test_a_shifted_short_row_keeps_no_name_in_the_quarantine(db, tmp_path):
    """A short CSV row puts the reporter's name under "agency" (issue 10): a record that does
    not fit its header keeps only digits-bearing values (masked) and status words."""
    path = tmp_path / "short.csv"
    path.write_text(
        "id,created_at,status,agency,category,title,reporter_name,reporter_phone\n"
        "S1,2025-03-03 08:00:00,baru,Dinas PU,Jalan,Lubang,Siti,0812000111\n"
        "S2,2025-03-03 09:00:00,baru,Budi Santoso\n"
        'S3,2025-03-03 10:00:00,baru,"oops,Budi Santoso\n'
        "S4,2025-03-03 11:00:00,selesai,Dinas PU,Jalan,hub 0812-3456-7890,Rina,x,extra\n",
        encoding="utf-8",
    )
    load_file(path, db=db, source="generic")
    raws = {r[3]: (r[4], json.loads(r[7])) for r in read_table(db, "quarantine")}
    assert raws[3] == (
        "malformed_row",
        {"id": "S2", "created_at": "2025-03-03 09:00:00", "status": "baru", "agency": "[teks]"},
    )
    assert raws[4][0] == "malformed_row"
    assert "Budi" not in str(raws) and "Rina" not in str(raws) and "0812" not in str(raws)
    assert raws[5][1]["title"] == "hub [phone]" and raws[5][1]["status"] == "selesai"
