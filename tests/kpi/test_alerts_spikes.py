"""Spike alerts on hand-made weeks: fires, stays quiet, and the edges of each threshold.

Weeks 2026-W02 … W09 before the week judged (2026-W10, Mon 2 Mar – Sun 8 Mar WIB); W02 holds
the first complaint, so it counts as a possibly partial first week and the baseline is the
seven whole weeks W03 … W09. One more complaint on Mon 9 Mar makes W10 complete. Default rule: x ≥ 5, x ≥ 2 × μ and
P(X ≥ x | Poisson(μ)) < 0.001, μ = the cell's mean over the 8 weeks before (at least 0.5).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpi import Warehouse, load_settings
from kpi.alerts import week_alerts
from kpi.alerts.spikes import cell_counts
from kpi.alerts.stats import poisson_upper_tail, proportion_drop_p
from tests.kpi.conftest import make_db, wib

W02 = date(2026, 1, 5)  # Monday of 2026-W02


def rows(counts: list[int], category="Banjir", district="Genuk", channel="web", region="00.00",
         prefix="C") -> list[dict]:  # fmt: skip
    """``counts[i]`` complaints on Tuesday 10:00 WIB of week W02 + i."""
    out = []
    for week, n in enumerate(counts):
        day = W02 + timedelta(weeks=week, days=1)
        for k in range(n):
            out.append({
                "complaint_id": f"{prefix}{region}-{category}-{district}-{channel}-{week}-{k}",
                "created_at": wib(f"{day.isoformat()} 10:{k % 60:02d}"),
                "category": category, "district": district, "channel": channel,
                "region_code": region, "agency_id": f"{region}:dpu",
            })  # fmt: skip
    return out


LATER = [{"complaint_id": "LATER", "created_at": wib("2026-03-09 09:00"), "category": "Lainnya",
          "district": "Tugu", "channel": "phone"}]  # fmt: skip


def open_wh(tmp_path, complaints, config: str | None = None, city=None) -> Warehouse:
    db = make_db(tmp_path / "wh.duckdb", complaints + LATER, meta={"city": city} if city else None)
    cfg = None
    if config:
        cfg = tmp_path / "alerts.toml"
        cfg.write_text(config)
    return Warehouse.open(db, load_settings(cfg, city=city))


def spikes(wh, week="2026-W10", region=None):
    return [(a.rule, a.subject) for a in week_alerts(wh, week, region, families=("spike",))]


def test_the_two_statistics_by_hand():
    # Poisson(2): P(X ≥ 8) = 1 − Σ_{k<8} e^-2 2^k / k! = 0.0010967; P(X ≥ 9) = 0.00023745
    assert poisson_upper_tail(8, 2) == pytest.approx(0.00109671897, rel=1e-8)
    assert poisson_upper_tail(9, 2) == pytest.approx(0.000237447328, rel=1e-8)
    assert poisson_upper_tail(0, 3) == 1.0 and poisson_upper_tail(3, 0) == 0.0
    # 19 of 20 met, then 14 of 20: pooled 33/40, z = 0.25 / 0.12021 = 2.0797, p = 0.018734
    assert proportion_drop_p(19, 20, 14, 20) == pytest.approx(0.0187341, rel=1e-5)
    assert proportion_drop_p(5, 10, 5, 10) == 0.5 and proportion_drop_p(0, 0, 3, 5) == 1.0


def test_fires_on_a_surge_in_a_district_and_its_channel(tmp_path):
    # Genuk (web): 2 a week, then 9: μ = 2 (W03–W09), P(X ≥ 9) = 0.00024 < 0.001, 9 ≥ 2 × 2
    # Tugu (whatsapp): 10 a week throughout, so the whole city's Banjir goes 12 → 19 (1.58 ×)
    complaints = rows([2] * 8 + [9]) + rows([10] * 9, district="Tugu", channel="whatsapp")
    wh = open_wh(tmp_path, complaints)
    alerts = week_alerts(wh, "2026-W10", families=("spike",))
    assert [(a.rule, a.subject) for a in alerts] == [
        ("spike_channel", {"category": "Banjir", "channel": "web"}),
        ("spike_district", {"category": "Banjir", "district": "Genuk"}),
    ]  # equal strength (4.5 ×): ordered by key
    got = alerts[1].to_dict()
    assert got["figures"].pop("p_value") == pytest.approx(poisson_upper_tail(9, 2.0))
    assert got == {
        "family": "spike", "rule": "spike_district", "week": "2026-W10", "region_code": "00.00",
        "agency_id": "00.00:dpu", "subject": {"category": "Banjir", "district": "Genuk"},
        "figures": {"count": 9, "baseline": 2.0, "ratio": 4.5, "baseline_weeks": 7,
                    "agency_count": 9},
        "strength": 4.5, "page": "explore",
        "key": "spike_district|2026-W10|00.00|00.00:dpu|category=Banjir|district=Genuk",
    }  # fmt: skip
    assert alerts[1].link_params() == {"week": "2026-W10", "x_category": "Banjir",
                                       "x_district": "Genuk"}  # fmt: skip


def test_p_value_edge_and_quiet_weeks(tmp_path):
    # 8 against μ = 2: P(X ≥ 8) = 0.0011, not below 0.001 → quiet; a steady week is quiet too
    wh = open_wh(tmp_path, rows([2] * 8 + [8]))
    assert spikes(wh) == []
    assert spikes(wh, "2026-W09") == []


def test_min_count_edge_on_a_new_cell(tmp_path):
    # an empty cell (μ floored at 0.5) with p_value relaxed to 0.01: 4 complaints (p = 0.0018)
    # stay under min_count 5; 5 complaints (p = 0.00017) fire
    config = "[alerts.spike]\np_value = 0.01\ncells = ['district']\n"
    base = rows([3] * 9, category="Sampah", district="Tugu")  # history for the region
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert spikes(open_wh(tmp_path / "a", base + rows([0] * 8 + [4]), config)) == []
    wh2 = open_wh(tmp_path / "b", base + rows([0] * 8 + [5]), config)
    assert spikes(wh2) == [("spike_district", {"category": "Banjir", "district": "Genuk"})]
    assert week_alerts(wh2, "2026-W10", families=("spike",))[0].figures["baseline"] == 0.5


def test_min_ratio_edge(tmp_path):
    # μ = 10: 19 is 1.9 × (p = 0.0072 passes p_value 0.01 but not the ratio), 20 is 2.0 ×
    config = "[alerts.spike]\np_value = 0.01\ncells = ['district']\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert spikes(open_wh(tmp_path / "a", rows([10] * 8 + [19]), config)) == []
    assert spikes(open_wh(tmp_path / "b", rows([10] * 8 + [20]), config)) == [
        ("spike_district", {"category": "Banjir", "district": "Genuk"})
    ]


def test_no_judgement_without_enough_history(tmp_path):
    # the data starts in W07: W07 is the first (partial) week, so W08 and W09 are the only whole
    # weeks of history before W10: fewer than min_baseline_weeks (4), nothing is judged
    wh = open_wh(tmp_path, rows([0] * 5 + [1, 1, 1, 40]))
    assert spikes(wh) == []


def test_cell_counts_add_up_to_the_received_metric(tmp_path):
    complaints = rows([2] * 8 + [9]) + rows([10] * 9, district="Tugu", channel="whatsapp")
    complaints += rows([1, 0, 3, 0, 0, 2, 0, 0, 4], category="Sampah", district="Tugu")
    wh = open_wh(tmp_path, complaints)
    from kpi.alerts import Scope

    scope = Scope(wh, None)
    weeks = [scope.week(f"2026-W{n:02d}") for n in range(2, 11)]
    counts = cell_counts(wh, None, weeks)
    weekly = wh.weekly("2026-W02", "2026-W10")
    for kind in ("district", "channel", "region"):
        per_week = counts[counts["kind"] == kind].groupby("pid")["n"].sum()
        assert per_week.tolist() == weekly["received"].tolist(), kind


def test_thresholds_per_region(tmp_path):
    # the same surge in two kab/kota of Jawa Tengah; 33.02 (Banyumas) raises its min_count to 50
    config = (
        '[alerts.spike]\ncells = ["district"]\n[regions."33.02".alerts.spike]\nmin_count = 50\n'
    )
    complaints = rows([2] * 8 + [9], region="33.01") + rows([2] * 8 + [9], region="33.02")
    wh = open_wh(tmp_path, complaints, config, city="jateng")
    got = week_alerts(wh, "2026-W10", families=("spike",))
    assert [(a.region_code, a.rule) for a in got] == [("33.01", "spike_district")]
    assert spikes(wh, region="33.02") == []
    assert [a.region_code for a in week_alerts(wh, "2026-W10", "33", families=("spike",))] == [
        "33.01"
    ]
