"""Derived views on the hand-computed week (tests/kpi/week_fixture.py): what to fix first,
movers, breakdowns, backlog series and ages, oldest open, facts."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi import Warehouse, load_settings
from tests.kpi import week_fixture as F
from tests.kpi.conftest import wib


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    from tests.kpi.conftest import make_db

    tmp = tmp_path_factory.mktemp("views")
    db = make_db(tmp / "wh.duckdb", F.COMPLAINTS, F.SERVICES, {"city": "semarang"}, F.AGENCIES)
    cfg = tmp / "uji.toml"
    cfg.write_text(F.CONFIG)
    return Warehouse.open(db, load_settings(cfg, city="semarang"))


def test_info_and_weeks(wh):
    info = wh.info()
    assert (info["n_complaints"], info["n_services"]) == (12, 3)
    assert info["data_as_of"] == datetime(2015, 7, 22, 3)  # S2 completed 22 Jul 10:00 WIB
    assert info["last_complete_week"] == "2015-W29"
    assert info["city_name"] == "Uji" and info["tz_label"] == "WIB" and not info["is_demo"]
    weeks = wh.weeks()
    assert list(weeks["week"]) == ["2015-W28", "2015-W29", "2015-W30"]
    assert weeks["week_start"].iloc[0] == date(2015, 7, 6)


def test_fix_first(wh):
    got = wh.fix_first("dpu", as_of=wib("2015-07-19 23:00"))
    # open and late at Sun 19 23:00: C6 (resolution due 9th, never answered: response due 10th
    # too), C7 (source deadline 17th 12:00). Resolving either now lifts dpu's week score by the
    # clearance effect: closed 3 → 4 of 5 received: (0.8333 + 0.3125 + 0.8 + 0.875)/4 = 0.71
    # against 0.66 → +0.05; ties are ordered by days overdue
    assert list(got["complaint_id"]) == ["C6", "C7"]
    assert list(got["due_kind"]) == ["response+resolution", "resolution"]
    assert got["days_overdue"].tolist() == pytest.approx([9 + (23 * 3600 + 1) / 86400, 2 + 11 / 24])
    assert got["score_gain"].tolist() == pytest.approx([0.05, 0.05])
    assert got["created_at_local"].iloc[0] == datetime(2015, 7, 8, 9)
    # the missed deadline the days count from: C6's resolution (9th 23:59:59, before its
    # response deadline on the 10th), C7's own source deadline
    assert got["due_at_local"].tolist() == [
        datetime(2015, 7, 9, 23, 59, 59),
        datetime(2015, 7, 17, 12),
    ]
    assert wh.fix_first("dlh", as_of=wib("2015-07-19 23:00")).empty


def test_movers_and_breakdown(wh):
    movers = wh.movers("2015-W29", dim="category")
    # W28: Banjir 1 (C2), Jalan Rusak 2 (C6 C8); W29: Banjir 4, Jalan Rusak 3, Sampah 1
    movers = movers.astype(object).where(movers.notna(), None)  # NaN (no previous) → None
    assert movers.to_dict("records") == [
        {"category": "Banjir", "received": 4, "previous": 1, "change": 3, "pct_change": 3.0},
        {"category": "Jalan Rusak", "received": 3, "previous": 2, "change": 1, "pct_change": 0.5},
        {"category": "Sampah", "received": 1, "previous": 0, "change": 1, "pct_change": None},
    ]
    districts = wh.district_metrics("2015-W29").set_index("district")
    assert districts.loc["Genuk", "received"] == 1 and districts.loc["Genuk", "backlog"] == 1
    assert districts.loc["Genuk", "per_10k"] == pytest.approx(10_000 / 126_000)
    assert districts["received"].sum() == 8
    by_channel = wh.breakdown("2015-W29", dim="channel").set_index("channel")
    assert by_channel.loc["lapor", "received"] == 1 and by_channel.loc["web", "received"] == 7


def test_backlog_series_ages_and_oldest(wh):
    series = wh.backlog_series("2015-W28", "2015-W29")
    # end of W28 (Mon 13 00:00): C2 C6 C8 open, C6 overdue; end of W29: 5 open, 2 overdue
    assert series.to_dict("records") == [
        {"week_end": date(2015, 7, 13), "backlog": 3, "overdue_backlog": 1},
        {"week_end": date(2015, 7, 20), "backlog": 5, "overdue_backlog": 2},
    ]
    ages = wh.backlog_ages(wib("2015-07-20 00:00"), by="agency_id")
    assert ages[ages["n"] > 0].to_dict("records") == [
        {"agency_id": "dpu", "bucket": "0-3", "n": 2},
        {"agency_id": "dpu", "bucket": "4-7", "n": 2},
        {"agency_id": "dpu", "bucket": "8-14", "n": 1},
    ]
    oldest = wh.oldest_open(wib("2015-07-20 00:00"))
    assert list(oldest["complaint_id"]) == ["C6", "C7", "C3", "C5", "C11"]
    assert list(oldest["is_overdue"]) == [True, True, False, False, False]


def test_services_and_dimensions(wh):
    services = wh.services_summary("2015-W29")
    assert services["service_sla_compliance"] == 0.5 and services["services_submitted"] == 2
    by_type = wh.services_breakdown("2015-W29").to_dict("records")
    assert [(r["service_type"], r["services_completed"], r["service_backlog"]) for r in by_type] == [
        ("KTP-el", 2, 1)]  # fmt: skip
    assert wh.dimension_values("agency_id") == ["dlh", "dpu"]
    assert wh.dimension_values("district") == ["Genuk", "Semarang Tengah"]
    assert wh.agencies()["agency_id"].tolist() == ["disdukcapil", "dlh", "dpu"]
    fresh = wh.freshness().set_index("source")
    assert fresh.loc["test", "n_rows"] == 14 and fresh.loc["lapor", "n_rows"] == 1


def test_missing_group_values_stay_missing(db_factory):
    rows = [dict(complaint_id="A", created_at=wib("2015-07-13 09:00"), district=None),
            dict(complaint_id="B", created_at=wib("2015-07-13 10:00"))]  # fmt: skip
    wh = Warehouse.open(db_factory(complaints=rows, meta={"city": "semarang"}))
    got = wh.breakdown("2015-W29", dim="district")
    assert got["district"].tolist() == ["Semarang Tengah", None]
    assert got["received"].tolist() == [1, 1] and got["backlog"].tolist() == [1, 1]


def test_empty_database(db_factory):
    wh = Warehouse.open(db_factory())
    assert wh.info()["data_as_of"] is None and wh.weeks().empty
    s = wh.summary("2026-W40")
    assert (s["received"], s["backlog"], s["score"]) == (0, 0, None)
    assert s["unavailable"]["resolution_sla_compliance"] == "no_complaints"
    assert wh.fix_first("dpu").empty and "score_gain" in wh.fix_first("dpu").columns
    with pytest.raises(ValueError, match="no complaints"):
        wh.weekly()
