"""The served app in headless Chromium: every page renders its charts with no error element,
choosing an agency changes the scorecard, the language toggle switches labels. Screenshots go
to build/screenshots/ (ignored); ``python -m tests.browser.screenshots`` copies them for the
README."""

from __future__ import annotations

import time
from urllib.parse import unquote

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"] .main-svg'
METRIC = '[data-testid="stMetric"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'
# (url path, screenshot name, Indonesian title, has tiles)
PAGES = [
    ("/", "1_ringkasan", "Ringkasan Mingguan", True),
    ("/rapor", "2_rapor_opd", "Rapor OPD", True),
    ("/tunggakan", "3_tunggakan", "Tunggakan & Umur Aduan", False),
    ("/jelajah", "4_jelajah", None, False),
    ("/peta", "5_peta", None, False),
    ("/layanan", "6_layanan", None, False),
    ("/data", "7_data_definisi", None, False),
]


def settle(page, quiet_s: float = 1.5, timeout_s: float = 120) -> None:
    """Wait until the script run has finished (no running indicator for ``quiet_s``)."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').filter(has_text="Running").count()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        time.sleep(0.25)
    raise AssertionError("the page kept running")


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(CHART)
    settle(page)


@pytest.mark.parametrize(("path", "shot", "title", "tiles"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_renders_charts_without_errors(server, page, path, shot, title, tiles):
    open_page(page, server + path)
    assert page.locator(CHART).count() >= 1
    if tiles:
        assert page.locator(METRIC).count() >= 3
    if title:
        assert page.locator("h1").first.inner_text().strip() == title
    errors = page.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"))


def score_tile(page) -> str:
    return page.locator(METRIC).first.locator('[data-testid="stMetricValue"]').inner_text()


def test_choosing_an_agency_changes_the_scorecard(server, page, browser_db):
    from kpi import Warehouse
    from ui.i18n import fmt_num

    wh = Warehouse.open(db_path=browser_db)
    week = wh.info()["default_week"]
    scores = wh.league(week).agencies
    wh.close()
    ranked = scores[scores["is_ranked"]].drop_duplicates("week_score")
    first, other = ranked.iloc[0], ranked.iloc[-1]
    open_page(page, f"{server}/rapor?agency={first['agency_id']}")
    assert score_tile(page) == fmt_num(first["week_score"], 2, "id")
    chooser = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    chooser.click()
    page.keyboard.type(other["agency_name"])  # the list is virtualised: filter it first
    page.get_by_role("option", name=other["agency_name"], exact=True).click()
    page.wait_for_function(
        "name => document.querySelector('h3') && document.querySelector('h3').innerText"
        ".startsWith(name)",
        arg=other["agency_name"],
    )
    settle(page)
    assert page.locator(ERRORS).count() == 0
    assert (
        score_tile(page)
        == fmt_num(other["week_score"], 2, "id")
        != fmt_num(first["week_score"], 2, "id")
    )
    assert f"agency={other['agency_id']}" in unquote(page.url)  # ids carry a region: 33.74:...


def test_language_toggle_switches_labels(server, page):
    open_page(page, server + "/")
    assert page.locator("h1").first.inner_text().strip() == "Ringkasan Mingguan"
    page.locator('[data-testid="stSidebar"] label').filter(has_text="English").click()
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').innerText"
        ".trim() === 'Weekly overview'"
    )
    settle(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert "Complaints received" in [x.strip() for x in labels]
    assert "lang=en" in page.url
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Agency scorecard" in nav
    page.wait_for_selector(CHART)
    page.screenshot(path=str(SCREENSHOTS / "1_overview_en.png"))
