"""Hand-computed metrics for the week of tests/kpi/week_fixture.py (read its docstring first)."""

from __future__ import annotations

import pytest

from kpi import Warehouse, load_settings
from tests.kpi import week_fixture as F


@pytest.fixture
def wh(db_factory, tmp_path):
    db = db_factory(complaints=F.COMPLAINTS, services=F.SERVICES, meta={"city": "semarang"},
                    agencies=F.AGENCIES)  # fmt: skip
    cfg = tmp_path / "uji.toml"
    cfg.write_text(F.CONFIG)
    w = Warehouse.open(db, load_settings(cfg, city="semarang"))
    yield w
    w.close()


def test_city_week_every_metric(wh):
    got = wh.summary("2015-W29")
    expected = {
        # created 13–19 Jul local: C1 C3 C4 C5 C7 C9 C10 C11 (C2, C6, C8 before; C12 after)
        "received": 8,
        "rejected_share": 1 / 8,  # C4
        # valid, source reports responses: C1 C3 C5 C7 C10 C11; answered by as-of: C1 C5 C7 C10
        "response_rate": 4 / 6,
        # response deadlines in the week: C1 (15th) C2 (14th) C7 (15th) C8 (14th, late) C10 (15th)
        "response_sla_compliance": 4 / 5,
        # resolution deadlines in the week: C1 (14th, met exactly at 23:59:59), C2 (15th, resolved
        # 16th), C7 (source deadline 17th, still open), C8 (13th, resolved 15th) → 1 of 4
        "resolution_sla_compliance": 1 / 4,
        # first responses in the week (days): C1 1/24, C5 4/24, C10 21/24, C2 46/24, C7 64/24,
        # C8 113/24 → median (21+46)/48; p90 at position 4.5: 64/24 + 0.5 × 49/24
        "median_days_to_respond": (21 + 46) / 48,
        "p90_days_to_respond": 64 / 24 + 0.5 * 49 / 24,
        # resolved in the week: C1 140399 s, C10 94/24, C8 114/24, C2 119/24 → median (94+114)/48;
        # p90 at position 2.7: 114/24 + 0.7 × 5/24
        "median_days_to_resolve": (94 + 114) / 48,
        "p90_days_to_resolve": 114 / 24 + 0.7 * 5 / 24,
        "closed": 4,  # C1 C2 C8 C10 (C9 has no closing time)
        "clearance_rate": 4 / 6,  # over valid received whose source reports closing times
        "backlog": 5,  # open at Mon 20 00:00: C3 C5 C6 C7 C11
        "overdue_backlog": 2,  # C6 (due 9th), C7 (source deadline 17th)
        "reopen_rate": 1 / 4,  # C2
        "satisfaction_avg": 11 / 3,  # C1 5, C2 2, C10 4 (C8 unrated)
        "rated_share": 3 / 4,
        "services_submitted": 2,  # S1 S2
        "services_completed": 2,  # S1 S3
        "service_sla_compliance": 1 / 2,  # due in the week: S1 (met), S3 (late)
        "median_days_to_complete": (25 / 24 + 4) / 2,  # S1 25 h, S3 4 days
        "service_backlog": 1,  # S2
    }
    for name, value in expected.items():
        assert got[name] == pytest.approx(value), name
    # ages at Mon 20 00:00: C5 3d16h, C11 4h → 0–3; C3 5d13h, C7 6d17h → 4–7; C6 11d15h → 8–14
    assert got["backlog_age_buckets"] == {
        "0-3": 2,
        "4-7": 2,
        "8-14": 1,
        "15-30": 0,
        "31-60": 0,
        "60+": 0,
    }
    # attainments 0.8/0.9, 0.25/0.8, 0.6667/1, 3.6667/4, 0.5/0.9 → mean 0.66806 → 0.67, red
    assert got["score"] == 0.67
    assert got["score_status"] == "red"
    assert got["n_obligations"] == 9
    assert got["period"] == {"start": "2015-07-13", "end": "2015-07-20"}
    assert got["as_of"] == "2015-07-19T17:00:00"  # the period end (Mon 20 00:00 WIB) in UTC
    assert got["unavailable"] == {}


def test_agency_scope_and_sources_without_times(wh):
    dlh = wh.summary("2015-W29", scope={"agency_id": "dlh"})
    # only C10: received 1, responded 21 h after, resolved on Idul Fitri before its deadline
    assert (dlh["received"], dlh["closed"], dlh["backlog"]) == (1, 1, 0)
    assert dlh["response_sla_compliance"] == 1.0
    assert dlh["resolution_sla_compliance"] is None  # its deadline (22nd) is not in the week
    assert dlh["unavailable"]["resolution_sla_compliance"] == "zero_denominator"
    # services belong to disdukcapil: none for dlh
    assert dlh["service_sla_compliance"] is None
    # attainments: response 1/0.9 = 1.111, clearance 1.0, satisfaction 4/4 = 1.0 → 1.04
    assert dlh["score"] == 1.04 and dlh["score_status"] == "green"

    lapor = wh.summary("2015-W29", scope={"channel": "lapor"})
    assert lapor["received"] == 1
    for name in ("response_rate", "response_sla_compliance", "median_days_to_respond"):
        assert lapor[name] is None
        assert lapor["unavailable"][name] == "no_response_times"
    for name in ("resolution_sla_compliance", "clearance_rate", "median_days_to_resolve"):
        assert lapor[name] is None
    assert lapor["unavailable"]["resolution_sla_compliance"] == "no_closing_times"
    assert lapor["unavailable"]["median_days_to_resolve"] == "no_closing_times"
    # an estimated closing needs a status history, and this row has none
    assert lapor["unavailable"]["clearance_rate"] == "no_status_history"
    assert lapor["score"] is None


def test_as_of_cuts_the_period(wh):
    # as of Wed 15 12:00 WIB: received C1 C3 C7 C9 C10; C4 (14:00) not yet
    got = wh.summary("2015-W29", as_of="2015-07-15 05:00:00")
    assert got["as_of"] == "2015-07-15T05:00:00"
    assert got["received"] == 5
    # deadlines passed by then: C8 response (14th, missed), C2 response (14th, met),
    # C8 resolution (13th), C1 resolution (14th, met)
    assert got["response_sla_compliance"] == 0.5
    assert got["resolution_sla_compliance"] == 0.5
    # open then: C2 C3 C6 C7 C10 (C8 was resolved at 10:00 that morning)
    assert got["backlog"] == 5
    assert got["closed"] == 2  # C1, C8


def test_weekly_equals_summary_and_agencies_add_up(wh):
    weekly = wh.weekly("2015-W28", "2015-W30")
    assert list(weekly["week"]) == ["2015-W28", "2015-W29", "2015-W30"]
    w29 = weekly.set_index("week").loc["2015-W29"]
    summary = wh.summary("2015-W29")
    for name in ("received", "backlog", "response_sla_compliance", "score", "clearance_rate"):
        assert w29[name] == pytest.approx(summary[name]), name
    # backlog(end W29) = backlog(end W28) + valid received with closing times − closed
    w28 = weekly.set_index("week").loc["2015-W28"]
    assert w28["backlog"] == 3  # C2 C6 C8
    assert w29["backlog"] == w28["backlog"] + 6 - w29["closed"]
    by_agency = wh.weekly("2015-W28", "2015-W30", by="agency_id")
    sums = by_agency.groupby("week")[["received", "closed", "backlog"]].sum()
    assert sums.to_dict("index") == weekly.set_index("week")[
        ["received", "closed", "backlog"]
    ].to_dict("index")
