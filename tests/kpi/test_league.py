"""The weekly league (kpi.league, KPI.md "Agency score" §4) on a hand-computed fixture, and the
default week (kpi.periods.default_week).

Only resolution SLA compliance is scored (the other weights are 0), every deadline is the
source's own (no working-day calendar involved), rows carry no response times, and 3 obligations
rank an agency. Weeks of 2015: W09 Mon 23 Feb; W10 2 Mar; W11 9 Mar; W12 16 Mar; W13 23 Mar;
W14 30 Mar; W15 6 Apr. Each deadline is Wednesday 12:00 of its week; a met one was resolved the
Tuesday before, a missed one is still open. M = met, X = missed:

    agency   W10    W11  W12  W13  W14     window W11-W14      previous window W10-W13
    dlh      M M M  M M  M M  M    M       6/6 → 1.25 (cap)    8/8 → 1.25      rank 1 → 1
    dinkes   X X X  M    M M  M    M M     6/6 → 1.25          4/7 → 0.71      rank 1 (tie) ← 3
    dpu      X X    M    M    M    M M X   5/6 → 1.04          3/5 → 0.75      rank 3 ← 2
    dishub                         M M X   2/3 → 0.83          no obligations  rank 4, new
    disdik                         M       1/1 → 1.25          –               not ranked (1 < 3)

    (score = min(compliance / 0.80, 1.25), rounded to 2 decimals)

The week W14 alone: dlh 1/1 → 1.25, dinkes 2/2 → 1.25, dpu 2/3 → 0.83, dishub 2/3 → 0.83,
disdik 1/1 → 1.25. Undisposed (agency ``unassigned``): two complaints received in W14 (one with
its deadline passed on Thu 2 Apr, one due in W16) and one received in W12, resolved in W13.
A last complaint on Mon 6 Apr 08:00 (W15) puts the data's as-of into W15's first hours.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from kpi import Warehouse, load_settings
from kpi.periods import default_week
from tests.kpi.conftest import make_db, wib

CONFIG = """
[city]
name = "Liga"
[score]
min_obligations = 3
[score.metrics.response_sla_compliance]
weight = 0.0
[score.metrics.clearance_rate]
weight = 0.0
[score.metrics.satisfaction_avg]
weight = 0.0
[score.metrics.service_sla_compliance]
weight = 0.0
"""
WEEK_MONDAY = {10: date(2015, 3, 2), 11: date(2015, 3, 9), 12: date(2015, 3, 16),
               13: date(2015, 3, 23), 14: date(2015, 3, 30)}  # fmt: skip
PLAN = {
    "dlh": {10: "MMM", 11: "MM", 12: "MM", 13: "M", 14: "M"},
    "dinkes": {10: "XXX", 11: "M", 12: "MM", 13: "M", 14: "MM"},
    "dpu": {10: "XX", 11: "M", 12: "M", 13: "M", 14: "MMX"},
    "dishub": {14: "MMX"},
    "disdik": {14: "M"},
}
NAMES = {"dlh": "Dinas Lingkungan Hidup", "dinkes": "Dinas Kesehatan", "dpu": "Dinas PU",
         "dishub": "Dinas Perhubungan", "disdik": "Dinas Pendidikan", "unassigned": "unassigned"}  # fmt: skip


def _at(d: date, hour: int) -> datetime:
    return wib(f"{d.isoformat()} {hour:02d}:00")


def complaints() -> list[dict]:
    rows = []
    for agency, weeks in PLAN.items():
        for week, marks in weeks.items():
            wed = WEEK_MONDAY[week] + timedelta(days=2)
            for i, mark in enumerate(marks):
                row = dict(
                    complaint_id=f"{agency}-{week}-{i}",
                    agency_id=agency,
                    created_at=wib("2015-02-24 09:00"),
                    has_response_time=False,
                    resolution_due_at=_at(wed, 12),
                )
                if mark == "M":
                    row.update(status="resolved", closed_at=_at(wed - timedelta(days=1), 12))
                rows.append(row)
    undisposed = dict(agency_id="unassigned", has_response_time=False)
    rows += [
        dict(undisposed, complaint_id="u1", created_at=wib("2015-03-31 09:00"),
             resolution_due_at=wib("2015-04-02 12:00")),
        dict(undisposed, complaint_id="u2", created_at=wib("2015-04-01 09:00"),
             resolution_due_at=wib("2015-04-15 12:00")),
        dict(undisposed, complaint_id="u3", created_at=wib("2015-03-17 09:00"),
             resolution_due_at=wib("2015-03-25 12:00"), status="resolved",
             closed_at=wib("2015-03-24 09:00")),
        dict(complaint_id="last", agency_id="dlh", created_at=wib("2015-04-06 08:00"),
             has_response_time=False, resolution_due_at=wib("2015-04-22 12:00")),
    ]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("league")
    db = make_db(tmp / "wh.duckdb", complaints(), agencies=NAMES)
    cfg = tmp / "liga.toml"
    cfg.write_text(CONFIG)
    return Warehouse.open(db, load_settings(cfg))


def _rows(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Whole rows as dicts, with pandas' missing values as None."""
    out = df[columns].astype(object)
    return out.where(out.notna(), None).to_dict("records")


def test_league_ranks_on_the_window_with_the_week_beside_it(wh):
    league = wh.league("2015-W14")
    assert league.window == ("2015-W11", "2015-W14") and league.n_weeks == 4
    assert league.n_ranked == 4
    got = _rows(league.agencies, ["agency_id", "rank", "score", "status", "is_ranked",
                                  "n_obligations", "not_ranked_reason", "week_score",
                                  "week_n_obligations", "prev_rank", "rank_change",
                                  "rank_change_reason"])  # fmt: skip
    assert got == [
        {"agency_id": "dinkes", "rank": 1, "score": 1.25, "status": "green", "is_ranked": True,
         "n_obligations": 6, "not_ranked_reason": None, "week_score": 1.25,
         "week_n_obligations": 2, "prev_rank": 3, "rank_change": 2, "rank_change_reason": None},
        {"agency_id": "dlh", "rank": 1, "score": 1.25, "status": "green", "is_ranked": True,
         "n_obligations": 6, "not_ranked_reason": None, "week_score": 1.25,
         "week_n_obligations": 1, "prev_rank": 1, "rank_change": 0, "rank_change_reason": None},
        {"agency_id": "dpu", "rank": 3, "score": 1.04, "status": "green", "is_ranked": True,
         "n_obligations": 6, "not_ranked_reason": None, "week_score": 0.83,
         "week_n_obligations": 3, "prev_rank": 2, "rank_change": -1, "rank_change_reason": None},
        {"agency_id": "dishub", "rank": 4, "score": 0.83, "status": "red", "is_ranked": True,
         "n_obligations": 3, "not_ranked_reason": None, "week_score": 0.83,
         "week_n_obligations": 3, "prev_rank": None, "rank_change": None,
         "rank_change_reason": "not_ranked_before"},
        {"agency_id": "disdik", "rank": None, "score": 1.25, "status": "green",
         "is_ranked": False, "n_obligations": 1, "not_ranked_reason": "few_obligations",
         "week_score": 1.25, "week_n_obligations": 1, "prev_rank": None, "rank_change": None,
         "rank_change_reason": "not_ranked"},
    ]  # fmt: skip
    assert str(league.agencies["rank"].dtype) == "Int64"  # ranks sort as numbers
    names = league.agencies.set_index("agency_id")["agency_name"]
    assert names["dpu"] == "Dinas PU"
    gaps = league.agencies.set_index("agency_id")["gap_to_target"]
    assert gaps["dpu"] == pytest.approx(0.04) and gaps["dishub"] == pytest.approx(-0.17)


def test_undisposed_complaints_are_their_own_line(wh):
    league = wh.league("2015-W14")
    assert "unassigned" not in set(league.agencies["agency_id"])
    # received in W14: u1 and u2; open at its end: both; overdue: u1 (due Thu 2 Apr)
    assert league.undisposed == {"received": 2, "backlog": 2, "overdue_backlog": 1}
    # W13: u3 resolved on Tue 24 Mar, nothing open
    assert wh.league("2015-W13").undisposed == {"received": 0, "backlog": 0, "overdue_backlog": 0}


def test_the_first_week_has_no_previous_league(wh):
    league = wh.league("2015-W09")  # the week of the first complaint: no deadlines yet
    assert league.n_ranked == 0
    assert set(league.agencies["not_ranked_reason"]) == {"no_scored_metric"}
    assert set(league.agencies["week_score_reason"]) == {"no_scored_metric"}
    assert set(league.agencies["rank_change_reason"]) == {"not_ranked"}
    w10 = wh.league("2015-W10").agencies.set_index("agency_id")
    # W10's window W07-W10: dlh 3/3 → 1.25, dinkes 0/3 → 0.0, dpu 0/2 (not ranked)
    assert w10.loc["dlh", "rank"] == 1 and w10.loc["dinkes", "rank"] == 2
    assert w10.loc["dlh", "rank_change_reason"] == "not_ranked_before"


def test_the_window_is_a_setting(tmp_path, wh):
    cfg = tmp_path / "one.toml"
    cfg.write_text(
        CONFIG.replace("min_obligations = 3", "min_obligations = 3\nrank_window_weeks = 1")
    )
    one = Warehouse.open(wh.path, load_settings(cfg))
    league = one.league("2015-W14")
    assert league.window == ("2015-W14", "2015-W14")
    # one week: the rank score is the week's score; only dpu and dishub have 3 obligations
    ranked = league.agencies[league.agencies["is_ranked"]]
    assert ranked["agency_id"].tolist() == ["dpu", "dishub"]  # a tie: by name
    assert ranked["rank"].tolist() == [1, 1]
    assert (league.agencies["score"] == league.agencies["week_score"]).all()


def test_default_week_and_its_reason(wh):
    info = wh.info()
    # as of Mon 6 Apr 08:00: W15 has hours of data; the default is the complete W14
    assert (info["latest_week"], info["default_week"], info["default_week_reason"]) == (
        "2015-W15",
        "2015-W14",
        "latest_too_early",
    )
    assert default_week(datetime(2015, 4, 10, 23, 59)) == ("2015-W14", "latest_too_early")  # Fri
    assert default_week(datetime(2015, 4, 11, 0, 0)) == ("2015-W15", "latest_working_days_in")
    assert default_week(datetime(2015, 4, 12, 23, 14)) == ("2015-W15", "latest_working_days_in")
    assert default_week(datetime(2015, 4, 13, 0, 1)) == ("2015-W15", "latest_too_early")  # Mon
