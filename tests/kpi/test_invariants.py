"""Invariants on real and realistic data: the Boston 311 file (loaded by the ETL) and the demo
city (built by etl.demo). They hold for every ISO week and every agency:

- backlog(t) = backlog(t − 1 week) + valid complaints received (whose closing time is known or,
  for SP4N-LAPOR!, estimated from the exports) − complaints resolved in between;
- the demo's LAPOR! backlog equals an independent recomputation from its status history;
- the agencies' counts add up to the city's;
- every share lies in [0, 1];
- the score recomputes from its parts.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from kinerja.paths import REAL_DATA_DIR
from kpi import Warehouse
from kpi.score import score

BOSTON = REAL_DATA_DIR / "boston311_2015.csv"
SHARES = ["rejected_share", "response_rate", "response_sla_compliance",
          "resolution_sla_compliance", "reopen_rate", "rated_share", "service_sla_compliance"]  # fmt: skip
COUNTS = ["received", "closed", "backlog", "overdue_backlog", "n_received_close_known",
          "n_response_due", "n_response_met", "n_resolution_due", "n_resolution_met",
          "services_submitted", "services_completed", "service_backlog"]  # fmt: skip


@pytest.fixture(scope="module")
def boston(tmp_path_factory):
    from etl.load import load_file

    db = tmp_path_factory.mktemp("boston") / "boston.duckdb"
    load_file(BOSTON, db=db, source="boston311")
    wh = Warehouse.open(db)
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from etl.demo import build_demo

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(db=db, city="semarang", weeks=10, seed=3, end=date(2026, 11, 22))
    wh = Warehouse.open(db)
    yield wh
    wh.close()


def check_invariants(wh: Warehouse) -> pd.DataFrame:
    city = wh.weekly()
    assert len(city) >= 8
    # backlog carries over exactly from week to week (the first week starts from zero)
    prev = city["backlog"].shift(1, fill_value=0)
    assert (city["backlog"] == prev + city["n_received_close_known"] - city["closed"]).all()
    overdue_ok = city["overdue_backlog"] <= city["backlog"]
    assert overdue_ok.all()
    # agencies add up to the city, week by week
    agencies = wh.weekly(by="agency_id")
    summed = agencies.groupby("week")[COUNTS].sum()
    assert (summed.values == city.set_index("week")[COUNTS].values).all()
    # per agency the carry-over holds too
    for _, rows in agencies.groupby("agency_id"):
        prev = rows["backlog"].shift(1, fill_value=0)
        assert (rows["backlog"] == prev + rows["n_received_close_known"] - rows["closed"]).all()
    # shares in [0, 1]; medians non-negative
    for frame in (city, agencies):
        values = frame[SHARES].to_numpy(dtype=float)
        assert np.nanmin(values) >= 0 and np.nanmax(values) <= 1
        assert (frame["median_days_to_resolve"].dropna() >= 0).all()
    # the score recomputes from the metric values (the documented rule, row by row)
    for frame in (city, agencies):
        for row in frame.to_dict("records"):
            expected = score(row, wh.settings)
            assert (expected is None and np.isnan(row["score"])) or expected == row["score"]
    # a week's summary is the week's row
    week = wh.info()["last_complete_week"]
    summary = wh.summary(week)
    row = city.set_index("week").loc[week]
    for name in ("received", "closed", "backlog", "overdue_backlog", "resolution_sla_compliance"):
        assert summary[name] == pytest.approx(row[name], nan_ok=True), name
    parts = wh.score_breakdown(week)
    assert round(parts["share_of_score"].sum(), 2) == summary["score"]
    return city


def test_boston_invariants(boston):
    assert boston.settings.country == "US"  # the boston311 source selects the boston preset
    city = check_invariants(boston)
    # Boston 311 reports no first-response times: those metrics are unavailable, with a reason
    s = boston.summary("2015-W10")
    assert s["response_rate"] is None and s["unavailable"]["response_rate"] == "no_response_times"
    # nor any satisfaction rating: rated_share and satisfaction_avg are missing (not 0.0), with
    # the reason, in every week
    for name in ("rated_share", "satisfaction_avg"):
        assert s[name] is None and s["unavailable"][name] == "no_ratings"
        assert city[name].isna().all()
    assert s["closed"] > 0 and (city["n_closed_rateable"] == 0).all()
    # 35,894 records read, 155 quarantined (closed before created), 35,739 complaints
    assert boston.info()["n_complaints"] == 35_739
    assert int(city["received"].sum()) == 35_739
    q = boston.quarantine_summary()
    assert q.to_dict("records") == [
        {"source": "boston311", "reason": "closed_before_created", "n": 155}
    ]
    assert boston.load_history()["outcome"].tolist() == ["loaded"]
    assert boston.freshness()["n_rows"].tolist() == [35_739]


def test_boston_uses_target_dt(boston):
    # where the export has TARGET_DT it is the resolution deadline; elsewhere the calendar's
    n_source, n_total = boston.con.execute(
        "SELECT count(*) FILTER (res_due_from_source), count(*) FROM c"
    ).fetchall()[0]
    raw = boston.con.execute("SELECT count(resolution_due_at) FROM wh.complaints").fetchall()[0][0]
    assert n_source == raw and 0 < n_source < n_total
    same = boston.con.execute(
        "SELECT count(*) FROM c JOIN wh.complaints w USING (source, complaint_id) "
        "WHERE w.resolution_due_at IS NOT NULL AND c.res_due <> w.resolution_due_at"
    ).fetchall()[0][0]
    assert same == 0


def test_demo_invariants(demo):
    check_invariants(demo)
    assert demo.info()["is_demo"]
    week = demo.info()["last_complete_week"]
    scores = demo.agency_scores(week)
    ranked = scores[scores["is_ranked"]]
    assert (ranked["n_obligations"] >= demo.settings.min_obligations).all()
    assert (
        sorted(ranked["rank"].tolist())
        == ranked["score"].rank(method="min", ascending=False).astype(int).sort_values().tolist()
    )


def test_boston_computed_deadlines_match_the_reference(boston):
    # Eastern time has DST, so local dates go through ICU; compare with the pure-Python rule
    from kpi.calendar import add_working_days

    rows = boston.con.execute(
        "SELECT created_at, resp_due, res_due FROM c WHERE NOT res_due_from_source "
        "ORDER BY complaint_id LIMIT 60"
    ).fetchall()
    assert len(rows) == 60
    s = boston.settings
    for created, resp_due, res_due in rows:
        assert resp_due == add_working_days(created, s.response_days, s)
        assert res_due == add_working_days(created, s.default_resolution_days, s)


def lapor_backlog_by_hand(wh: Warehouse, cuts: list) -> list[int]:
    """LAPOR! rows open at each cut, recomputed in pandas from complaints and status_history:
    valid, created before the cut, and not resolved, or first seen resolved (after the last
    non-resolved sighting) at or after the cut; resolved rows without such a sighting are out."""
    rows = wh.con.execute(
        "SELECT complaint_id, status, created_at FROM wh.complaints WHERE source = 'lapor'"
    ).df()
    hist = wh.con.execute(
        "SELECT complaint_id, status, seen_at FROM wh.status_history WHERE source = 'lapor'"
    ).df()
    last_other = hist[hist["status"] != "resolved"].groupby("complaint_id")["seen_at"].max()
    res = hist[hist["status"] == "resolved"].copy()
    res["after"] = res["complaint_id"].map(last_other)
    res = res[res["after"].isna() | (res["seen_at"] > res["after"])]
    est = res.groupby("complaint_id")["seen_at"].min()
    rows["est"] = rows["complaint_id"].map(est)
    rows = rows[
        (rows["status"] != "rejected") & ~((rows["status"] == "resolved") & rows["est"].isna())
    ]
    out = []
    for t in cuts:
        open_ = (rows["created_at"] < t) & ((rows["status"] != "resolved") | (rows["est"] >= t))
        out.append(int(open_.sum()))
    return out


def test_demo_lapor_backlog(demo):
    by_source = demo.weekly(by="source")
    lapor = by_source[by_source["source"] == "lapor"].reset_index(drop=True)
    as_of = demo.info()["data_as_of"]
    # week ends: the next Monday 00:00 WIB (UTC+7), or the data's as-of in its last week
    cuts = [
        min(
            pd.Timestamp(ws) + timedelta(days=7) - timedelta(hours=7),
            as_of + timedelta(microseconds=1),
        )
        for ws in lapor["week_start"]
    ]
    assert lapor["backlog"].tolist() == lapor_backlog_by_hand(demo, cuts)
    assert lapor["backlog"].iloc[-2] > 100 and lapor["closed"].sum() > 100
    # estimated closings never enter durations, reopen rate, ratings or the resolution SLA
    for name in (
        "median_days_to_resolve",
        "reopen_rate",
        "rated_share",
        "resolution_sla_compliance",
    ):
        assert lapor[name].isna().all(), name
    assert (lapor["n_closed_estimated"] == lapor["closed"]).all()
    # the backlog ages at the last complete week's end add up to its LAPOR! backlog
    week = demo.info()["last_complete_week"]
    t = pd.Timestamp(demo.weeks().set_index("week").loc[week, "week_end"]) - timedelta(hours=7)
    ages = demo.backlog_ages(t, by="source")
    assert (
        ages[ages["source"] == "lapor"]["n"].sum() == lapor.set_index("week").loc[week, "backlog"]
    )
