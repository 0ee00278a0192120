"""A real OpenID Connect sign-in in headless Chromium, end to end: a local provider
(``oidc-provider-mock`` on 127.0.0.1, started and stopped here), the app configured for it through
its secrets file, two roles on a real (non-demo) database: an operator who uploads an export
(a broken file first: nothing changes; then a good one: the figures change) and a viewer who sees
no complaint list; each signs out. Without sign-in configured, the same database opens only for
this machine.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import free_port, serving, streamlit_server

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "etl" / "fixtures"
OPERATOR = "operator@semarangkota.go.id"
VIEWER = "tamu@semarangkota.go.id"
UNKNOWN = "orang@gmail.com"


@pytest.fixture(scope="module")
def provider(browser_tmp):
    """``oidc-provider-mock`` with one button per user; its URL."""
    port = free_port()
    users = [
        json.dumps({"sub": email, "email": email, "email_verified": True, "name": email})
        for email in (OPERATOR, VIEWER, UNKNOWN)
    ]
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for claims in users:
        cmd += ["--user-claims", claims]
    log = browser_tmp / f"oidc-{port}.log"
    with serving(cmd, port, "/.well-known/openid-configuration", log, 30) as url:
        yield url


@pytest.fixture(scope="module")
def real_db(browser_tmp) -> Path:
    """Kota Semarang's first SP4N-LAPOR! export, loaded from the command line (real data: not
    the demo), and the two users."""
    from etl.load import load_file
    from etl.meta import set_meta
    from kinerja.accessdb import AccessStore

    db = browser_tmp / "signin" / "kinerja.duckdb"
    load_file(FIXTURES / "lapor_ringkas_later.csv", db=db, source="lapor", region="33.74")
    set_meta(db, {"city": "semarang", "is_demo": "false"})
    store = AccessStore(db)
    store.put_user(OPERATOR, "operator", "33.74", by="tests")
    store.put_user(VIEWER, "viewer", "33.74", by="tests")
    return db


@pytest.fixture(scope="module")
def app(real_db, provider, browser_tmp):
    """The app with sign-in configured for the local provider."""
    port = free_port()
    secrets = browser_tmp / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "kinerja-browser-tests-0123456789abcdef"\n'
        'client_id = "kinerja"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    with streamlit_server(real_db, browser_tmp, secrets=secrets, port=port) as url:
        yield url


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID")
    ctx.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())  # the provider's CSS
    ctx.set_default_timeout(90_000)
    yield ctx
    ctx.close()


def as_shown(text: str) -> re.Pattern:
    """``text`` as the page writes it: an e-mail filled into a message carries an invisible word
    joiner before its '@' (``ui.escape.md``, against Streamlit's autolinks)."""
    return re.compile(re.escape(text).replace("@", "\u2060?@"))


def sign_in(page, app: str, email: str) -> None:
    page.goto(app + "/", timeout=120_000)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(re.compile(re.escape(app) + r"/.*"))


def sign_out(page, provider: str) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/end_session.*"))
    page.get_by_role("button").first.click()  # the provider's "end session" confirmation


def freshness(page) -> str:
    line = page.locator('[data-testid="stText"]', has_text="SP4N-LAPOR!").first
    line.wait_for()
    return line.inner_text()


def upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name="Muat ke Kinerja").click()


def test_an_operator_signs_in_uploads_and_signs_out(app, provider, context, tmp_path):
    page = context.new_page()
    sign_in(page, app, OPERATOR)
    page.get_by_text(as_shown(f"Masuk sebagai {OPERATOR}")).wait_for()
    page.goto(app + "/data")
    before = freshness(page)
    assert before.endswith("· 4 baris")
    broken = tmp_path / "laporan_rusak.csv"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)
    upload(page, broken)
    error = page.locator('[data-testid="stAlertContentError"]', has_text="laporan_rusak.csv")
    error.wait_for()
    assert "Tidak ada data yang berubah." in error.inner_text()
    page.reload()
    assert freshness(page) == before  # nothing changed
    upload(page, FIXTURES / "lapor_ringkas.csv")
    page.get_by_text("Berkas lapor_ringkas.csv dimuat sebagai SP4N-LAPOR!.").wait_for()
    # the figures changed: the page reloads its figures after the load (17 rows, was 4)
    page.locator(
        '[data-testid="stText"]', has_text=re.compile(r"SP4N-LAPOR!.*· 17 baris$")
    ).wait_for()
    # "loaded by" in the load log (the grid's accessible cells are in the DOM, drawn on a canvas)
    page.get_by_text(OPERATOR, exact=True).first.wait_for(state="attached")
    sign_out(page, provider)
    page.get_by_role("button", name="Masuk", exact=True).wait_for()
    page.goto(app + "/data")  # after sign-out the data is gone again
    page.get_by_role("button", name="Masuk", exact=True).wait_for()
    assert page.locator('[data-testid="stText"]').count() == 0


def test_a_viewer_sees_figures_but_no_complaint_list(app, provider, context):
    page = context.new_page()
    sign_in(page, app, VIEWER)
    page.get_by_text(as_shown(f"Masuk sebagai {VIEWER}")).wait_for()
    page.goto(app + "/rapor")
    page.get_by_text("Daftar aduan: tidak tersedia untuk peran Anda.").first.wait_for()
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    page.goto(app + "/data")
    page.get_by_text(
        "Riwayat pemuatan dan karantina: tidak tersedia untuk peran Anda."
    ).first.wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    sign_out(page, provider)
    page.get_by_role("button", name="Masuk", exact=True).wait_for()


def test_an_unknown_account_is_told_whom_to_ask(app, context):
    page = context.new_page()
    sign_in(page, app, UNKNOWN)
    page.get_by_text(
        as_shown(f"Anda masuk sebagai {UNKNOWN}, tetapi akun ini belum terdaftar")
    ).wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_without_sign_in_real_data_opens_only_on_this_machine(real_db, browser_tmp, browser):
    """No [auth]: the browser on 127.0.0.1 is this machine (admin, no sign-in)."""
    with streamlit_server(real_db, browser_tmp) as url:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(url + "/data", timeout=120_000)
        page.get_by_text("Tanpa masuk: dibuka dari komputer ini (admin).").wait_for(timeout=90_000)
        assert freshness(page).endswith(("· 4 baris", "· 17 baris"))
        ctx.close()
