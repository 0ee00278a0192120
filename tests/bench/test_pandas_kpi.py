"""The pandas reference of the benchmark, on a hand-computed fixture (Jakarta, Feb 2026).

Mon 16 and Tue 17 Feb 2026 are holidays (Imlek cuti bersama and Imlek). Weeks: W07 starts Mon
9 Feb, W08 Mon 16 Feb, W09 Mon 23 Feb. Category "Sampah" has 5 resolution days, others 14.
"""

import datetime as dt

import duckdb
import pytest

from bench.pandas_kpi import Rules, backlog_series, prepare, read, weekly
from kinerja.paths import ROOT

LOCAL = dt.timedelta(hours=7)
ROWS = [
    # id, agency, category, status, created, first_response, closed (local wall times)
    ("A1", "a", "Sampah", "resolved", "2026-02-11 10:00", "2026-02-12 09:00", "2026-02-23 08:00"),
    ("A2", "a", "Sampah", "rejected", "2026-02-13 16:00", None, "2026-02-13 17:00"),
    ("A3", "a", "Jalan", "open", "2026-02-14 20:00", None, None),
    ("A4", "a", "Sampah", "resolved", "2026-02-16 08:00", "2026-02-16 09:00", "2026-02-17 10:00"),
    ("B1", "b", "Sampah", "in_progress", "2026-02-19 12:00", "2026-02-27 10:00", None),
]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "schema.sql").read_text())
    for cid, agency, cat, status, *times in ROWS:
        utc = [dt.datetime.fromisoformat(t) - LOCAL if t else None for t in times]
        con.execute(
            "INSERT INTO complaints (source, complaint_id, agency_id, category, status, created_at,"
            " first_response_at, closed_at, has_response_time, has_close_time, region_code,"
            " id_scope) VALUES ('t', ?, ?, ?, ?, ?, ?, ?, true, true, '00.00', '')",
            [cid, agency, cat, status, *utc],
        )
    con.close()
    return str(path)


def test_deadlines_skip_weekends_and_holidays(db):
    df = prepare(read(db), Rules(category_days={"Sampah": 5}))
    key = df["created_at"].dt.strftime("%d %H")
    due = dict(zip(key, df["response_due_at"].astype(str), strict=True))
    # A1 Wed 11: Thu12 Fri13 (Mon16 Tue17 off) Wed18 Thu19 Fri20 -> Fri 20 end of day.
    assert due["11 10"] == "2026-02-20 23:59:59"
    # A3 Sat 14 and A4 Mon 16 (a holiday): Wed18 .. Tue24.
    assert due["14 20"] == "2026-02-24 23:59:59"
    assert due["16 08"] == "2026-02-24 23:59:59"
    res = dict(zip(key, df["resolution_due_at"].astype(str), strict=True))
    assert res["14 20"] == "2026-03-09 23:59:59"  # 14 working days after Sat 14


def test_weekly_hand_computed(db):
    df = prepare(read(db), Rules(category_days={"Sampah": 5}))
    out = weekly(df, dt.datetime(2026, 2, 27, 12, 0))
    out["week"] = out["week_start"].dt.strftime("%m-%d")
    cols = [
        "received",
        "closed",
        "backlog",
        "response_rate",
        "response_sla_compliance",
        "resolution_sla_compliance",
        "clearance_rate",
        "rejected_share",
    ]
    got = {
        (r.week, r.agency_id): tuple(None if v != v else v for v in (getattr(r, c) for c in cols))
        for r in out.itertuples()
    }
    # Days from receipt: A1 responded after 23 h, resolved after 11 d 22 h; A4 after 1 h / 26 h.
    resolve = out.set_index(["week", "agency_id"])["median_days_to_resolve"]
    assert resolve[("02-16", "a")] == pytest.approx(26 / 24)
    assert resolve[("02-23", "a")] == pytest.approx(11 + 22 / 24)
    respond = out.set_index(["week", "agency_id"])["median_days_to_respond"]
    assert respond[("02-09", "a")] == pytest.approx(23 / 24)
    assert respond[("02-16", "a")] == pytest.approx(1 / 24)
    assert respond[("02-23", "b")] == pytest.approx(7 + 22 / 24)
    third = 1 / 3
    assert got == {
        # A1, A2 (rejected), A3 received; only A1 responded by week end; nothing due yet.
        ("02-09", "a"): (3, 0, 2, 0.5, None, None, 0.0, third),
        # A4 received and resolved; A1's response (met) and resolution (missed) fall due Fri 20.
        ("02-16", "a"): (1, 1, 2, 1.0, 1.0, 0.0, 1.0, 0.0),
        # A1 resolved late; due Tue 24: A3's response (missed) and A4's (met), A4's resolution.
        ("02-23", "a"): (0, 1, 1, None, 0.5, 1.0, None, None),
        ("02-09", "b"): (0, 0, 0, None, None, None, None, None),
        # B1 not responded by the end of its week.
        ("02-16", "b"): (1, 0, 1, 0.0, None, None, 0.0, 0.0),
        # B1 responded Fri 27, after its Thu 26 deadline; not resolved by then either.
        ("02-23", "b"): (0, 0, 1, None, 0.0, 0.0, None, None),
    }


def test_backlog_series_hand_computed(db):
    df = prepare(read(db), Rules(category_days={"Sampah": 5}))
    out = backlog_series(df, dt.datetime(2026, 2, 27, 12, 0))
    got = [(str(r.week_end.date()), r.backlog, r.overdue_backlog) for r in out.itertuples()]
    # End W07 (Mon 16 00:00): A1, A3 open, nothing due. End W08: A1 (due Fri 20, open) overdue,
    # A3 and B1 open, not yet due (A4 resolved Tue 17). At as_of Fri 27 12:00: A1 resolved Mon 23; A3 (due Mon 9 Mar) and
    # B1 (resolution due Thu 26) open, B1 overdue.
    assert got == [("2026-02-16", 2, 0), ("2026-02-23", 3, 1), ("2026-03-02", 2, 1)]
