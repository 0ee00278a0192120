"""The province in headless Chromium (issue 11): a province database opens on the Provinsi page
(league, map, no error), and a region's name in the league opens that region's overview."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, streamlit_server
from tests.browser.test_dashboard import CHART, ERRORS, settle

pytestmark = pytest.mark.browser
FIVE = ["33.15", "33.21", "33.29", "33.72", "33.74"]


@pytest.fixture(scope="module")
def province_server(browser_tmp):
    from etl.demo.province_build import build_province

    db = browser_tmp / "jateng.duckdb"
    build_province(db, weeks=8, seed=5, end=dt.date(2026, 6, 28), only=FIVE)
    with streamlit_server(db, browser_tmp) as url:
        yield url


def test_province_opens_on_its_league_and_drills_down(province_server, browser):
    assert CHROMIUM_ARGS  # the shared launch flags (no sandbox, no background networking)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="id-ID")
    page = ctx.new_page()
    page.goto(province_server + "/", timeout=120_000)
    page.wait_for_selector("#kj-region-league", timeout=120_000)
    page.wait_for_selector(CHART)
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Provinsi"
    rows = page.locator("#kj-region-league tbody tr")
    assert rows.count() == 6  # five kab/kota and the provincial OPD
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    page.locator("#kj-region-league a", has_text="Kabupaten Demak").click()
    page.wait_for_url("**/ringkasan?*region=33.21*", timeout=60_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Ringkasan Mingguan"
    caption = page.locator(
        '[data-testid="stMain"] [data-testid="stCaptionContainer"]'
    ).first.inner_text()
    assert caption.startswith("Kabupaten Demak")
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    ctx.close()
