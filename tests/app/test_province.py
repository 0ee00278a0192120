"""The province in the app (issue 11): the Provinsi page, the region in the sidebar and the URL,
every page scoped to the chosen region, and no province clutter for a single-city database."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.demo.province_build import build_province
from kpi import Warehouse
from tests.app.conftest import metrics, run_page
from ui.i18n import fmt_num

FIVE = ["33.15", "33.21", "33.29", "33.72", "33.74"]


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("province") / "jateng.duckdb"
    build_province(path, weeks=8, seed=5, end=dt.date(2026, 6, 28), only=FIVE)
    return path


@pytest.fixture
def province(province_db, monkeypatch):
    monkeypatch.setenv("KINERJA_DB", str(province_db))
    wh = Warehouse.open(province_db)
    yield wh
    wh.close()


def _sidebar_labels(at) -> list[str]:
    return [s.label for s in at.sidebar.selectbox]


def test_province_page_tiles_league_and_map(province):
    at = run_page("0_Provinsi.py")
    assert not at.exception and not at.error
    week = province.info()["default_week"]
    whole = province.summary(week, None, {"region": "33"})
    assert metrics(at)["Aduan masuk"] == fmt_num(whole["received"])
    assert metrics(at)["Skor provinsi"] == fmt_num(whole["score"], 2)
    league = province.region_league(week)
    table = next(h.proto.body for h in at.get("html") if "kj-region-league" in h.proto.body)
    assert table.count("<tr>") + table.count('<tr class="kj-unranked">') == 1 + 6
    for name in ("Kabupaten Brebes", "Kota Surakarta", "OPD Provinsi"):
        assert name in table
    assert "region=33.29" in table  # each name opens that region's overview
    first = league.regions.iloc[0]
    assert table.index(str(first["region_name"])) < table.index("Kabupaten Brebes")
    assert len(at.get("plotly_chart")) == 2  # the kab/kota map and the movers
    assert "Wilayah" in _sidebar_labels(at)


def test_overview_scoped_to_a_kabupaten_from_the_url(province):
    at = run_page("1_Ringkasan_Mingguan.py", region="33.21")
    assert not at.exception and not at.error
    week = province.info()["default_week"]
    demak = province.summary(week, None, {"region": "33.21"})
    assert metrics(at)["Aduan masuk"] == fmt_num(demak["received"])
    assert metrics(at)["Skor kabupaten"] == fmt_num(demak["score"], 2)
    league = next(h.proto.body for h in at.get("html") if "kj-league" in h.proto.body)
    assert "Dinas Pekerjaan Umum" in league and "33.21%3A" not in league
    assert "region=33.21" in league
    assert any("Kabupaten Demak" in c.value for c in at.caption)


def test_every_page_works_for_the_province_and_a_kota(province):
    for region in (None, "33.74"):
        params = {"region": region} if region else {}
        for name in ("2_Rapor_OPD.py", "3_Backlog.py", "4_Jelajah.py", "5_Peta.py", "6_Layanan.py"):
            at = run_page(name, **params)
            assert not at.exception, (name, region, at.exception)
            assert not at.error, (name, region, [e.value for e in at.error])


def test_scorecard_of_a_kota_agency(province):
    week = province.info()["default_week"]
    agencies = province.league(week, region="33.72").agencies
    agency = agencies.iloc[0]["agency_id"]
    at = run_page("2_Rapor_OPD.py", region="33.72", agency=agency)
    assert not at.exception and not at.error
    assert at.subheader[0].value.startswith(str(agencies.iloc[0]["agency_name"]))


def test_a_single_city_database_has_no_region_picker(demo_db):
    at = run_page("1_Ringkasan_Mingguan.py")
    assert "Wilayah" not in _sidebar_labels(at)
    assert "Skor kota" in metrics(at)
