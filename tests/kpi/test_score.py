"""The agency score: cap, missing metrics left out, ranking threshold, city from city-wide values."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi import Warehouse, load_settings
from kpi.score import attainment, rank, score, score_parts, status
from kpi.settings import Settings, deep_merge
from tests.kpi import week_fixture as F

S = load_settings()


def test_attainment_cap_and_direction():
    assert attainment(0.45, 0.90, True, 1.25) == 0.5
    assert attainment(5.0, 4.0, True, 1.25) == 1.25  # 1.25 exactly, not capped further
    assert attainment(2.0, 1.0, True, 1.25) == 1.25  # 2.0 capped
    assert attainment(4.0, 2.0, False, 1.25) == 0.5  # lower is better: target / actual
    assert attainment(0.0, 2.0, False, 1.25) == 1.25  # zero days: best possible, capped
    assert attainment(None, 0.9, True, 1.25) is None


def test_missing_metric_is_left_out_not_zero():
    values = {"response_sla_compliance": 0.9, "resolution_sla_compliance": None,
              "clearance_rate": 2.0, "satisfaction_avg": None, "service_sla_compliance": 0.45}  # fmt: skip
    # (1.00 + 1.25 + 0.50) / 3 = 0.9167 → 0.92 (as 0: (1 + 0 + 1.25 + 0 + 0.5) / 5 = 0.55)
    assert score(values, S) == 0.92
    assert status(0.92, S) == "amber" and status(1.0, S) == "green" and status(0.8499, S) == "red"
    assert score({}, S) is None and status(None, S) is None


def test_weights_from_settings():
    raw = deep_merge(S.raw, {"score": {"metrics": {"clearance_rate": {"weight": 3.0}}}})
    values = {"response_sla_compliance": 0.9, "clearance_rate": 0.5}
    # (1.0 × 1 + 0.5 × 3) / 4 = 0.625 → 0.62 (Python rounds half to even on the binary value)
    assert score(values, Settings(raw)) == round(2.5 / 4, 2)
    parts = pd.DataFrame(score_parts(values, Settings(raw)))
    assert parts["share_of_score"].sum() == pytest.approx(0.625)


def test_rank_threshold_and_ties():
    df = pd.DataFrame({"agency_id": list("abcd"), "score": [0.9, 1.1, 0.9, 1.2],
                       "n_obligations": [10, 12, 30, 9]})  # fmt: skip
    got = rank(df, S)
    # d has the best score but 9 obligations (< 10): shown, not ranked; a and c tie for 2nd
    assert got[["agency_id", "is_ranked", "rank"]].values.tolist() == [
        ["a", True, 2], ["b", True, 1], ["c", True, 2], ["d", False, None]]  # fmt: skip


@pytest.fixture
def wh(db_factory, tmp_path):
    db = db_factory(complaints=F.COMPLAINTS, services=F.SERVICES, meta={"city": "semarang"},
                    agencies=F.AGENCIES)  # fmt: skip
    cfg = tmp_path / "uji.toml"
    cfg.write_text(F.CONFIG + "\n[score]\nmin_obligations = 3\n")
    return Warehouse.open(db, load_settings(cfg, city="semarang"))


def test_agency_scores_and_city_score(wh):
    table = wh.agency_scores("2015-W29").set_index("agency_id")
    # dpu: response 3/4 (C1 C2 C7 met, C8 late), resolution 1/4, clearance 3/5 (C1 C2 C8 closed;
    # C1 C3 C5 C7 C11 received), satisfaction (5+2)/2 = 3.5
    # → (0.8333 + 0.3125 + 0.6 + 0.875) / 4 = 0.6552 → 0.66; 8 obligations ≥ 3: ranked
    assert table.loc["dpu", "score"] == 0.66
    assert table.loc["dpu", "n_obligations"] == 8
    assert table.loc["dpu", "resolution_sla_compliance_attainment"] == pytest.approx(0.3125)
    # dlh: (1/0.9 + 1 + 1) / 3 = 1.037 → 1.04; 1 obligation: unranked
    assert table.loc["dlh", "score"] == 1.04 and not table.loc["dlh", "is_ranked"]
    # disdukcapil: services only, 1/2 on time → 0.5/0.9 = 0.56; no complaint obligations
    assert table.loc["disdukcapil", "score"] == 0.56
    assert table.loc["disdukcapil", "agency_name"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert table.loc["dpu", "rank"] == 1 and table.loc["dlh", "rank"] is None
    # the city score comes from city-wide values (0.67), not the mean of agency scores (0.75)
    assert wh.summary("2015-W29")["score"] == 0.67


def test_score_recomputes_from_breakdown(wh):
    parts = wh.score_breakdown("2015-W29")
    assert list(parts["metric"]) == [m.name for m in wh.settings.scored_metrics()]
    assert round(parts["share_of_score"].sum(), 2) == wh.summary("2015-W29")["score"]
    dpu = wh.score_breakdown("2015-W29", agency_id="dpu").set_index("metric")
    assert pd.isna(dpu.loc["service_sla_compliance", "attainment"])  # left out, weight 0
    assert dpu.loc["service_sla_compliance", "weight"] == 0.0
    assert dpu.loc["service_sla_compliance", "reason"] == "zero_denominator"  # no services
    assert dpu["reason"].drop("service_sla_compliance").isna().all()


def test_every_reason_code_is_documented(wh):
    from kpi.reasons import REASONS

    codes = set()
    for scope in (None, {"agency_id": "dpu"}, {"agency_id": "dlh"}, {"channel": "lapor"},
                  {"category": "Banjir"}, {"agency_id": "nobody"}):  # fmt: skip
        codes |= set(wh.summary("2015-W29", scope=scope)["unavailable"].values())
    assert codes and codes <= set(REASONS)
