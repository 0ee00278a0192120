"""CSV shapes that broke loads (issue 9 points 1, 2 and 12), each on the exact file shape:
every physical record is read, and one that does not fit the header is quarantined as
``malformed_row`` with its text (minus personal data), never inserted or used to update a row."""

import json

import duckdb
import pytest

from etl.load import load_file
from tests.etl.conftest import REAL, read_table

HEADER = "id,created_at,status"


def counts(s):
    return (s.read, s.inserted, s.updated, s.unchanged, s.quarantined)


def rows(db, sql):
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def quarantine(db):
    return rows(
        db,
        "SELECT line_no, reason, column_name, detail, raw FROM wh.quarantine ORDER BY line_no",
    )


def good_rows(n, start=0):
    return [f"G{i},2025-03-03 09:{i % 60:02d}:00,baru" for i in range(start, start + n)]


def test_unterminated_quote_on_the_first_data_line_loses_nothing(db, tmp_path):
    path = tmp_path / "export.csv"
    lines = [HEADER, 'A1,2025-03-03 08:00:00,baru,"oops,Budi Santoso', *good_rows(100)]
    path.write_text("\n".join(lines) + "\n")
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (101, 100, 0, 0, 1)
    assert s.reasons == {"malformed_row": 1}
    assert quarantine(db) == [
        {
            "line_no": 2,
            "reason": "malformed_row",
            "column_name": None,
            "detail": "unterminated quote",
            # the unnamed 4th value (which holds a name) is only counted
            "raw": '{"id": "A1", "created_at": "2025-03-03 08:00:00", "status": "baru", '
            '"_extra_fields": 1}',
        }
    ]
    loaded = rows(db, "SELECT min(complaint_id) AS lo, max(complaint_id) AS hi, count(*) AS n "
                  "FROM wh.complaints")  # fmt: skip
    assert loaded == [{"lo": "G0", "hi": "G99", "n": 100}]


def _cut_boston(tmp_path):
    cut = (REAL / "boston311_2015.csv").read_bytes()[:3000]
    path = tmp_path / "boston_cut.csv"
    path.write_bytes(cut + b'\n"unterminated,')
    return path


def test_cut_boston_file_counts_every_record(db, tmp_path):
    """Boston cut after 3,000 bytes (line 12 ends mid-record) plus a last unterminated line."""
    s = load_file(_cut_boston(tmp_path), db=db, source="boston311")
    assert counts(s) == (12, 10, 0, 0, 2)
    q = quarantine(db)
    assert [(r["line_no"], r["reason"], r["column_name"], r["detail"]) for r in q] == [
        (12, "malformed_row", "land_usage", "the record has 25 fields, the header has 34"),
        (13, "malformed_row", None, "unterminated quote"),
    ]
    raw12 = json.loads(q[0]["raw"])
    assert raw12["CASE_ENQUIRY_ID"] == "101001623666" and "LATITUDE" not in raw12
    # a record that does not fit its header keeps no text without digits (etl.privacy)
    assert json.loads(q[1]["raw"]) == {"column00": "[teks]"}


def test_cut_row_never_updates_the_stored_row(tmp_path, db):
    """Full Boston loaded, then the cut file: its cut last row must not wipe coordinates."""
    load_file(REAL / "boston311_2015.csv", db=db, source="boston311")
    sql = ("SELECT complaint_id, lat, lon, channel, status, load_id FROM wh.complaints "
           "WHERE complaint_id = '101001623666'")  # fmt: skip
    before = rows(db, sql)
    assert before == [{"complaint_id": "101001623666", "lat": 42.3594, "lon": -71.0587,
                       "channel": "phone", "status": "open", "load_id": 1}]  # fmt: skip
    s = load_file(_cut_boston(tmp_path), db=db, source="boston311")
    assert (s.updated, s.quarantined) == (0, 2)
    assert rows(db, sql) == before


def test_short_row_of_a_later_export_is_quarantined_not_an_update(db, tmp_path):
    first = tmp_path / "week1.csv"
    first.write_text("id,created_at,status,agency,district\nA,2025-03-03 08:00:00,baru,DPU,Tugu\n")
    load_file(first, db=db, source="generic", exported_at="2025-03-04T00:00:00")
    later = tmp_path / "week2.csv"
    later.write_text("id,created_at,status,agency,district\nA,2025-03-03 08:00:00,selesai\n")
    s = load_file(later, db=db, source="generic", exported_at="2025-03-11T00:00:00")
    assert counts(s) == (1, 0, 0, 0, 1)
    assert rows(db, "SELECT status, agency_id, district FROM wh.complaints") == [
        {"status": "open", "agency_id": "00.00:dinas-pekerjaan-umum", "district": "Tugu"}
    ]
    assert [(r["line_no"], r["column_name"], r["detail"]) for r in quarantine(db)] == [
        (2, "agency", "the record has 3 fields, the header has 5")
    ]


def test_bare_cr_inside_fields_is_data_not_a_line_break(db, tmp_path):
    """7 records, 3 with a bare CR inside a value (2 unquoted, 1 quoted): 7 rows, not 10."""
    path = tmp_path / "cr.csv"
    recs = [
        "id,created_at,status,title",
        "C1,2025-03-03 08:00:00,baru,Jalan\rrusak",
        "C2,2025-03-03 08:01:00,baru,Lampu mati",
        'C3,2025-03-03 08:02:00,baru,"Sampah\rmenumpuk"',
        "C4,2025-03-03 08:03:00,baru,Banjir",
        "C5,2025-03-03 08:04:00,baru,Pohon\rtumbang",
        "C6,2025-03-03 08:05:00,baru,Parkir liar",
        "C7,2025-03-03 08:06:00,baru,Drainase",
    ]
    path.write_bytes(("\r\n".join(recs) + "\r\n").encode())
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (7, 7, 0, 0, 0)
    titles = rows(db, "SELECT complaint_id, title FROM wh.complaints ORDER BY 1")
    assert [r["title"] for r in titles] == [
        "Jalan rusak", "Lampu mati", "Sampah menumpuk", "Banjir", "Pohon tumbang",
        "Parkir liar", "Drainase",
    ]  # fmt: skip


def test_latin1_character_after_line_60(db, tmp_path):
    path = tmp_path / "latin1.csv"
    lines = ["id,created_at,status,title"]
    lines += [f"L{i},2025-03-03 08:00:00,baru,Jalan {i}" for i in range(70)]
    lines.append("L70,2025-03-03 08:00:00,baru,Caf\xe9 Pasar")
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (71, 71, 0, 0, 0)
    assert rows(db, "SELECT title FROM wh.complaints WHERE complaint_id = 'L70'") == [
        {"title": "Café Pasar"}
    ]


def test_one_damaged_line_in_a_utf8_file(db, tmp_path):
    path = tmp_path / "damaged.csv"
    body = ["id,created_at,status,title"]
    body += [f"U{i},2025-03-03 08:00:00,baru,Jalan Pé {i}" for i in range(5)]
    data = ("\n".join(body) + "\n").encode() + b"U9,2025-03-03 08:00:00,baru,caf\xe9\n"
    path.write_bytes(data)
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (6, 5, 0, 0, 1)
    assert [(r["line_no"], r["detail"]) for r in quarantine(db)] == [
        (7, "the line is not valid UTF-8 (the rest of the file is)")
    ]


def test_utf16_with_bom_loads(db, tmp_path):
    path = tmp_path / "utf16.csv"
    text = "id,created_at,status,title\r\nW1,2025-03-03 08:00:00,baru,Jalan Pé\r\n"
    path.write_bytes(text.encode("utf-16"))
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (1, 1, 0, 0, 0)
    assert rows(db, "SELECT title FROM wh.complaints") == [{"title": "Jalan Pé"}]


def test_multiline_values_blank_lines_and_a_short_row_keep_their_lines(db, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(
        "id,created_at,status,title\n"  # 1
        'M1,2025-03-03 08:00:00,baru,"two\nlines"\n'  # 2-3
        "\n"  # 4 (blank: not a record)
        "M2,2025-03-03 08:00:00\n"  # 5 short
        "M3,2025-03-03 08:00:00,baru,x\n"  # 6
        "M4,not a date,baru,y\n"  # 7
    )
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (4, 2, 0, 0, 2)
    assert [(r["line_no"], r["reason"]) for r in quarantine(db)] == [
        (5, "malformed_row"),
        (7, "unparseable_date"),
    ]
    assert rows(db, "SELECT title FROM wh.complaints ORDER BY complaint_id") == [
        {"title": "two lines"},
        {"title": "x"},
    ]


def test_a_stray_quote_costs_one_record_not_the_ones_after_it(db, tmp_path):
    """A quote opened on line 2 and 'closed' by another stray quote 50 lines later."""
    path = tmp_path / "stray.csv"
    lines = ["id,created_at,status,title", 'S0,2025-03-03 08:00:00,baru,"oops']
    lines += [f"S{i},2025-03-03 08:00:00,baru,ok {i}" for i in range(1, 50)]
    lines += ['S50,2025-03-03 08:00:00,baru,closing" quote', "S51,2025-03-03 08:00:00,baru,last"]
    path.write_text("\n".join(lines) + "\n")
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (52, 51, 0, 0, 1)
    assert [(r["line_no"], r["detail"]) for r in quarantine(db)] == [(2, "unterminated quote")]
    assert rows(db, "SELECT title FROM wh.complaints WHERE complaint_id = 'S50'") == [
        {"title": 'closing" quote'}
    ]


def test_last_line_without_newline_and_cr_only_files(db, tmp_path):
    path = tmp_path / "end.csv"
    path.write_text(f"{HEADER}\nE1,2025-03-03 08:00:00,baru\nE2,2025-03-03")
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (2, 1, 0, 0, 1)
    mac = tmp_path / "mac.csv"
    mac.write_bytes(
        f"{HEADER}\rK1,2025-03-03 08:00:00,baru\rK2,2025-03-03 09:00:00,baru\r".encode()
    )
    s = load_file(mac, db=tmp_path / "mac.duckdb", source="generic")
    assert counts(s) == (2, 2, 0, 0, 0)


@pytest.mark.parametrize("name", ["_line", "r", "_LINE", "_kj_src"])
def test_columns_named_like_internal_ones(db, tmp_path, name):
    path = tmp_path / "cols.csv"
    path.write_text(f"id,created_at,status,{name}\nN1,2025-03-03 08:00:00,baru,zzz\n")
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (1, 1, 0, 0, 0)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"id,created_at,status,{name}\nN2,kemarin,baru,zzz\n")
    s = load_file(bad, db=db, source="generic")
    assert s.reasons == {"unparseable_date": 1}
    raw = json.loads(quarantine(db)[0]["raw"])
    assert raw["id"] == "N2" and "zzz" in raw.values()


def test_malformed_row_keeps_no_personal_columns(db, tmp_path):
    path = tmp_path / "personal.csv"
    path.write_text(
        "id,created_at,status,title,reporter_name,reporter_phone\n"
        "P1,2025-03-03 08:00:00,baru,Jalan,Budi Santoso,081234567890,extra\n"
    )
    s = load_file(path, db=db, source="generic")
    assert s.reasons == {"malformed_row": 1}
    raw = quarantine(db)[0]["raw"]
    assert json.loads(raw) == {
        "id": "P1", "created_at": "2025-03-03 08:00:00", "status": "baru", "title": "[teks]",
        "_extra_fields": 1,
    }  # fmt: skip
    assert "Budi" not in raw and "0812" not in raw


def test_every_record_of_a_clean_file_is_read_by_the_fast_path(db, tmp_path, monkeypatch):
    """A file with one line per record is read by DuckDB alone (one pass), a long row too."""
    import etl.csvfile

    def no_exact(*args, **kwargs):
        raise AssertionError("the exact reader was used for a simple file")

    monkeypatch.setattr(etl.csvfile, "read_exact", no_exact)
    path = tmp_path / "clean.csv"
    path.write_text("\n".join([HEADER, *good_rows(50), "X1,2025-03-03 08:00:00,baru,too,many"]))
    s = load_file(path, db=db, source="generic")
    assert counts(s) == (51, 50, 0, 0, 1)
    assert [(r["line_no"], r["detail"]) for r in quarantine(db)] == [
        (52, "the record has 5 fields, the header has 3")
    ]
    assert len(read_table(db, "complaints")) == 50
