"""Invariants on real and realistic data: the Boston 311 file (loaded by the ETL) and the demo
city (built by etl.demo). They hold for every ISO week and every agency:

- backlog(t) = backlog(t − 1 week) + valid complaints received (from sources with closing
  times) − complaints resolved in between;
- the agencies' counts add up to the city's;
- every share lies in [0, 1];
- the score recomputes from its parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja.paths import ROOT
from kpi import Warehouse
from kpi.score import score

BOSTON = ROOT.parent / "shared" / "data" / "real" / "boston311_2015.csv"
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
    build_demo(db=db, city="semarang", weeks=10, seed=3)
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
    assert s["response_rate"] is None and "first-response" in s["unavailable"]["response_rate"]
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
    # LAPOR! exports carry no response or closing times: unavailable for the lapor channel
    week = demo.info()["last_complete_week"]
    lapor = demo.summary(week, scope={"channel": "lapor"})
    if lapor["received"]:
        assert lapor["response_sla_compliance"] is None
        assert "closing times" in lapor["unavailable"]["clearance_rate"]
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
