"""Deteriorating agencies, coming due and stale data on hand-made weeks (fires, quiet, edges).

Every complaint carries its source's own deadlines, so each figure is set by hand: a complaint
created on Mon 5 Jan 2026 and never closed counts in the overdue backlog from its resolution
deadline on; a response obligation falls in the week of its response deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from kpi import Warehouse, load_settings
from kpi.alerts import week_alerts
from kpi.alerts.due import coming_due, horizon
from tests.kpi.conftest import make_db, wib

FAR = wib("2026-12-31 12:00")


def monday(week: int) -> date:
    return date.fromisocalendar(2026, week, 1)


def overdue(agency: str, per_week: dict[int, int]) -> list[dict]:
    """``n`` open complaints whose resolution deadline falls on Wednesday of ISO week w."""
    out = []
    for week, n in per_week.items():
        for k in range(n):
            out.append({"complaint_id": f"{agency}-od-{week}-{k}", "agency_id": agency,
                        "created_at": wib("2026-01-05 09:00"), "response_due_at": FAR,
                        "first_response_at": wib("2026-01-05 10:00"),
                        "resolution_due_at": wib(f"{monday(week) + timedelta(days=2)} 12:00")})  # fmt: skip
    return out


def responses(agency: str, per_week: dict[int, tuple[int, int]]) -> list[dict]:
    """(due, met) response obligations on Thursday of ISO week w; resolution far away."""
    out = []
    for week, (due, met) in per_week.items():
        thursday = monday(week) + timedelta(days=3)
        for k in range(due):
            out.append({"complaint_id": f"{agency}-r-{week}-{k}", "agency_id": agency,
                        "created_at": wib("2026-01-05 09:00"),
                        "response_due_at": wib(f"{thursday} 12:00"),
                        "first_response_at": wib(f"{thursday} 08:00") if k < met else None,
                        "resolution_due_at": FAR})  # fmt: skip
    return out


END = [{"complaint_id": "END", "agency_id": "zz", "created_at": wib("2026-03-16 09:00"),
        "response_due_at": FAR, "resolution_due_at": FAR}]  # fmt: skip


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deteriorating")
    complaints = (
        overdue("a-rising", {8: 5, 9: 7, 10: 8})          # 0 → 5 → 12 → 20: +20 ≥ 15
        + overdue("b-edge", {8: 5, 9: 5, 10: 5})          # 0 → 5 → 10 → 15: +15, the edge
        + overdue("c-short", {8: 5, 9: 5, 10: 4})         # 0 → 5 → 10 → 14: +14, quiet
        + overdue("d-dip", {7: 10, 8: 5, 10: 5})          # 10 → 15 → 15 → 20: a flat week, quiet
        + responses("e-drop", {9: (20, 19), 10: (20, 14)})    # 95 % → 70 %, p = 0.019
        + responses("f-mild", {9: (20, 19), 10: (20, 17)})    # 95 % → 85 %: a 10-point drop
        + responses("g-few", {9: (9, 9), 10: (9, 0)})         # 9 deadlines a week: too few
        + responses("h-fell", {w: (10, 10) for w in (6, 7, 8, 9)} | {10: (10, 0)})
        + responses("i-small", {w: (7, 7) for w in (6, 7, 8, 9)} | {10: (7, 0)})
        + END
    )  # fmt: skip
    db = make_db(tmp / "wh.duckdb", complaints)
    return Warehouse.open(db, load_settings())


def found(wh, week="2026-W10", family="deteriorating"):
    return sorted((a.agency_id, a.rule) for a in week_alerts(wh, week, families=(family,)))


def test_deteriorating_agencies(wh):
    # h-fell: response-only score on the 4-week window: W06–W09 40/40 → 1.0/0.9 = 1.11 (green);
    # W07–W10 30/40 → 0.75/0.9 = 0.83 (red), 40 obligations ≥ 30: fell by 0.28.
    # i-small: the same pattern with 28 obligations in the window: quiet.
    # e-drop's window score falls too: W06–W09 19/20 → 1.06 (green); W07–W10 33/40 → 0.92
    # (amber), 40 obligations: fell by 0.14.
    assert found(wh) == [
        ("a-rising", "overdue_rising"),
        ("b-edge", "overdue_rising"),
        ("e-drop", "response_drop"),
        ("e-drop", "score_fell"),
        ("h-fell", "response_drop"),
        ("h-fell", "score_fell"),
    ]
    by_key = {(a.agency_id, a.rule): a for a in week_alerts(wh, "2026-W10")}
    assert by_key[("a-rising", "overdue_rising")].figures == {
        "overdue_backlog": 20, "weeks": 3, "rise": 20, "series": [0, 5, 12, 20]}  # fmt: skip
    fell = by_key[("h-fell", "score_fell")].figures
    assert fell == {"score": 0.83, "before": 1.11, "status": "red", "status_before": "green",
                    "window_weeks": 4, "n_obligations": 40}  # fmt: skip
    drop = by_key[("e-drop", "response_drop")].figures
    assert (drop["now"], drop["before"], drop["n_due"], drop["n_due_before"]) == (
        0.7, 0.95, 20, 20)  # fmt: skip
    assert drop["p_value"] == pytest.approx(0.0187341, rel=1e-5)


def test_the_week_before_is_quiet(wh):
    # in W09 nothing has risen three weeks yet and no response rate has fallen
    assert found(wh, "2026-W09") == []


def test_thresholds_from_the_settings(wh, tmp_path):
    cfg = tmp_path / "strict.toml"
    cfg.write_text(
        "[alerts.deteriorating]\nmin_rise = 21\nresponse_p_value = 0.01\nscore_min_drop = 0.15\n"
    )
    strict = Warehouse.open(wh.path, load_settings(cfg))
    assert found(strict) == [("h-fell", "response_drop"), ("h-fell", "score_fell")]


# ---- coming due ----------------------------------------------------------------------------
# Week 2026-W07 (9–15 Feb) ends on Mon 16 Feb, a cuti bersama, and Tue 17 Feb is Lunar New Year:
# the next five working days are Wed 18, Thu 19, Fri 20, Mon 23 and Tue 24 Feb.
DUE = [
    {"complaint_id": "E1", "agency_id": "dpu", "resolution_due_at": wib("2026-02-18 23:59:59")},
    {"complaint_id": "E2", "agency_id": "dpu", "resolution_due_at": wib("2026-02-24 23:59:59")},
    {"complaint_id": "E3", "agency_id": "dpu", "resolution_due_at": wib("2026-02-25 12:00")},
    {"complaint_id": "E4", "agency_id": "dpu", "resolution_due_at": wib("2026-02-13 12:00")},
    {"complaint_id": "E5", "agency_id": "dpu", "resolution_due_at": wib("2026-02-19 12:00"),
     "status": "resolved", "closed_at": wib("2026-02-12 10:00")},
    {"complaint_id": "E6", "agency_id": "dlh", "resolution_due_at": wib("2026-02-20 15:30")},
    {"complaint_id": "E7", "agency_id": "dpu", "created_at": wib("2026-02-16 10:00"),
     "resolution_due_at": wib("2026-02-18 23:59:59")},
]  # fmt: skip


@pytest.fixture(scope="module")
def due_wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("due")
    rows = [{"created_at": wib("2026-02-02 09:00"), "response_due_at": FAR,
             "first_response_at": wib("2026-02-02 10:00"), **r} for r in DUE]  # fmt: skip
    return Warehouse.open(make_db(tmp / "wh.duckdb", rows), load_settings())


def test_horizon_skips_holidays(due_wh):
    days, end = horizon(due_wh.settings, date(2026, 2, 16), 5)
    assert days == [date(2026, 2, d) for d in (18, 19, 20, 23, 24)]
    assert end == wib("2026-02-24 23:59:59")


def test_coming_due_list_and_alerts(due_wh):
    # E1 and E2 (the fifth working day, the edge) are in; E3 (the sixth) is out; E4 is already
    # overdue, E5 closed, E7 created after the week
    got = coming_due(due_wh, "2026-W07", agency="dpu")
    assert got.drop(columns=["created_at_local"]).to_dict("records") == [
        {"source": "test", "complaint_id": "E1", "title": "aduan", "agency_id": "dpu",
         "category": "Banjir", "district": "Semarang Tengah",
         "due_at_local": pd.Timestamp("2026-02-18 23:59:59"), "working_days_left": 1},
        {"source": "test", "complaint_id": "E2", "title": "aduan", "agency_id": "dpu",
         "category": "Banjir", "district": "Semarang Tengah",
         "due_at_local": pd.Timestamp("2026-02-24 23:59:59"), "working_days_left": 5},
    ]  # fmt: skip
    alerts = week_alerts(due_wh, "2026-W07", families=("coming_due",))
    assert [(a.agency_id, a.figures["count"], a.figures["due_first_day"]) for a in alerts] == [
        ("dpu", 2, 1), ("dlh", 1, 0)]  # fmt: skip
    assert week_alerts(due_wh, "2026-W07", agency="dlh", families=("coming_due",))[0].figures == {
        "count": 1, "working_days": 5, "first_due": "2026-02-20T15:30:00", "due_first_day": 0}  # fmt: skip


def test_coming_due_days_from_the_settings(due_wh, tmp_path):
    cfg = tmp_path / "d.toml"
    cfg.write_text("[alerts.coming_due]\nworking_days = 6\nmin_count = 2\n")
    wide = Warehouse.open(due_wh.path, load_settings(cfg))
    assert list(coming_due(wide, "2026-W07", agency="dpu")["complaint_id"]) == ["E1", "E2", "E3"]
    alerts = week_alerts(wide, "2026-W07", families=("coming_due",))
    assert [(a.agency_id, a.figures["count"]) for a in alerts] == [("dpu", 3)]  # dlh: 1 < 2


# ---- stale data ----------------------------------------------------------------------------
def add_loads(db, loads: list[tuple[str, str, str]]) -> None:
    """(source, exported_at as UTC text, outcome) rows in ``loads``."""
    con = duckdb.connect(str(db))
    for i, (source, exported, outcome) in enumerate(loads, start=1):
        con.execute(
            "INSERT INTO loads (load_id, source, exported_at, finished_at, outcome, region_code)"
            " VALUES (?, ?, ?, ?, ?, '00.00')",
            [i, source, exported, "2026-03-20 00:00:00", outcome],
        )
    con.close()


def test_stale_sources(tmp_path):
    # W11 ends Mon 16 Mar 00:00 WIB = Sun 15 Mar 17:00 UTC
    db = make_db(tmp_path / "wh.duckdb", END)
    add_loads(db, [
        # weekly, last export 15 days before: over 2 × 7 = 14 → stale
        ("lapor", "2026-02-14 17:00", "loaded"), ("lapor", "2026-02-21 17:00", "loaded"),
        ("lapor", "2026-02-28 17:00", "loaded"), ("lapor", "2026-03-01 17:00", "failed"),
        # weekly, last export exactly 14 days before: not over the limit
        ("open311", "2026-02-15 17:00", "loaded"), ("open311", "2026-02-22 17:00", "loaded"),
        ("open311", "2026-03-01 17:00", "loaded"),
        # daily, last export 3.5 days before: over max(2 × 1, min_days 3) → stale
        ("generic", "2026-03-10 17:00", "loaded"), ("generic", "2026-03-11 17:00", "loaded"),
        ("generic", "2026-03-12 05:00", "loaded"),
        # one export, 10 days before: the default interval (7 days) allows 14
        ("boston311", "2026-03-05 17:00", "loaded"),
        # an export after the week's end is not seen for that week
        ("nyc311", "2026-03-16 01:00", "loaded"),
    ])  # fmt: skip
    wh = Warehouse.open(db, load_settings())
    alerts = week_alerts(wh, "2026-W11", families=("stale",))
    # ordered by how far past its limit: generic 3.5 / 3 before lapor 15 / 14
    assert [(a.subject["source"], a.figures) for a in alerts] == [
        ("generic", {"last_export": "2026-03-12T05:00:00", "age_days": 3.5, "usual_days": 0.75,
                     "limit_days": 3.0}),
        ("lapor", {"last_export": "2026-02-28T17:00:00", "age_days": 15.0, "usual_days": 7.0,
                   "limit_days": 14.0}),
    ]  # fmt: skip
    assert [a.page for a in alerts] == ["data", "data"]
