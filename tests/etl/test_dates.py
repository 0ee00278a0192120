"""Times as real feeds write them, and times no complaint can have (issue 9 points 3, 4, 9):
fractions of 1-9 digits, T or space, offsets or Z in every mapping; impossible offsets and
implausible dates quarantined with the column named; the bounds configurable per field."""

import json
import subprocess
import sys
from datetime import datetime

import pytest

from etl.errors import LoadError
from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table

EXPORT = "2025-03-10T00:00:00"


def counts(s):
    return (s.read, s.inserted, s.updated, s.unchanged, s.quarantined)


def quarantine(db):
    return [(q[3], q[4], q[5], q[6]) for q in read_table(db, "quarantine", "line_no")]


def created(db) -> dict:
    return {r[1]: r[12] for r in read_table(db, "complaints")}


def _generic(tmp_path, rows, extra_header=""):
    path = tmp_path / "export.csv"
    path.write_text("id,created_at,status" + extra_header + "\n" + "\n".join(rows) + "\n")
    return path


def test_year_1_year_9999_and_2099_are_quarantined_and_readers_keep_working(db, tmp_path):
    path = _generic(tmp_path, [
        "F1,0001-01-01 00:00:00,baru",
        "F2,9999-12-31 23:59:59,baru",
        "F3,2099-01-01 10:00:00,baru",
        "F4,2025-03-03 08:00:00,baru",
    ])  # fmt: skip
    s = load_file(path, db=db, source="generic", exported_at=EXPORT)
    assert counts(s) == (4, 1, 0, 0, 3)
    assert s.reasons == {"implausible_date": 3}
    assert quarantine(db) == [
        (2, "implausible_date", "created_at", "value 0001-01-01 00:00:00 is before 1990-01-01"),
        (3, "implausible_date", "created_at",
         "value 9999-12-31 23:59:59 is after 2025-03-12 00:00 UTC (the export time + 2 days)"),
        (4, "implausible_date", "created_at",
         "value 2099-01-01 10:00:00 is after 2025-03-12 00:00 UTC (the export time + 2 days)"),
    ]  # fmt: skip
    status = subprocess.run([sys.executable, "-m", "etl", "status", "--db", str(db), "--rows", "5"],
                            capture_output=True, text=True)  # fmt: skip
    assert status.returncode == 0, status.stderr
    summary = subprocess.run(
        [sys.executable, "-m", "kpi", "summary", "--db", str(db), "--week", "2025-W10", "--json"],
        capture_output=True,
        text=True,
    )
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["received"] == 1


def test_every_time_field_is_bounded_and_deadlines_may_lie_ahead(db, tmp_path):
    path = _generic(tmp_path, [
        "B1,2025-03-03 08:00:00,selesai,2025-03-04 08:00:00,1989-12-31 23:00:00",
        "B2,2025-03-03 08:00:00,selesai,2031-03-04 08:00:00,2025-03-05 08:00:00",
        "B3,2025-03-03 08:00:00,selesai,2025-03-04 08:00:00,2025-03-05 08:00:00",
    ], ",first_response_at,closed_at")  # fmt: skip
    s = load_file(path, db=db, source="generic", exported_at=EXPORT)
    assert s.reasons == {"implausible_date": 2}
    assert [q[:3] for q in quarantine(db)] == [
        (2, "implausible_date", "closed_at"),
        (3, "implausible_date", "first_response_at"),
    ]
    boston = tmp_path / "boston.csv"
    header = (
        (FIXTURES.parent.parent.parent / "data" / "real" / "boston311_2015.csv").open().readline()
    )
    cells = [""] * len(header.split(","))
    names = [c.strip() for c in header.strip().split(",")]
    cells[names.index("CASE_ENQUIRY_ID")] = "1"
    cells[names.index("OPEN_DT")] = "03/03/2025 08:00:00 AM"
    cells[names.index("TARGET_DT")] = "03/03/2026 08:00:00 AM"  # a deadline a year ahead: fine
    cells[names.index("CASE_STATUS")] = "Open"
    boston.write_text(header + ",".join(cells) + "\n")
    s = load_file(boston, db=tmp_path / "b.duckdb", source="boston311", exported_at=EXPORT)
    assert counts(s) == (1, 1, 0, 0, 0)


def test_bounds_are_configurable_in_a_mapping(db, tmp_path):
    mapping = tmp_path / "desk.toml"
    mapping.write_text(
        """
name = "desk"
[columns]
complaint_id = "id"
created_at = "created_at"
status = "status"
resolution_due_at = "due"
[statuses]
open = ["baru"]
[dates]
formats = ["%Y-%m-%d %H:%M:%S"]
min = 2020-01-01
max_future_days = 0
[dates.fields.resolution_due_at]
max_future_days = 30
"""
    )
    path = _generic(tmp_path, [
        "D1,2019-12-31 23:00:00,baru,",
        "D2,2025-03-10 06:00:00,baru,",  # 06:00 WIB = 23:00 UTC the day before: in bounds
        "D3,2025-03-10 08:00:00,baru,",  # 01:00 UTC, after the export time
        "D4,2025-03-03 08:00:00,baru,2025-04-30 08:00:00",
        "D5,2025-03-03 08:00:00,baru,2025-04-01 08:00:00",
    ], ",due")  # fmt: skip
    s = load_file(path, db=db, mapping=mapping, exported_at=EXPORT)
    assert counts(s) == (5, 2, 0, 0, 3)
    assert [q[:3] for q in quarantine(db)] == [
        (2, "implausible_date", "created_at"),
        (4, "implausible_date", "created_at"),
        (5, "implausible_date", "resolution_due_at"),
    ]


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2010-11-15 01:05:25.727", datetime(2010, 11, 15, 9, 5, 25, 727000)),
        ("2010-11-15 01:05:25.7", datetime(2010, 11, 15, 9, 5, 25, 700000)),
        ("2010-11-15 01:05:25.73", datetime(2010, 11, 15, 9, 5, 25, 730000)),
        ("2010-11-15 01:05", datetime(2010, 11, 15, 9, 5)),
        ("2010-11-15T01:05:25.123456789Z", datetime(2010, 11, 15, 1, 5, 25, 123457)),
        ("2010-11-15T01:05:25.5+07:00", datetime(2010, 11, 14, 18, 5, 25, 500000)),
        ("2010-11-15T01:05:25-0500", datetime(2010, 11, 15, 6, 5, 25)),
        ("2010-11-15 01:05:25 +07", datetime(2010, 11, 14, 18, 5, 25)),
    ],
)
def test_open311_feed_times(db, tmp_path, text, utc):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([{"service_request_id": "1", "status": "open",
                                 "requested_datetime": text}]))  # fmt: skip
    s = load_file(path, db=db, source="open311", exported_at="2011-01-01T00:00:00")
    assert counts(s) == (1, 1, 0, 0, 0)
    assert created(db) == {"1": utc}


def test_a_feed_of_1001_requests_with_milliseconds_loads_whole(db, tmp_path):
    recs = []
    for i in range(1001):
        frac = ["", ".727", ".7", ".73"][i % 4]
        when = f"2010-11-15 01:05:{i % 60:02d}{frac}" if i % 5 else "2010-11-15 01:05"
        recs.append({"service_request_id": str(i), "status": "open", "requested_datetime": when,
                     "updated_datetime": when})  # fmt: skip
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(recs))
    s = load_file(path, db=db, source="open311", exported_at="2011-01-01T00:00:00")
    assert counts(s) == (1001, 1001, 0, 0, 0)


def test_impossible_offsets_are_unparseable(db, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([
        {"service_request_id": "1", "status": "open", "requested_datetime": "2010-11-15 01:05:25+25:00"},
        {"service_request_id": "2", "status": "open", "requested_datetime": "2010-11-15T01:05:25+05:60"},
        {"service_request_id": "3", "status": "open", "requested_datetime": "2010-11-15T01:05:25+14:00"},
    ]))  # fmt: skip
    s = load_file(path, db=db, source="open311", exported_at="2011-01-01T00:00:00")
    assert counts(s) == (3, 1, 0, 0, 2)
    assert [q[:3] for q in quarantine(db)] == [
        (1, "unparseable_date", "created_at"),
        (2, "unparseable_date", "created_at"),
    ]


def test_iso_times_in_every_builtin_mapping(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_SALT", "t")
    iso = "2015-03-03T08:00:00.5Z"
    want = datetime(2015, 3, 3, 8, 0, 0, 500000)
    boston_header = (
        (FIXTURES.parent.parent.parent / "data" / "real" / "boston311_2015.csv").open().readline()
    )
    names = [c.strip() for c in boston_header.strip().split(",")]
    cells = [""] * len(names)
    cells[names.index("CASE_ENQUIRY_ID")] = "1"
    cells[names.index("OPEN_DT")] = iso
    cells[names.index("CASE_STATUS")] = "Open"
    nyc_header = (
        (FIXTURES.parent.parent.parent / "data" / "real" / "nyc311_2022-05.csv").open().readline()
    )
    nyc = [c.strip() for c in nyc_header.strip().split(",")]
    ncells = [""] * len(nyc)
    ncells[nyc.index("Unique Key")] = "1"
    ncells[nyc.index("Created Date")] = iso
    ncells[nyc.index("Status")] = "Open"
    lapor = FIXTURES.joinpath("lapor_ringkas.csv").read_text().splitlines()
    head = lapor[:11]
    lcells = lapor[11].split(",")
    lcells[1], lcells[2] = "2015-03-03", "15:00:00.5+07:00"
    files = {
        "boston311": ("b.csv", boston_header + ",".join(cells) + "\n"),
        "nyc311": ("n.csv", nyc_header + ",".join(ncells) + "\n"),
        "lapor": ("l.csv", "\n".join([*head, ",".join(lcells)]) + "\n"),
        "generic": ("g.csv", f"id,created_at,status\n1,{iso},open\n"),
        "generic_services": ("s.csv", f"id,submitted_at,status\n1,{iso},open\n"),
        "open311": (
            "o.json",
            json.dumps([{"service_request_id": "1", "status": "open", "requested_datetime": iso}]),
        ),  # fmt: skip
    }
    for source, (name, text) in files.items():
        path = tmp_path / name
        path.write_text(text)
        db = tmp_path / f"{source}.duckdb"
        s = load_file(path, db=db, source=source, exported_at="2015-06-01T00:00:00")
        assert (source, s.inserted, s.quarantined) == (source, 1, 0)
        table = "services" if source == "generic_services" else "complaints"
        column = 6 if source == "generic_services" else 12
        assert read_table(db, table)[0][column] == want, source


def test_percent_f_reads_one_to_nine_digits_in_a_user_mapping(tmp_path):
    mapping = tmp_path / "feed.toml"
    mapping.write_text(
        'name = "feed"\ntimezone = "UTC"\n[columns]\ncomplaint_id = "id"\ncreated_at = "t"\n'
        'status = "s"\n[statuses]\nopen = ["o"]\n[dates]\nformats = ["%d/%m/%Y %H:%M:%S.%f"]\n'
    )
    path = tmp_path / "feed.csv"
    path.write_text("id,t,s\n1,15/11/2010 01:05:25.7,o\n2,15/11/2010 01:05:25.123456789,o\n")
    db = tmp_path / "k.duckdb"
    s = load_file(path, db=db, mapping=mapping, exported_at="2011-01-01T00:00:00")
    assert counts(s) == (2, 2, 0, 0, 0)
    assert created(db) == {
        "1": datetime(2010, 11, 15, 1, 5, 25, 700000),
        "2": datetime(2010, 11, 15, 1, 5, 25, 123457),  # rounded to the microsecond
    }


def test_a_bad_date_format_is_blamed_on_the_mapping(db, tmp_path):
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        'name = "mine"\n[columns]\ncomplaint_id = "id"\ncreated_at = "t"\nstatus = "s"\n'
        '[statuses]\nopen = ["o"]\n[dates]\nformats = ["%Y-%m-%d", "%Q"]\n'
    )
    with pytest.raises(LoadError) as err:
        load_file(FIXTURES / "generic_complaints.csv", db=db, mapping=mapping)
    assert str(err.value) == (
        f"file {mapping}: invalid mapping: [dates] formats: '%Q' is not a date format "
        "(Failed to parse format specifier %Q: Unrecognized format for strftime/strptime: %Q)"
    )


def test_a_user_mapping_cannot_take_a_builtin_name(db, tmp_path):
    mapping = tmp_path / "lapor.toml"
    mapping.write_text(
        'name = "lapor"\n[columns]\ncomplaint_id = "id"\ncreated_at = "created_at"\n'
        'status = "status"\n[statuses]\nopen = ["baru"]\n'
    )
    with pytest.raises(LoadError) as err:
        load_file(FIXTURES / "generic_complaints.csv", db=db, mapping=mapping)
    assert str(err.value) == (
        f"file {mapping}, column 'name': invalid mapping: name 'lapor' belongs to a built-in "
        "source; give your mapping its own name (its rows would mix with the built-in source's)"
    )


def test_satisfaction_must_be_a_whole_rating(db, tmp_path):
    path = _generic(tmp_path, [
        "S1,2025-03-03 08:00:00,selesai,0.6",
        "S2,2025-03-03 08:00:00,selesai,4.0",
        "S3,2025-03-03 08:00:00,selesai,4.5",
        "S4,2025-03-03 08:00:00,selesai,5",
        "S5,2025-03-03 08:00:00,selesai,7",
    ], ",satisfaction")  # fmt: skip
    load_file(path, db=db, source="generic", exported_at=EXPORT)
    assert {r[1]: r[22] for r in read_table(db, "complaints")} == {
        "S1": None, "S2": 4, "S3": None, "S4": 5, "S5": None,
    }  # fmt: skip
