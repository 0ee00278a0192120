"""SP4N-LAPOR!-like complaints (no response or closing times) in the backlog, hand-computed.

Semarang (WIB = UTC+7), the SLA of tests/kpi/week_fixture.py (resolution: "Jalan Rusak" quick 1
working day, others normal 3; response 2). Working days: 2, 3, 6–10, 13–15, 22–24, 27–31 July
2015 (16–21 July: cuti bersama, Idul Fitri, weekend). Weeks: W28 = Mon 6 – Sun 12 Jul,
W29 = 13–19, W30 = 20–26, W31 = 27 Jul – 2 Aug. Weekly LAPOR! exports at Monday 00:00 WIB:
E1 = 6 Jul, E2 = 13 Jul, E3 = 20 Jul, E4 = 27 Jul; ``status_history`` holds one row per status
change seen. The estimated closing time of a resolved LAPOR! row is the first export in which
it appears resolved (after its last non-resolved sighting).

L1 Thu 2 Jul 10:00 Banjir, due Tue 7 Jul 23:59:59 (3, 6, 7); E1 in_progress, E2 resolved
   → closed 13 Jul 00:00 (in W29; still in backlog(13 Jul 00:00), as closed_at ≥ t).
L2 Wed 8 Jul 09:00 Jalan Rusak, due Thu 9 Jul 23:59:59; E2 open, E3 in_progress: never closed.
L3 Tue 14 Jul 08:00 Banjir, due Thu 23 Jul 23:59:59 (15, 22, 23); E3 resolved → closed 20 Jul.
L4 Mon 6 Jul 10:00 Banjir, due Thu 9 Jul 23:59:59; E2 resolved, E3 in_progress (reopened),
   E4 resolved → closed 27 Jul 00:00 (it was open again in the 20 Jul export).
L5 Tue 7 Jul 11:00, E2 rejected: invalid (counts only in received and rejected_share).
L6 Wed 15 Jul 10:00 resolved but no status history: when it closed is unknown, so it stays
   out of the backlog, closed and clearance (it counts in received).
X1 (source with exact times, agency dlh) Mon 13 Jul 09:00 Jalan Rusak: response due Wed 15th,
   resolution due Tue 14th 23:59:59; responded 13 Jul 10:00; resolved Tue 14 Jul 10:00 (25 h,
   met); rated 4.
X2 (exact source) Tue 28 Jul 09:00 Banjir, due Fri 31 Jul; open. Sets the data's as-of.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpi import Warehouse, load_settings
from tests.kpi import week_fixture as F
from tests.kpi.conftest import make_db, wib

LAPOR = dict(source="lapor", channel="sms", has_response_time=False, has_close_time=False)
E1, E2, E3, E4 = (wib(f"2015-07-{d} 00:00") for d in ("06", "13", "20", "27"))

COMPLAINTS = [
    dict(LAPOR, complaint_id="L1", created_at=wib("2015-07-02 10:00"), status="resolved",
         closed_at_missing=True),
    dict(LAPOR, complaint_id="L2", category="Jalan Rusak", created_at=wib("2015-07-08 09:00"),
         status="in_progress"),
    dict(LAPOR, complaint_id="L3", created_at=wib("2015-07-14 08:00"), status="resolved",
         closed_at_missing=True),
    dict(LAPOR, complaint_id="L4", created_at=wib("2015-07-06 10:00"), status="resolved",
         closed_at_missing=True),
    dict(LAPOR, complaint_id="L5", created_at=wib("2015-07-07 11:00"), status="rejected",
         closed_at_missing=True),
    dict(LAPOR, complaint_id="L6", created_at=wib("2015-07-15 10:00"), status="resolved",
         closed_at_missing=True),
    dict(complaint_id="X1", agency_id="dlh", category="Jalan Rusak",
         created_at=wib("2015-07-13 09:00"), first_response_at=wib("2015-07-13 10:00"),
         closed_at=wib("2015-07-14 10:00"), status="resolved", satisfaction=4),
    dict(complaint_id="X2", created_at=wib("2015-07-28 09:00")),
]  # fmt: skip
HISTORY = [
    ("lapor", "L1", "in_progress", E1), ("lapor", "L1", "resolved", E2),
    ("lapor", "L2", "open", E2), ("lapor", "L2", "in_progress", E3),
    ("lapor", "L3", "resolved", E3),
    ("lapor", "L4", "resolved", E2), ("lapor", "L4", "in_progress", E3),
    ("lapor", "L4", "resolved", E4),
    ("lapor", "L5", "rejected", E2),
    ("test", "X1", "resolved", E3),  # an exact-time source: its history is not used
]  # fmt: skip


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lapor")
    db = make_db(tmp / "wh.duckdb", COMPLAINTS, (), {"city": "semarang"}, F.AGENCIES, HISTORY)
    cfg = tmp / "uji.toml"
    cfg.write_text(F.CONFIG)
    w = Warehouse.open(db, load_settings(cfg, city="semarang"))
    yield w
    w.close()


def test_estimated_closing_times(wh):
    got = dict(wh.con.execute("SELECT complaint_id, done_at FROM c ORDER BY 1").fetchall())
    # L1: first resolved in E2; L3: E3; L4: E4 (the run after its reopening); L5 rejected,
    # L6 without history: no estimate; X1: its own closing time
    assert got == {"L1": E2, "L2": None, "L3": E3, "L4": E4, "L5": None, "L6": None,
                   "X1": wib("2015-07-14 10:00"), "X2": None}  # fmt: skip


def test_weekly_backlog_with_estimates(wh):
    w = wh.weekly("2015-W27", "2015-W31").set_index("week")
    cols = ["received", "n_received_close_known", "closed", "n_closed_estimated", "backlog",
            "overdue_backlog"]  # fmt: skip
    assert w[cols].to_dict("index") == {
        # W27: L1 received; open at 6 Jul 00:00 (its deadline, 7 Jul, not yet passed)
        "2015-W27": dict(zip(cols, [1, 1, 0, 0, 1, 0], strict=True)),
        # W28: L2 L4 L5 received (L5 rejected); nothing closed; open at 13 Jul 00:00: L1 (closes
        # exactly then: closed_at ≥ t is still open), L2, L4: all three past their deadlines
        "2015-W28": dict(zip(cols, [3, 2, 0, 0, 3, 3], strict=True)),
        # W29: L3 L6 X1 received (L6 not tracked); closed L1 (estimated 13 Jul 00:00) and X1;
        # open at 20 Jul 00:00: L2, L3 (closes exactly then), L4 (reopened); overdue L2, L4
        "2015-W29": dict(zip(cols, [3, 2, 2, 1, 3, 2], strict=True)),
        # W30: L3 closed (20 Jul 00:00); open at 27 Jul 00:00: L2, L4, both overdue
        "2015-W30": dict(zip(cols, [0, 0, 1, 1, 2, 2], strict=True)),
        # W31 (as of X2, 28 Jul 09:00): X2 received, L4 closed (27 Jul 00:00); open: L2 and X2,
        # overdue: L2 (X2 due 31 Jul)
        "2015-W31": dict(zip(cols, [1, 1, 1, 1, 2, 1], strict=True)),
    }
    # the invariant holds exactly: backlog(end) = backlog(start) + received (tracked) − closed
    prev = w["backlog"].shift(1, fill_value=0)
    assert (w["backlog"] == prev + w["n_received_close_known"] - w["closed"]).all()
    series = wh.backlog_series("2015-W28", "2015-W30")
    assert series.to_dict("records") == [
        {"week_end": date(2015, 7, 13), "backlog": 3, "overdue_backlog": 3},
        {"week_end": date(2015, 7, 20), "backlog": 3, "overdue_backlog": 2},
        {"week_end": date(2015, 7, 27), "backlog": 2, "overdue_backlog": 2},
    ]


def test_week_summary_keeps_estimates_out_of_exact_metrics(wh):
    s = wh.summary("2015-W29")
    assert (s["received"], s["closed"], s["backlog"], s["overdue_backlog"]) == (3, 2, 3, 2)
    assert s["rejected_share"] == 0  # L5 was received in W28
    assert s["clearance_rate"] == 1.0  # closed L1 + X1 over tracked received L3 + X1
    # durations, reopen rate, ratings and the resolution SLA: X1 only (L1's closing time is an
    # estimate); X1 took 25 hours and met its deadline (14 Jul 23:59:59)
    assert s["median_days_to_resolve"] == pytest.approx(25 / 24)
    assert s["p90_days_to_resolve"] == pytest.approx(25 / 24)
    assert (s["reopen_rate"], s["rated_share"], s["satisfaction_avg"]) == (0.0, 1.0, 4.0)
    assert s["resolution_sla_compliance"] == 1.0
    # response metrics: X1 only (LAPOR! has no response times): responded within 1 hour
    assert (s["response_rate"], s["response_sla_compliance"]) == (1.0, 1.0)
    # ages at 20 Jul 00:00: L3 5d16h → 4–7; L2 11d15h, L4 13d14h → 8–14
    assert s["backlog_age_buckets"] == {"0-3": 0, "4-7": 1, "8-14": 2, "15-30": 0, "31-60": 0,
                                        "60+": 0}  # fmt: skip
    # score: response 1/0.9, resolution 1/0.8 → capped 1.25, clearance 1, satisfaction 4/4
    # → (1.1111 + 1.25 + 1 + 1) / 4 = 1.09
    assert s["score"] == 1.09


def test_lapor_only_scope(wh):
    # the dpu agency holds every LAPOR! row and X2; W30: only L3's estimated closing
    s = wh.summary("2015-W30", scope={"agency_id": "dpu"})
    assert (s["received"], s["closed"], s["backlog"], s["overdue_backlog"]) == (0, 1, 2, 2)
    assert s["clearance_rate"] is None  # nothing received: zero denominator
    assert s["unavailable"]["clearance_rate"] == "zero_denominator"
    # closed in W30 only by estimate: no exact durations, reopen rate or ratings
    for name in ("median_days_to_resolve", "reopen_rate", "rated_share", "satisfaction_avg"):
        assert s[name] is None, name
    # a LAPOR!-only scope (channel sms: L1–L6): the reason names the closing times
    lapor = wh.summary("2015-W29", scope={"channel": "sms"})
    assert (lapor["received"], lapor["closed"], lapor["clearance_rate"]) == (2, 1, 1.0)
    for name in ("median_days_to_resolve", "resolution_sla_compliance", "reopen_rate",
                 "satisfaction_avg", "rated_share"):  # fmt: skip
        assert lapor[name] is None, name
        assert lapor["unavailable"][name] == "no_closing_times", name
    assert lapor["unavailable"]["response_rate"] == "no_response_times"


def test_views_include_open_lapor_rows(wh):
    t = wib("2015-07-20 00:00")
    oldest = wh.oldest_open(t)
    assert list(oldest["complaint_id"]) == ["L4", "L2", "L3"]
    assert list(oldest["is_overdue"]) == [True, True, False]
    ages = wh.backlog_ages(t, by="source")
    assert ages[ages["n"] > 0].to_dict("records") == [
        {"source": "lapor", "bucket": "4-7", "n": 1},
        {"source": "lapor", "bucket": "8-14", "n": 2},
    ]
    # what to fix first for dpu at Sun 19 Jul 23:00: L2 and L4, both past their resolution
    # deadline (9 Jul 23:59:59) by 9 days 23:00:01; no response deadline (LAPOR!). dpu's W29:
    # closed L1 of tracked received L3 → clearance 1.0 is its only scored value (score 1.00);
    # one more resolution: 2/1 → attainment capped at 1.25 → gain 0.25
    fix = wh.fix_first("dpu", as_of=wib("2015-07-19 23:00"))
    assert sorted(fix["complaint_id"]) == ["L2", "L4"]
    assert set(fix["due_kind"]) == {"resolution"}
    assert fix["days_overdue"].tolist() == pytest.approx([9 + (23 * 3600 + 1) / 86400] * 2)
    assert fix["score_gain"].tolist() == pytest.approx([0.25, 0.25])


def test_sources_without_ratings_are_left_out(db_factory):
    # "nr" never collects ratings (no row has one, like Boston 311); "test" does. W29:
    # B1 B2 (nr, agency dlh) and R1 R2 (test, dpu) all resolved in the week; only R1 is rated (5)
    rows = [
        dict(complaint_id="B1", source="nr", agency_id="dlh", created_at=wib("2015-07-13 09:00"),
             closed_at=wib("2015-07-14 10:00"), status="resolved"),
        dict(complaint_id="B2", source="nr", agency_id="dlh", created_at=wib("2015-07-13 10:00"),
             closed_at=wib("2015-07-15 10:00"), status="resolved"),
        dict(complaint_id="R1", created_at=wib("2015-07-13 09:00"),
             closed_at=wib("2015-07-14 12:00"), status="resolved", satisfaction=5),
        dict(complaint_id="R2", created_at=wib("2015-07-14 09:00"),
             closed_at=wib("2015-07-15 09:00"), status="resolved"),
    ]  # fmt: skip
    wh = Warehouse.open(db_factory(complaints=rows, meta={"city": "semarang"}))
    city = wh.summary("2015-W29")
    # closed 4, but only R1 and R2 come from a source that collects ratings: 1 rated of 2
    # (it was 1 of 4 when B1 and B2 counted as "not rated")
    assert (city["closed"], city["rated_share"], city["satisfaction_avg"]) == (4, 0.5, 5.0)
    w = wh.weekly("2015-W29", "2015-W29").iloc[0]
    assert (w["n_closed_rateable"], w["n_rated"]) == (2, 1)
    # the nr-only agency: nothing to rate, so both are missing, with the reason
    dlh = wh.summary("2015-W29", scope={"agency_id": "dlh"})
    assert dlh["closed"] == 2
    for name in ("rated_share", "satisfaction_avg"):
        assert dlh[name] is None
        assert dlh["unavailable"][name] == "no_ratings"
    # the rating source in a week without closings: a zero denominator, not "no ratings"
    dpu = wh.summary("2015-W30", scope={"agency_id": "dpu"})
    assert dpu["rated_share"] is None
    assert dpu["unavailable"]["rated_share"] == "zero_denominator"
    wh.close()
