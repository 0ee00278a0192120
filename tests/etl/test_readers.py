"""XLSX, Parquet and user mappings read the same data as CSV; times convert from the zone."""

from datetime import datetime

import duckdb
from openpyxl import Workbook

from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table

LAPOR = FIXTURES / "lapor_ringkas.csv"


def _lapor_xlsx(path):
    """The CSV fixture as a LAPOR! workbook; some dates are real date cells, as Excel saves."""
    import csv

    wb = Workbook()
    ws = wb.active
    with LAPOR.open(newline="") as fh:
        for i, row in enumerate(csv.reader(fh)):
            if i == 12:  # 3412002: "1 Desember 2024" as a date cell, time as text
                row[1] = datetime(2024, 12, 1)
            ws.append([c if c != "" else None for c in row])
    wb.save(path)


def _without_load(rows):
    return [r[:24] for r in rows]  # all but exported_at, load_id


def test_xlsx_equals_csv(tmp_path, db):  # db fixture: fixed salt
    xdb, cdb = tmp_path / "x.duckdb", tmp_path / "c.duckdb"
    _lapor_xlsx(tmp_path / "lapor.xlsx")
    sx = load_file(tmp_path / "lapor.xlsx", db=xdb, source="lapor")
    sc = load_file(LAPOR, db=cdb, source="lapor")
    assert (sx.read, sx.inserted, sx.quarantined, sx.reasons) == (20, 16, 4, sc.reasons)
    assert sx.exported_at == sc.exported_at == datetime(2025, 6, 2, 17, 0)
    rx, rc = read_table(xdb, "complaints"), read_table(cdb, "complaints")
    assert [r[:11] + r[12:24] for r in rx] == [r[:11] + r[12:24] for r in rc]
    # quarantine line numbers are the spreadsheet's row numbers (same as the CSV's lines)
    assert [q[3] for q in read_table(xdb, "quarantine")] == [27, 28, 29, 30]


def test_parquet_equals_csv(tmp_path, db):  # db fixture: fixed salt
    pq = tmp_path / "complaints.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM read_csv(?, all_varchar = true)) TO '"
        + str(pq)
        + "' (FORMAT parquet)",
        [str(FIXTURES / "generic_complaints.csv")],
    )
    sp = load_file(pq, db=tmp_path / "p.duckdb", source="generic")
    sc = load_file(FIXTURES / "generic_complaints.csv", db=tmp_path / "c.duckdb", source="generic")
    assert (sp.read, sp.inserted, sp.quarantined) == (6, 4, 2)
    assert sp.reasons == sc.reasons == {"closed_before_created": 1, "unparseable_date": 1}
    assert _without_load(read_table(tmp_path / "p.duckdb", "complaints")) == _without_load(
        read_table(tmp_path / "c.duckdb", "complaints")
    )


def test_user_mapping_other_zone_and_semicolons(tmp_path):
    """A clerk's own channel: ';'-separated, day-first dates, Asia/Makassar (UTC+8)."""
    mapping = tmp_path / "bontang_wa.toml"
    mapping.write_text(
        """
name = "bontang_wa"
timezone = "Asia/Makassar"
[columns]
complaint_id = "No"
created_at = ["Tanggal", "Jam"]
status = "Status"
agency = "OPD"
[dates]
formats = ["%d/%m/%Y %H:%M"]
[statuses]
open = ["Masuk"]
resolved = ["Tuntas"]
[agency_aliases]
"Satpol" = "Satuan Polisi Pamong Praja"
"""
    )
    data = tmp_path / "wa.csv"
    data.write_text(
        "No;Tanggal;Jam;Status;OPD\n"
        "1;01/03/2025;08:00;Masuk;SATUAN POLISI PAMONG PRAJA\n"
        "2;01/03/2025;23:30;Tuntas;Satpol\n"
        "3;1 Maret 2025;10:00;Masuk;satuan polisi  pamong praja\n"
    )
    db = tmp_path / "k.duckdb"
    s = load_file(data, db=db, mapping=mapping)
    assert (s.read, s.inserted, s.quarantined, s.reasons) == (3, 2, 1, {"unparseable_date": 1})
    rows = [(r[0], r[1], r[3], r[12], r[15]) for r in read_table(db, "complaints")]
    assert rows == [
        ("bontang_wa", "1", "00.00:satuan-polisi-pamong-praja", datetime(2025, 3, 1), "open"),
        ("bontang_wa", "2", "00.00:satuan-polisi-pamong-praja", datetime(2025, 3, 1, 15, 30),
         "resolved"),
    ]  # fmt: skip
    # no --region and no region column: the documented default region (00.00, "Kota Contoh")
    assert read_table(db, "agencies") == [
        ("00.00:satuan-polisi-pamong-praja", "Satuan Polisi Pamong Praja", "Satpol", "00.00")
    ]


def test_indonesian_and_english_month_names(tmp_path):
    data = tmp_path / "months.csv"
    months = ["1 Januari 2024", "2 Februari 2024", "3 Maret 2024", "4 April 2024", "5 Mei 2024",
              "6 Juni 2024", "7 Juli 2024", "8 Agustus 2024", "9 September 2024",
              "10 Oktober 2024", "11 Nopember 2024", "12 Desember 2024", "13 Agt 2024",
              "14 Des 2024", "15 March 2024", "16 OKT 2024"]  # fmt: skip
    lines = ["id,created_at,status"] + [f"{i},{m},open" for i, m in enumerate(months)]
    data.write_text("\n".join(lines) + "\n")
    db = tmp_path / "k.duckdb"
    s = load_file(data, db=db, source="generic")
    assert (s.read, s.inserted, s.quarantined) == (16, 16, 0)
    got = {int(r[1]): r[12] for r in read_table(db, "complaints")}
    # midnight in Asia/Jakarta = 17:00 UTC the day before
    assert [(got[i].month, got[i].day) for i in range(16)] == [
        (12, 31), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (7, 6), (8, 7), (9, 8), (10, 9),
        (11, 10), (12, 11), (8, 12), (12, 13), (3, 14), (10, 15),
    ]  # fmt: skip


def test_timezone_override(db):
    """Bloomington's Open311 feed with naive times read as America/Indiana/Indianapolis."""
    from pathlib import Path

    xml = Path(db).parent / "feed.xml"
    xml.write_text(
        "<service_requests><request><service_request_id>7</service_request_id>"
        "<status>open</status><service_name>Weeds</service_name>"
        "<requested_datetime>2012-05-23 15:55:28</requested_datetime></request>"
        "</service_requests>"
    )
    load_file(xml, db=db, source="open311", timezone="America/Indiana/Indianapolis")
    assert [r[12] for r in read_table(db, "complaints")] == [datetime(2012, 5, 23, 19, 55, 28)]
    import pytest

    from etl.errors import LoadError

    with pytest.raises(LoadError, match="unknown time zone 'Mars/Olympus'"):
        load_file(xml, db=db, source="open311", timezone="Mars/Olympus")
