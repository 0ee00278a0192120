"""JSON, XML and XLSX files cut short or built to break the reader (issue 9 points 2 and 9):
a record cut mid-way is ``malformed_row``, never a row; what cannot be read at all is refused
with exit 2 and the file (and row) named."""

import json
import subprocess
import sys

import pytest

from etl.errors import LoadError
from etl.load import load_file
from tests.etl.conftest import REAL, read_table, snapshot


def counts(s):
    return (s.read, s.inserted, s.updated, s.unchanged, s.quarantined)


def quarantine(db):
    return [(q[3], q[4], q[5], q[6], q[7]) for q in read_table(db, "quarantine", "line_no")]


def _request(i, **extra):
    rec = {
        "service_request_id": f"R{i}",
        "status": "open",
        "service_name": "Pothole",
        "description": f"Budi Santoso called from 081234567{i:03d}",
        "requested_datetime": "2012-05-23T15:55:28-04:00",
        "lat": 39.16,
        "long": -86.53,
    }
    return rec | extra


def test_json_array_cut_mid_record(db, tmp_path):
    full = json.dumps([_request(i) for i in range(4)], indent=1)
    path = tmp_path / "requests.json"
    path.write_text(full[: full.index('"status"', full.index('"R3"'))] + '"status": "op')
    s = load_file(path, db=db, source="open311")
    assert counts(s) == (4, 3, 0, 0, 1)
    assert quarantine(db) == [
        (4, "malformed_row", None, "the file ends inside this JSON record (cut short)",
         '{"service_request_id": "R3"}'),
    ]  # fmt: skip
    assert sorted(r[1] for r in read_table(db, "complaints")) == ["R0", "R1", "R2"]


def test_json_wrapper_cut_mid_record_keeps_no_description(db, tmp_path):
    doc = json.dumps({"requests": [_request(1), _request(2)]})
    path = tmp_path / "wrapped.json"
    path.write_text(doc[: doc.index('"lat"', doc.index('"R2"'))])
    s = load_file(path, db=db, source="open311")
    assert counts(s) == (2, 1, 0, 0, 1)
    raw = json.loads(quarantine(db)[0][4])
    assert raw == {
        "service_request_id": "R2",
        "status": "open",
        "service_name": "Pothole",
        "requested_datetime": "2012-05-23T15:55:28-04:00",
    }


def test_json_broken_in_the_middle_is_refused_with_its_line(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n{"service_request_id": "1", "status": "open"},\n{"x": ]\n,{"a": 1}\n]\n')
    with pytest.raises(LoadError) as err:
        load_file(path, db=db, source="open311")
    assert str(err.value) == f"file {path}, row 3: not valid JSON: Expecting value"


def test_deep_json_is_refused_not_a_crash(db, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--source", "open311", "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"error: file {path}: not usable JSON: nested too deeply"


def test_a_5000_digit_id_is_kept_as_text(db, tmp_path):
    big = "9" * 5000
    path = tmp_path / "bigid.json"
    path.write_text('[{"service_request_id": ' + big + ', "status": "open", '
                    '"requested_datetime": "2012-05-23T15:55:28-04:00"}]')  # fmt: skip
    s = load_file(path, db=db, source="open311")
    assert counts(s) == (1, 1, 0, 0, 0)
    assert read_table(db, "complaints")[0][1] == big


def _xml(records: list[str]) -> str:
    return "<?xml version='1.0' encoding='utf-8'?>\n<service_requests>\n" + "\n".join(records)


def _xml_request(i: int) -> str:
    return (
        f"<request><service_request_id>{i}</service_request_id><status>open</status>"
        "<service_name>Graffiti</service_name><description>Call Budi 081234567890</description>"
        "<requested_datetime>2012-05-22 23:57:23.97</requested_datetime></request>"
    )


def test_xml_cut_mid_record(db, tmp_path):
    path = tmp_path / "requests.xml"
    cut = _xml_request(3)
    path.write_text(_xml([_xml_request(1), _xml_request(2), cut[: cut.index("<description>")]]))
    s = load_file(path, db=db, source="open311")
    assert counts(s) == (3, 2, 0, 0, 1)
    assert quarantine(db) == [
        (3, "malformed_row", None, "the file ends inside this XML record (cut short)",
         '{"service_request_id": "3", "status": "open", "service_name": "Graffiti"}'),
    ]  # fmt: skip


def test_xml_broken_in_the_middle_is_refused(db, tmp_path):
    load_file(REAL / "open311_sanfrancisco_2012.xml", db=db, source="open311")
    before = snapshot(db)
    path = tmp_path / "broken.xml"
    path.write_text(_xml([_xml_request(1), "<request><oops></request>", _xml_request(2)])
                    + "\n</service_requests>\n")  # fmt: skip
    with pytest.raises(LoadError, match=r"row 4: not valid XML: mismatched tag"):
        load_file(path, db=db, source="open311")
    assert snapshot(db) == before


def test_truncated_workbook_is_refused(db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["id", "created_at", "status"])
    for i in range(200):
        wb.active.append([f"X{i}", "2025-03-03 08:00:00", "baru"])
    full = tmp_path / "full.xlsx"
    wb.save(full)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full.read_bytes()[:3000])
    with pytest.raises(LoadError) as err:
        load_file(cut, db=db, source="generic")
    assert str(err.value).startswith(f"file {cut}: cannot open the workbook")
    assert not db.exists()
