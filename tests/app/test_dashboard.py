"""The entry point: navigation over the pages with one shared sidebar, kept across pages."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, metrics, wk
from ui.i18n import fmt_num


def test_dashboard_opens_on_the_overview_with_one_sidebar(demo_db, warehouse):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180).run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Ringkasan Mingguan"
    assert len(at.sidebar.selectbox) == 1 and len(at.sidebar.radio) == 1
    week = warehouse.info()["default_week"]
    received = warehouse.summary(week, week)["received"]
    assert metrics(at)["Aduan masuk"] == fmt_num(received, 0, "id")


def test_week_and_language_carry_over_to_another_page(demo_db, warehouse):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value == "Weekly overview"
    weeks = list(warehouse.weeks()["week"])
    at.selectbox(key=wk("week", "en")).select(weeks[6]).run()
    at.switch_page("app_pages/3_Backlog.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Backlog & ageing"
    assert at.selectbox(key=wk("week", "en")).value == weeks[6]
    assert at.query_params["week"] == weeks[6]  # chosen: kept in the link
    assert len(at.sidebar.selectbox) == 1
