"""Services page (app_pages/6_Layanan.py): tiles and table equal the KPI layer's services figures."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import html_tables, run_page, weeks_ending, wk
from ui import data
from ui.i18n import fmt_metric

TILES = [
    "services_submitted",
    "services_completed",
    "service_sla_compliance",
    "median_days_to_complete",
    "service_backlog",
]


@pytest.fixture(autouse=True)
def fresh_warehouse():
    data.clear_cache()
    yield
    data.clear_cache()


def _run(lang="id", **params) -> AppTest:
    return run_page("6_Layanan.py", lang, **params)


def _period(warehouse, n_weeks=4):
    return weeks_ending(warehouse, n_weeks)


def test_tiles_equal_services_summary(demo_db, warehouse):
    at = _run()
    assert not at.exception
    expected = warehouse.services_summary(*_period(warehouse))
    assert expected["services_submitted"] > 0
    assert [m.value for m in at.metric] == [fmt_metric(n, expected[n], "id") for n in TILES]
    assert len(at.get("plotly_chart")) == 4


def test_table_per_service_type_then_per_agency(demo_db, warehouse):
    at = _run()
    start, end = _period(warehouse)
    expected = warehouse.services_breakdown(start, end, by="service_type").set_index("service_type")
    table = html_tables(at)[0].set_index("Jenis layanan")
    assert sorted(table.index) == sorted(expected.index)
    ktp = table.loc["KTP-el"]
    assert ktp["Layanan tepat waktu"] == fmt_metric(
        "service_sla_compliance", expected.loc["KTP-el", "service_sla_compliance"], "id"
    )
    assert ktp["Permohonan layanan masuk"] == fmt_metric(
        "services_submitted", expected.loc["KTP-el", "services_submitted"], "id"
    )
    at.radio(key=wk("s_by")).set_value("agency_id").run()
    assert not at.exception
    by_agency = warehouse.services_breakdown(start, end, by="agency_id")
    names = warehouse.agencies().set_index("agency_id")["name"]
    table = html_tables(at)[0]
    assert sorted(table["OPD"]) == sorted(names[a] for a in by_agency["agency_id"])


def test_period_change_changes_the_tiles(demo_db, warehouse):
    at = _run()
    four = [m.value for m in at.metric]
    at.radio(key=wk("s_weeks")).set_value(1).run()
    expected = warehouse.services_summary(*_period(warehouse, 1))
    assert [m.value for m in at.metric] == [fmt_metric(n, expected[n], "id") for n in TILES]
    assert [m.value for m in at.metric] != four


def test_language_toggle(demo_db):
    at = _run()
    assert at.title[0].value == "Pelayanan Publik"
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Public services"
    assert "Service type" in html_tables(at)[0].columns
