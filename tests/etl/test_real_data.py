"""The real published exports in data/real load with exact, asserted counts."""

from datetime import datetime

import duckdb
import pytest

from etl.load import load_file
from tests.etl.conftest import REAL


def counts(s):
    return (s.read, s.inserted, s.updated, s.unchanged, s.quarantined)


def query(db, sql):
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def boston(tmp_path_factory):
    db = tmp_path_factory.mktemp("boston") / "b.duckdb"
    return db, load_file(REAL / "boston311_2015.csv", db=db, source="boston311")


def test_boston_counts(boston):
    db, s = boston
    assert counts(s) == (35894, 35739, 0, 0, 155)
    assert s.reasons == {"closed_before_created": 155}
    rows = query(db, "SELECT status, count(*), count(closed_at), count(resolution_due_at) "
                 "FROM wh.complaints GROUP BY status ORDER BY status")  # fmt: skip
    assert rows == [
        ("open", 6113, 0, 3649),
        ("rejected", 1752, 1752, 1084),
        ("resolved", 27874, 27874, 14841),
    ]


def test_boston_quarantine_rows(boston):
    db, _ = boston
    rows = query(db, "SELECT reason, column_name, count(*), min(line_no) >= 2 "
                 "FROM wh.quarantine GROUP BY ALL")  # fmt: skip
    assert rows == [("closed_before_created", "closed_at", 155, True)]


def test_boston_open_with_closed_reason_stays_open(boston):
    db, _ = boston
    # 17 rows: CASE_STATUS Open, CLOSURE_REASON "Case Closed..."; no CLOSED_DT -> open
    rows = query(
        db,
        """SELECT c.status, count(*), count(c.closed_at)
        FROM wh.complaints c JOIN read_csv(?, all_varchar = true) r
          ON r.CASE_ENQUIRY_ID = c.complaint_id
        WHERE r.CASE_STATUS = 'Open' AND r.CLOSURE_REASON LIKE 'Case Closed%'
        GROUP BY ALL""".replace("?", "'" + str(REAL / "boston311_2015.csv") + "'"),
    )
    assert rows == [("open", 17, 0)]


def test_boston_times_in_utc(boston):
    db, _ = boston
    # 472974,101001245811,01/12/2015 09:35:56 AM (EST, UTC-5) ... 04/23/2015 09:31:52 AM (EDT)
    row = query(db, "SELECT created_at, closed_at, agency_id, channel, status FROM wh.complaints "
                "WHERE complaint_id = '101001245811'")  # fmt: skip
    assert row == [
        (datetime(2015, 1, 12, 14, 35, 56), datetime(2015, 4, 23, 13, 31, 52),
         "US-BOS:office-of-civil-rights", "phone", "resolved")
    ]  # fmt: skip


def test_nyc(tmp_path):
    db = tmp_path / "n.duckdb"
    s = load_file(REAL / "nyc311_2022-05.csv", db=db, source="nyc311")
    assert counts(s) == (924, 924, 0, 0, 0)
    rows = query(db, "SELECT status, count(*), count(closed_at), count(resolution_due_at) "
                 "FROM wh.complaints GROUP BY status ORDER BY status")  # fmt: skip
    assert rows == [("in_progress", 440, 0, 0), ("open", 4, 0, 0), ("resolved", 480, 480, 0)]
    first = query(db, "SELECT created_at, agency_id FROM wh.complaints "
                  "WHERE complaint_id = '54049402'")  # fmt: skip
    # 05/01/2022 12:00:03 AM EDT = 04:00:03 UTC
    assert first == [(datetime(2022, 5, 1, 4, 0, 3), "US-NYC:new-york-city-police-department")]


def test_open311_json_bloomington(tmp_path):
    db = tmp_path / "o.duckdb"
    s = load_file(REAL / "open311_bloomington_2012.json", db=db, source="open311")
    assert counts(s) == (21, 21, 0, 0, 0)
    rows = query(db, "SELECT status, count(*), count(lat), sum(closed_at_missing::INT) "
                 "FROM wh.complaints GROUP BY status ORDER BY status")  # fmt: skip
    assert rows == [("open", 18, 10, 0), ("resolved", 3, 3, 3)]
    # "2012-05-23T15:55:28-04:00" -> 19:55:28 UTC; description (free text) not stored
    row = query(db, "SELECT created_at, agency_id, body, title FROM wh.complaints "
                "WHERE complaint_id = '4fbd40b2b1fe2c4b02000001'")  # fmt: skip
    assert row == [(datetime(2012, 5, 23, 19, 55, 28), "00.00:street-department", None,
                    "Traffic Suggestions")]  # fmt: skip


def test_open311_xml_sanfrancisco(tmp_path):
    db = tmp_path / "o.duckdb"
    s = load_file(REAL / "open311_sanfrancisco_2012.xml", db=db, source="open311")
    assert counts(s) == (56, 56, 0, 0, 0)
    rows = query(db, "SELECT status, count(*), count(lat), count(resolution_due_at) "
                 "FROM wh.complaints GROUP BY status ORDER BY status")  # fmt: skip
    assert rows == [("open", 52, 43, 37), ("resolved", 4, 4, 3)]
    assert query(db, "SELECT DISTINCT agency_id FROM wh.complaints") == [("00.00:unassigned",)]
    # "2012-05-22 23:57:23.97" in America/Los_Angeles (PDT, UTC-7); lat/long 0.0 -> NULL
    row = query(db, "SELECT created_at, resolution_due_at, lat, lon, raw_status "
                "FROM wh.complaints WHERE complaint_id = '1129806'")  # fmt: skip
    assert row == [(datetime(2012, 5, 23, 6, 57, 23, 970000), datetime(2012, 5, 31, 15, 30),
                    None, None, "Open")]  # fmt: skip


def test_boston_reload_changes_nothing(boston):
    from tests.etl.conftest import snapshot

    db, _ = boston
    before = snapshot(db)
    s = load_file(REAL / "boston311_2015.csv", db=db, source="boston311")
    assert counts(s) == (35894, 0, 0, 35739, 155)
    assert snapshot(db) == before
