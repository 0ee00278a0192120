"""Hostile values in every dimension and every URL parameter (issue 10 points 3-5), in Chromium.

The served database holds agency, category, district, village, channel, service and title values
written as Markdown links and images, HTML, bare URLs, Streamlit directives and formulas. On
every page, with those values also in every URL parameter: no request leaves for another host
(nor another port of this one), no link or image from the data appears, the data shows as
text, and the scorecard's download neutralises formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import urllib.parse
from pathlib import Path

import openpyxl
import pytest

from tests.browser.test_dashboard import CHART, ERRORS, settle
from ui.escape import WORD_JOINER

pytestmark = pytest.mark.browser

IMG = "![b](http://127.0.0.1:8999/x.png)"
AGENCIES = [
    IMG,
    'Dinas <a href="http://evil.example/a">hubungi</a>',
    "[Session expired - log in again](http://evil.example/login)",
    "Dinas **Tebal** :material/home: http://evil.example/c www.evil.example $x^2$",
]
CATEGORIES = ["<img src=http://127.0.0.1:8999/c.png>", '=HYPERLINK("http://evil.example","klik")',
              ":red[Merah] # Judul", "Jalan"]  # fmt: skip
DISTRICTS = ["![d](http://127.0.0.1:8999/d.png)", "<b>Tembalang</b>", "Tugu"]
VILLAGES = ["[v](http://evil.example/v)", "Bulusan"]
CHANNELS = ["<i>wa</i>", "[web](http://evil.example/w)"]
TITLES = ["+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/t","klik")',
          "![t](http://127.0.0.1:8999/t.png)"]  # fmt: skip
SERVICES = ["<img src=http://127.0.0.1:8999/s.png>", "[KTP](http://evil.example/k)"]
URL_PAYLOADS = ["[Session expired - log in again](http://evil.example/)",
                "![b](http://127.0.0.1:8999/q.png)"]  # fmt: skip
PARAMS = ["lang", "week", "range", "movers", "agency", "x_weeks", "x_metric", "x_agency_id",
          "x_category", "x_district", "x_channel", "m_weeks", "m_metric", "m_kecamatan",
          "s_weeks", "s_by"]  # fmt: skip
PAGES = ["/", "/rapor", "/tunggakan", "/jelajah", "/peta", "/layanan", "/data"]
# Elements that Markdown in the data would make (the app's own bold text is not among them):
# emphasis, colour directives or headings holding a word of the data, and any formula.
_WORDS = ("Tebal", "Merah", "Judul", "Session expired - log in again", "b", "d", "t", "v", "web")
MARKUP = ", ".join(
    [
        ".katex",
        ".stMarkdownColoredText",
        ".stMarkdownColoredBackground",
        '[data-testid="stMarkdownContainer"] [data-testid="stIconMaterial"]',
    ]  # fmt: skip
    + [f'{tag}:text-is("{w}")' for tag in ("strong", "em", "h1", "h2", "a") for w in _WORDS]
)


def hostile_files(folder: Path) -> tuple[Path, Path]:
    """Six weeks of complaints and service applications over the hostile values."""
    end = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 1)  # a Sunday
    start = end - dt.timedelta(days=41)
    complaints, services = folder / "aduan.csv", folder / "layanan.csv"
    with open(complaints, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "status", "agency", "category", "channel", "district",
                    "village", "title", "first_response_at", "closed_at"])  # fmt: skip
        for i in range(42 * 12):
            day = start + dt.timedelta(days=i // 12)
            created = dt.datetime.combine(day, dt.time(8 + i % 9))
            closed = i % 3 != 0
            w.writerow([
                f"H{i}", f"{created:%Y-%m-%d %H:%M:%S}", "selesai" if closed else "baru",
                AGENCIES[i % 4], CATEGORIES[i % 4], CHANNELS[i % 2], DISTRICTS[i % 3],
                VILLAGES[i % 2], TITLES[(i // 3) % 3], f"{created + dt.timedelta(hours=3):%Y-%m-%d %H:%M:%S}",
                f"{created + dt.timedelta(days=2):%Y-%m-%d %H:%M:%S}" if closed else "",
            ])  # fmt: skip
    with open(services, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "service_type", "agency", "submitted_at", "completed_at", "status"])
        for i in range(42 * 3):
            day = start + dt.timedelta(days=i // 3)
            sub = dt.datetime.combine(day, dt.time(9))
            w.writerow([f"S{i}", SERVICES[i % 2], AGENCIES[i % 4], f"{sub:%Y-%m-%d %H:%M:%S}",
                        f"{sub + dt.timedelta(days=3):%Y-%m-%d %H:%M:%S}", "selesai"])  # fmt: skip
    return complaints, services


@pytest.fixture(scope="module")
def browser_db(browser_tmp):
    """Overrides the shared demo database: the served app reads the hostile one."""
    from etl.load import load_file
    from etl.meta import set_meta

    folder = browser_tmp / "hostile"
    folder.mkdir(exist_ok=True)
    db = folder / "hostile.duckdb"
    complaints, services = hostile_files(folder)
    os.environ.setdefault("KINERJA_SALT", "browser-test")
    load_file(complaints, db=db, source="generic")
    load_file(services, db=db, source="generic_services")
    set_meta(db, {"city": "semarang"})
    return db


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f'{CHART}, [data-testid="stAlert"]')
    settle(page)


def foreign_requests(requests: list[str], server: str) -> list[str]:
    origin = urllib.parse.urlsplit(server).netloc
    return [
        u
        for u in requests
        if urllib.parse.urlsplit(u).scheme not in ("data", "blob")
        and urllib.parse.urlsplit(u).netloc != origin
    ]


def injected_elements(page, server: str) -> dict[str, list[str]]:
    """Links and images that point elsewhere, and links inside charts."""
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    images = page.eval_on_selector_all("img[src]", "els => els.map(e => e.src)")
    return {
        "links": [u for u in links if not u.startswith(server)],
        "images": [u for u in images if not u.startswith((server, "data:"))],
        "chart_links": page.eval_on_selector_all("svg a", "els => els.map(e => e.outerHTML)"),
        "markup": page.eval_on_selector_all(MARKUP, "els => els.map(e => e.outerHTML)"),
    }


@pytest.fixture
def watched(browser, warmed):
    """A page whose every request (and download) is recorded."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    yield pg, requests
    ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_hostile_data_and_urls_stay_text(server, watched, path):
    page, requests = watched
    for payload in URL_PAYLOADS:
        query = urllib.parse.urlencode({p: payload for p in PARAMS})
        visit(page, f"{server}{path}?{query}")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert foreign_requests(requests, server) == []
        assert injected_elements(page, server) == {
            "links": [], "images": [], "chart_links": [], "markup": []
        }  # fmt: skip
        shown = page.inner_text('[data-testid="stMain"]')
        assert "\\" not in shown  # text escaped for Markdown is shown without its backslashes
        favicon = page.eval_on_selector("link[rel='shortcut icon']", "e => e.href")
        assert favicon.startswith(("data:", server))


def test_scorecard_shows_the_names_as_text_and_neutralises_the_download(server, watched):
    page, requests = watched
    visit(page, f"{server}/rapor")
    heading = page.locator('[data-testid="stMain"] h3').first.inner_text()
    assert any(heading.replace(WORD_JOINER, "").startswith(a + " — ") for a in AGENCIES)
    assert page.locator(ERRORS).count() == 0
    with page.expect_download() as download:
        page.locator(".st-key-download_fix_csv button").click()  # for Excel: BOM and ";"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    with page.expect_download() as download:
        page.locator(".st-key-download_fix_xlsx button").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [
        ["" if c is None else str(c) for c in r] for r in book.active.iter_rows(values_only=True)
    ]
    formulas = [c.value for r in book.active.iter_rows() for c in r if c.data_type == "f"]
    for table in (rows, cells):
        titles = {r[2] for r in table[1:]}
        assert "'" + TITLES[0] in titles and "'" + TITLES[1] in titles, titles
        assert all(not c.startswith(("=", "+", "-", "@")) for r in table for c in r)
    assert formulas == []
    # Streamlit's own table export (which writes cells as they are) is switched off
    page.locator('[data-testid="stDataFrame"]').first.hover()
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    assert foreign_requests(requests, server) == []
