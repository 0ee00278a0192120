"""The fast date macros agree with DuckDB's own zone conversion (ICU) and with each other."""

from datetime import datetime

import duckdb
import pytest

from etl import sqlfuncs

FMTS = ["%Y-%m-%d %H:%M:%S", "%d %b %Y %H:%M:%S"]
LOCAL = [
    "1950-06-01 12:00:00",  # before 1970: ICU (Jakarta was UTC+7:30 then)
    "1963-12-31 23:59:59",
    "1970-01-01 00:00:00",
    "2024-03-10 02:30:00",  # inside New York's spring-forward gap
    "2024-11-03 01:30:00",  # New York's repeated hour
    "2024-07-01 08:15:00",
    "2039-12-31 23:00:00",
    "2041-01-01 00:00:00",  # after 2040: ICU
]


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "America/New_York", "UTC", "Asia/Jayapura"])
def test_local_to_utc_matches_icu(zone):
    con = duckdb.connect()
    sqlfuncs.install(con, zone, FMTS)
    for text in LOCAL:
        ours, icu = con.execute(
            "SELECT kj_ts(?, ?), timezone('UTC', strptime(?, ?)::TIMESTAMPTZ)",
            [text, FMTS, text, FMTS[0]],
        ).fetchall()[0]
        assert ours == icu, (zone, text)


def test_fixed_offset_only_for_constant_zones():
    con = duckdb.connect()
    offsets = {}
    for zone in ("Asia/Jakarta", "Asia/Makassar", "UTC", "America/New_York", "Europe/London"):
        con.execute(f"SET TimeZone = '{zone}'")
        offsets[zone] = sqlfuncs.fixed_offset(con)
    assert offsets == {
        "Asia/Jakarta": 7 * 3600,
        "Asia/Makassar": 8 * 3600,
        "UTC": 0,
        "America/New_York": None,
        "Europe/London": None,
    }


def test_month_names_and_iso_fallback():
    con = duckdb.connect()
    sqlfuncs.install(con, "Asia/Jakarta", FMTS)
    rows = con.execute(
        "SELECT kj_ts('23 Sep 2024 07:00:00', $f), kj_ts('1 Desember 2021 07:00:00', $f), "
        "kj_ts('1 Mei 2021 07:00:00', $f), kj_ts('kemarin', $f), "
        "kj_ts_iso('2024-01-01T09:00:00+02:00', $f), kj_ts_iso('2024-01-01T09:00:00', $f)",
        {"f": FMTS},
    ).fetchall()[0]
    assert rows == (
        datetime(2024, 9, 23, 0, 0),
        datetime(2021, 12, 1, 0, 0),
        datetime(2021, 5, 1, 0, 0),
        None,
        datetime(2024, 1, 1, 7, 0),
        datetime(2024, 1, 1, 2, 0),
    )
