"""Shared fixtures for the page tests: one small demo database per session, a clean cache.

The database is real (built by ``etl.demo.build_demo`` through the ETL), written to a temporary
directory, and handed to the app through ``$KINERJA_DB`` exactly as in production.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kinerja.paths import PAGES_DIR
from ui import data

ROOT = Path(__file__).resolve().parents[2]
DEMO_WEEKS = 16
DEMO_SEED = 7


def build_small_demo(path: Path) -> Path:
    """A 16-week demo of Semarang: enough for week-over-week changes and 12-week trends."""
    from etl.demo import build_demo

    build_demo(db=path, city="semarang", weeks=DEMO_WEEKS, seed=DEMO_SEED)
    return path


@pytest.fixture(scope="session")
def private_tmp() -> Path:
    """A temporary directory of this test process only, removed at the end.

    Not ``tmp_path_factory``: pytest prunes old ``pytest-of-<user>`` directories, and with
    several pytest processes at once another run can delete a session's demo database.
    """
    path = Path(tempfile.mkdtemp(prefix="kinerja-app-tests-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_db(private_tmp) -> Path:
    """Path of the session's demo database, also exported as ``KINERJA_DB``."""
    path = build_small_demo(private_tmp / "demo" / "kinerja.duckdb")
    old = os.environ.get("KINERJA_DB")
    os.environ["KINERJA_DB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("KINERJA_DB", None)
    else:
        os.environ["KINERJA_DB"] = old


@pytest.fixture(scope="session")
def warehouse(demo_db):
    """The KPI layer on the same database: the reference the pages must agree with."""
    from kpi import Warehouse

    wh = Warehouse.open(db_path=demo_db)
    yield wh
    wh.close()


@pytest.fixture(autouse=True)
def clear_streamlit_cache():
    """Every test starts with no cached query result (no result leaks between tests).

    ``st.cache_data.clear()`` alone does not reach the caches AppTest's script runs use, so the
    app's own cache is cleared through ``ui.data``. The open read-only Warehouse
    (``st.cache_resource``, keyed by path and mtime) is kept: it holds no results, and reopening
    it per test would only make the suite slower.
    """
    st.cache_data.clear()
    data.clear_results()
    yield
    st.cache_data.clear()
    data.clear_results()


def page(name: str) -> str:
    """Path of a page file for ``AppTest.from_file``."""
    return str(PAGES_DIR / name)


# Sign-in as the app sees it in a test: an ``[auth]`` section (no provider is contacted: AppTest
# seeds ``st.user`` from ``at.user``) and a signed-in identity; Kinerja then looks the e-mail up
# in ``app_user`` beside the database (``grant``), exactly as for a real sign-in.
TEST_AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "kinerja-tests-cookie-secret-0123456789",
    "client_id": "kinerja-tests",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def grant(db, email: str, role: str, region: str | None = None, agency: str | None = None):
    """Register ``email`` with ``role`` in the access store beside ``db`` (as an admin would)."""
    from kinerja.accessdb import AccessStore

    return AccessStore(db).put_user(email, role, region, agency, True, by="tests")


def signed_in(at: AppTest, email: str | None, **claims) -> AppTest:
    """Configure sign-in on ``at`` and sign ``email`` in (None: configured, not signed in)."""
    at.secrets["auth"] = dict(TEST_AUTH)
    if email is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, "email": email, "email_verified": True, **claims}
    return at


def run_page(name: str, lang: str = "id", user: str | None = None, **params) -> AppTest:
    """Run page file ``name`` once with ``?lang=`` and the given query parameters (``user``:
    signed in as that e-mail, see ``signed_in``)."""
    at = AppTest.from_file(page(name), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    if user is not None:
        signed_in(at, user)
    return at.run()


def weeks_ending(warehouse, n_weeks: int) -> tuple[str, str]:
    """(first, last) ISO week of the ``n_weeks`` ending with the default week."""
    weeks = warehouse.weeks()["week"].tolist()
    end = warehouse.info()["default_week"]
    return weeks[max(0, weeks.index(end) - n_weeks + 1)], end


def _decode(value):
    """Plotly's typed-array encoding (``{"dtype", "bdata"}``) back to a plain list."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
        return arr.tolist()
    return value


def figures(at) -> list[dict]:
    """The plotly figures an AppTest run shows, as dicts with decoded x/y/z arrays."""
    import json

    out = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        for trace in spec["data"]:
            for axis in ("x", "y", "z"):
                if axis in trace:
                    trace[axis] = _decode(trace[axis])
        out.append(spec)
    return out


def metrics(at) -> dict[str, str]:
    """{label: value} of the st.metric tiles."""
    return {m.label: m.value for m in at.metric}


def wk(key: str, lang: str = "id") -> str:
    """The widget key of URL value ``key`` in ``lang`` (``ui.state.widget_key``)."""
    from ui.state import widget_key

    return widget_key(key, lang)


class _Tables(HTMLParser):
    """Collects the rows (cell texts) of every <table> in an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_tables(at) -> list:
    """The HTML tables (``ui.tables``) an AppTest run shows, as DataFrames of cell texts."""
    import pandas as pd

    out = []
    for el in at.get("html"):
        parser = _Tables()
        parser.feed(el.proto.body)
        for rows in parser.tables:
            if rows:
                out.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return out


def html_links(at) -> list[str]:
    """The href of every link in the page's HTML elements."""
    import re

    return [h for el in at.get("html") for h in re.findall(r'href="([^"]*)"', el.proto.body)]


def seen(markdown: str) -> str:
    """The text a reader sees of a Markdown element's source (``at.error[0].value``): rendered
    as CommonMark, tags dropped, entities and the invisible word joiners of ``ui.escape.md``
    removed. A value escaped twice shows its backslashes here."""
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "").strip()
