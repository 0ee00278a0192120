"""The app as its users see it, in headless Chromium: a bookmark on a freshly started server, every
page at 1440 px (desktop, projector) and 390 px (phone) with no header or tile label cut, the
whole league without a scroll box, a bar click that filters exactly that bar, and printing.

Screenshots go to build/screenshots/ (ignored); ``python -m tests.browser.screenshots`` copies
them into docs/screenshots for the README.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS, streamlit_server
from tests.browser.test_dashboard import CHART, ERRORS, settle

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 1100}
PHONE = {"width": 390, "height": 844}
PAGES = [
    ("/", "1_ringkasan"),
    ("/rapor", "2_rapor_opd"),
    ("/tunggakan", "3_tunggakan"),
    ("/jelajah", "4_jelajah"),
    ("/peta", "5_peta"),
    ("/layanan", "6_layanan"),
    ("/data", "7_data_definisi"),
]

# Text boxes whose content must never be cut: table headers, tile labels and values, headings.
CUT_JS = """() => {
  const sel = 'table.kj-table th, [data-testid="stMetricLabel"] p, [data-testid="stMetricValue"]'
    + ', h1, h2, h3';
  const cut = [];
  for (const e of document.querySelectorAll(sel)) {
    const style = getComputedStyle(e);
    if (e.offsetParent === null || style.display.startsWith('inline')) continue;
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) cut.push(e.innerText.slice(0, 60));
  }
  for (const w of document.querySelectorAll('.kj-table-wrap')) {
    if (w.clientWidth > 0 && w.scrollWidth > w.clientWidth + 1) {
      cut.push('table wider than the page: ' + w.innerText.slice(0, 40));
    }
  }
  return cut;
}"""

# Rows of the league hidden in a box: an ancestor (below the page's own scrolling) that clips or
# scrolls them; and rows reaching past the right edge of the window.
LEAGUE_JS = """(stopAtMain) => {
  const rows = [...document.querySelectorAll('#kj-league tbody tr')];
  const boxed = [];
  for (const r of rows) {
    for (let e = r.parentElement; e; e = e.parentElement) {
      if (stopAtMain && e.matches('[data-testid="stMain"]')) break;
      const s = getComputedStyle(e);
      const clips = /(auto|scroll|hidden)/.test(s.overflowY + s.overflowX);
      if (clips && (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)) {
        boxed.push(r.innerText.slice(0, 40) + ' in ' + (e.dataset.testid || e.className));
        break;
      }
    }
  }
  const right = rows.filter(r => r.getBoundingClientRect().right > window.innerWidth + 1);
  return {n: rows.length, boxed, past_right: right.length,
          names: rows.map(r => r.cells[1].innerText.trim()),
          status: rows.map(r => r.cells[2].innerText.trim())};
}"""


def open_at(browser, url: str, viewport: dict):
    ctx = browser.new_context(viewport=viewport, locale="id-ID")
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stMainBlockContainer"] h1')
    settle(pg)
    return ctx, pg


def test_a_bookmark_on_a_freshly_started_server_opens_without_page_not_found(
    browser, browser_db, browser_tmp
):
    """The agency head's bookmark is the server's very first request (no warm-up visit)."""
    from kpi import Warehouse

    wh = Warehouse.open(db_path=browser_db)
    agency = wh.league(wh.info()["default_week"]).agencies["agency_id"].iloc[0]
    name = wh.league(wh.info()["default_week"]).agencies["agency_name"].iloc[0]
    wh.close()
    with streamlit_server(browser_db, browser_tmp) as url:
        ctx, pg = open_at(browser, f"{url}/rapor?agency={agency}", DESKTOP)
        try:
            pg.wait_for_selector(CHART)
            settle(pg)
            assert pg.locator('[role="dialog"]').count() == 0, pg.locator(
                '[role="dialog"]'
            ).all_inner_texts()
            assert "Page not found" not in pg.content()
            assert pg.locator("h1").first.inner_text().strip() == "Rapor OPD"
            assert pg.locator("h3").first.inner_text().startswith(name)
        finally:
            ctx.close()


@pytest.mark.parametrize(
    ("link", "opened"),
    [
        ("/ringkasan?week={week}", "/ringkasan?week={week}"),
        ("/?week={week}", "/ringkasan?week={week}"),
    ],
    ids=["overview-path", "root"],
)
def test_the_overview_link_of_a_mail_opens_on_a_fresh_server(
    browser, browser_db, browser_tmp, link, opened
):
    """The brief's e-mail links to /ringkasan?week=...; an old bookmark is /?week=.... The
    overview was Streamlit's default page, served at / only: /ringkasan on a fresh server showed
    "Page not found". Now / opens the reader's first page, and /ringkasan is the overview."""
    from kpi import Warehouse

    wh = Warehouse.open(db_path=browser_db)
    week = str(wh.weeks()["week"].iloc[-2])  # not the default week
    wh.close()
    n = int(week.split("W")[1])
    with streamlit_server(browser_db, browser_tmp) as url:
        ctx, pg = open_at(browser, url + link.format(week=week), DESKTOP)
        try:
            settle(pg)
            assert pg.locator('[role="dialog"]').count() == 0
            assert "Page not found" not in pg.content()
            assert pg.url == url + opened.format(week=week)
            assert pg.locator("h1").first.inner_text().strip() == "Ringkasan Mingguan"
            assert pg.get_by_text(f"Minggu {n} ·").count() >= 1
        finally:
            ctx.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440px", "390px"])
@pytest.mark.parametrize(("path", "shot"), PAGES, ids=[p[1] for p in PAGES])
def test_no_header_or_tile_label_is_cut(browser, warmed, path, shot, viewport):
    ctx, pg = open_at(browser, warmed + path, viewport)
    try:
        pg.wait_for_selector(CHART)
        settle(pg)
        assert pg.locator(ERRORS).count() == 0, pg.locator(ERRORS).all_inner_texts()
        assert pg.evaluate(CUT_JS) == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        suffix = "" if viewport is DESKTOP else "_phone"
        pg.screenshot(path=str(SCREENSHOTS / f"{shot}{suffix}.png"))
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440px", "390px"])
def test_every_agency_of_the_league_is_on_the_page_with_its_status(
    browser, warmed, browser_db, viewport
):
    from kpi import Warehouse

    wh = Warehouse.open(db_path=browser_db)
    league = wh.league(wh.info()["default_week"]).agencies
    wh.close()
    ctx, pg = open_at(browser, warmed + "/", viewport)
    try:
        pg.wait_for_selector("#kj-league tbody tr")  # drawn after the tiles: wait on a busy machine
        got = pg.evaluate(LEAGUE_JS, True)
        assert got["n"] == len(league) and got["names"] == league["agency_name"].tolist()
        assert got["boxed"] == [] and got["past_right"] == 0
        assert all(s[0] in "✔⚠✖–" and len(s) > 2 for s in got["status"])  # symbol and word
    finally:
        ctx.close()


def test_a_league_row_opens_that_agencys_scorecard(browser, warmed, browser_db):
    from kpi import Warehouse

    wh = Warehouse.open(db_path=browser_db)
    row = wh.league(wh.info()["default_week"]).agencies.iloc[2]
    wh.close()
    ctx, pg = open_at(browser, warmed + "/", DESKTOP)
    try:
        pg.locator("#kj-league a", has_text=row["agency_name"]).first.click()
        pg.wait_for_url(f"**/rapor?agency={row['agency_id']}*")
        pg.wait_for_selector(CHART)
        settle(pg)
        assert pg.locator("h3").first.inner_text().startswith(row["agency_name"])
    finally:
        ctx.close()


def test_a_bar_click_filters_exactly_that_bar(browser, warmed, browser_db):
    """Clicking the middle of a bar sets that bar's value as the filter (with "x unified" hover
    the click went to the bar whose value was nearest the pointer)."""
    from kpi import Warehouse

    wh = Warehouse.open(db_path=browser_db)
    weeks = wh.weeks()["week"].tolist()
    end = wh.info()["default_week"]
    start = weeks[max(0, weeks.index(end) - 11)]
    df = wh.breakdown(start, end, "category")
    wh.close()
    df = df[df["received"] > 0].sort_values("received", ascending=False)
    categories = df["category"].tolist()
    ctx, pg = open_at(browser, warmed + "/jelajah", DESKTOP)
    try:
        bars = category_bars(pg)
        assert bars.count() == len(categories)
        for i in (3, len(categories) - 2):  # a middle bar and a short one near the end
            box = bars.nth(i).bounding_box()
            pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            pg.wait_for_function("() => location.search.includes('x_category=')")
            settle(pg)
            chosen = parse_qs(urlparse(pg.url).query)["x_category"][0]
            assert chosen == categories[i]
            pg.goto(warmed + "/jelajah")  # start again from no filter
            pg.wait_for_selector(CHART)
            settle(pg)
            bars = category_bars(pg)
    finally:
        ctx.close()


def category_bars(pg):
    """The bars of the category breakdown, once the chart is drawn (charts below the fold are
    drawn when scrolled to)."""
    chart = pg.locator(".st-key-x_chart_category")
    chart.scroll_into_view_if_needed()
    chart.locator("g.point path").first.wait_for()
    return chart.locator("g.point path")


def test_printing_the_overview_gives_the_whole_league(browser, warmed, browser_db):
    from kpi import Warehouse

    wh = Warehouse.open(db_path=browser_db)
    n = len(wh.league(wh.info()["default_week"]).agencies)
    wh.close()
    ctx, pg = open_at(browser, warmed + "/", DESKTOP)
    try:
        pg.emulate_media(media="print")
        sidebar = pg.locator('[data-testid="stSidebar"]')
        assert (
            sidebar.count() == 0 or sidebar.evaluate("e => getComputedStyle(e).display") == "none"
        )
        pg.wait_for_selector("#kj-league tbody tr")  # drawn after the tiles: wait on a busy machine
        got = pg.evaluate(LEAGUE_JS, False)  # up to the document: nothing may clip in print
        assert got["n"] == n and got["boxed"] == []
        pdf = pg.pdf(format="A4", print_background=True)
        assert (
            pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + pdf.count(b"/Type /Page ")
            >= 2
            or pdf.count(b"/Type/Page") >= 2
        )
        (SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "1_ringkasan_print.pdf").write_bytes(pdf)
    finally:
        ctx.close()
