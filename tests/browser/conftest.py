"""One ``streamlit run dashboard.py`` server per module on a prepared demo DB, and Chromium.

Debian's Chromium (``/usr/bin/chromium``) driven by Playwright for Python; never
``playwright install``. The server gets ``KINERJA_DB`` in its environment, as in production.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots the tests take: an ignored folder, so that running the tests changes no tracked
# file. `python -m tests.browser.screenshots` copies them into docs/screenshots on purpose.
SCREENSHOTS = ROOT / "build" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_tmp() -> Path:
    """A temporary directory of this process only (pytest prunes shared ``pytest-of-*`` dirs,
    so a concurrent pytest run could delete a database the server is reading)."""
    path = Path(tempfile.mkdtemp(prefix="kinerja-browser-tests-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_db(browser_tmp) -> Path:
    """A small demo database for the served app (built through the ETL like the real one).

    ``KINERJA_BROWSER_DB`` names a prepared database instead (say the two-year demo, for the
    README screenshots); it is only read.
    """
    from tests.app.conftest import build_small_demo

    prepared = os.environ.get("KINERJA_BROWSER_DB")
    if prepared:
        return Path(prepared)
    return build_small_demo(browser_tmp / "kinerja.duckdb")


@contextmanager
def streamlit_server(db: Path, tmp: Path, secrets: Path | None = None, port: int | None = None):
    """A headless ``streamlit run dashboard.py`` on a free port with ``KINERJA_DB=db``; yields
    its base URL once it answers its health check, and stops it afterwards.

    ``secrets``: the server's only secrets file (sign-in, docs/SIGN_IN.md); by default an empty
    one, so a developer's own ``.streamlit/secrets.toml`` never changes what the tests see."""
    port = port or free_port()
    log = tmp / f"streamlit-{port}.log"
    env = dict(os.environ, KINERJA_DB=str(db))
    if secrets is None:
        secrets = tmp / "no-secrets.toml"
        secrets.write_text("")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",  # edits elsewhere in the tree must not prompt reruns
        "--secrets.files", str(secrets),
    ]  # fmt: skip
    with serving(cmd, port, "/_stcore/health", log, 60, cwd=ROOT, env=env) as url:
        yield url


@contextmanager
def serving(cmd: list[str], port: int, probe: str, log: Path, wait: float, **popen):
    """Run ``cmd`` (a local server on ``port``, output to ``log``), yield its base URL once
    ``probe`` answers, and stop it afterwards; a server that never answers within ``wait``
    seconds fails with the end of its log."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, **popen)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + probe, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{cmd[2]} did not start: {log.read_text()[-2000:]}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(browser_db, browser_tmp):
    """Base URL of a headless Streamlit server serving ``dashboard.py``."""
    with streamlit_server(browser_db, browser_tmp) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/run installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def warmed(server, browser) -> str:
    """Visit the entry page once, so that the first test's timings do not include the server's
    first imports. (A deep link on a fresh server is tested on its own server in
    test_users.py: the page files live in app_pages/, see docs/ARCHITECTURE.md §5.)"""
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(server + "/", timeout=120_000)
    pg.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
    ctx.close()
    return server


@pytest.fixture
def page(browser, warmed):
    """A fresh browser page at a desktop size (screenshots for the README)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="id-ID")
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    yield pg
    ctx.close()
