"""Explore page (app_pages/4_Jelajah.py): figures equal the KPI layer's, filters narrow them."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import run_page, weeks_ending, wk
from ui.i18n import fmt_metric

TILES = ["received", "closed", "resolution_sla_compliance", "backlog"]


def _run(lang="id", **params) -> AppTest:
    return run_page("4_Jelajah.py", lang, **params)


def _period(warehouse, n_weeks=12):
    return weeks_ending(warehouse, n_weeks)


def _tiles(at):
    return {m.label: m.value for m in at.metric}


def test_tiles_equal_the_kpi_layer_for_the_default_twelve_weeks(demo_db, warehouse):
    at = _run()
    assert not at.exception
    start, end = _period(warehouse)
    expected = warehouse.summary(start, end)
    shown = [m.value for m in at.metric]
    assert shown == [fmt_metric(name, expected[name], "id") for name in TILES]
    assert expected["received"] > 0
    assert len(at.get("plotly_chart")) == 6  # flow, trend, four breakdowns


def test_district_filter_narrows_every_tile(demo_db, warehouse):
    at = _run()
    city = [m.value for m in at.metric]
    at.selectbox(key=wk("x_district")).set_value("Tugu").run()
    assert not at.exception
    start, end = _period(warehouse)
    expected = warehouse.summary(start, end, scope={"district": "Tugu"})
    assert [m.value for m in at.metric] == [fmt_metric(n, expected[n], "id") for n in TILES]
    assert [m.value for m in at.metric] != city
    assert at.query_params["x_district"] == "Tugu"  # the view is kept in the URL


def test_filters_and_period_come_from_the_url(demo_db, warehouse):
    at = _run(x_weeks="4", x_channel="whatsapp", x_category="Jalan Rusak")
    assert not at.exception
    start, end = _period(warehouse, 4)
    expected = warehouse.summary(
        start, end, scope={"channel": "whatsapp", "category": "Jalan Rusak"}
    )
    assert [m.value for m in at.metric] == [fmt_metric(n, expected[n], "id") for n in TILES]
    assert at.button[0].label == "Hapus semua filter"
    at.button[0].click().run()
    assert at.selectbox(key=wk("x_channel")).value == ""
    assert [m.value for m in at.metric] == [
        fmt_metric(n, warehouse.summary(start, end)[n], "id") for n in TILES
    ]


def test_language_toggle_switches_labels_and_numbers(demo_db, warehouse):
    at = _run()
    assert at.title[0].value == "Jelajah Data Aduan"
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Explore complaints"
    start, end = _period(warehouse)
    received = warehouse.summary(start, end)["received"]
    assert _tiles(at)["Complaints received"] == fmt_metric("received", received, "en")
    assert at.selectbox(key=wk("x_metric", "en")).label == "Measure"
