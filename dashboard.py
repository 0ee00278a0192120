"""Kinerja dashboard entry point: ``streamlit run dashboard.py``.

Page config, sign-in (``ui.auth``: nobody sees data Kinerja has not granted them), navigation
over the seven pages (and the admin page for admins) and the one shared sidebar (language, ISO
week, who is signed in).
When no database exists yet it builds the demo city first (``etl.demo.build_demo``) with a
visible progress message, then opens on it, so a newcomer's first run shows working pages.
"""

from __future__ import annotations

import threading

import streamlit as st

from kinerja import access
from kinerja.paths import PAGES_DIR
from ui import auth, building, data, state
from ui.i18n import t

# The province page comes first, as the default, when the database holds a province.
PROVINCE_PAGE = ("0_Provinsi.py", "nav.province", ":material/account_balance:", "provinsi")
PAGES = [
    ("1_Ringkasan_Mingguan.py", "nav.overview", ":material/dashboard:", "ringkasan"),
    ("2_Rapor_OPD.py", "nav.scorecard", ":material/assignment_ind:", "rapor"),
    ("3_Backlog.py", "nav.backlog", ":material/hourglass_bottom:", "tunggakan"),
    ("4_Jelajah.py", "nav.explore", ":material/explore:", "jelajah"),
    ("5_Peta.py", "nav.map", ":material/map:", "peta"),
    ("6_Layanan.py", "nav.services", ":material/badge:", "layanan"),
    ("7_Data_Definisi.py", "nav.data", ":material/menu_book:", "data"),
]
ADMIN_PAGE = ("8_Admin.py", "nav.admin", ":material/admin_panel_settings:", "admin")


@st.cache_resource
def _build_lock() -> threading.Lock:
    """One lock per server process, so two first visitors do not both build the demo city."""
    return threading.Lock()


def ensure_database() -> None:
    """Build the demo city when the database file does not exist yet (first run)."""
    path = data.db_path()
    if path.exists():
        return
    with _build_lock():
        if path.exists():
            return
        from etl.demo import build_demo

        with st.status(t("layout.building_demo"), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(message: str) -> None:
                shown = building.step(message)
                if shown:
                    bar.progress(shown[1], text=shown[0])

            path.parent.mkdir(parents=True, exist_ok=True)
            build_demo(db=path, progress=progress)
            status.update(label=t("layout.demo_ready"), state="complete", expanded=False)
        data.clear_cache()


def navigation(view: state.ViewState | None = None, who=None) -> st.navigation:
    """The pages, titled in the chosen language, with stable URL paths; with a province in the
    database, the province page first for whom may see the province (the governor's default),
    last for a regional head (their province's region league); the admin page for admins."""
    province = view.province if view is not None else None
    first = bool(province) and data.region_visible(province)
    listed = ([PROVINCE_PAGE] if first else []) + PAGES
    listed += [PROVINCE_PAGE] if province and not first else []
    listed += [ADMIN_PAGE] if access.may(who, access.USERS) else []
    pages = [
        st.Page(PAGES_DIR / file, title=t(key), icon=icon, url_path=slug)
        for file, key, icon, slug in listed
        if (PAGES_DIR / file).exists()
    ]
    return st.navigation([_home(pages[0]), *pages], position="sidebar")


def _home(first: st.Page) -> st.Page:
    """The app's root URL: a hidden page that opens the reader's first page with the link's
    parameters (``/?week=2026-W45`` → ``/ringkasan?week=2026-W45``).

    Why: Streamlit serves its default page at ``/`` only, so with Ringkasan as the default a
    link or bookmark to ``/ringkasan?...`` (the e-mailed brief's, the region league's) made a
    freshly started server show its English "Page not found" box over the page. Every visible
    page now keeps its own path, and the root chooses the first page for who reads.
    """

    def home() -> None:
        st.switch_page(first, query_params=st.query_params.to_dict())

    return st.Page(home, title=first.title, url_path="mulai", default=True, visibility="hidden")


def _database_failed() -> bool:
    """Whether the database is missing or unreadable (each page then says so and how to fix it)."""
    try:
        data.check_database()
    except data.DataUnavailable:
        return True
    return False


def main() -> None:
    # An emoji icon is drawn in the browser (a data: URL); a ":material/...:" page icon would be
    # fetched from fonts.gstatic.com, and the app fetches nothing from another host.
    st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
    state.language_seed()
    try:
        ensure_database()
    except Exception as exc:  # the page header will explain the missing database
        st.error(t("layout.query_failed", reason=data.describe_error(exc)))
    if not _database_failed():
        who = auth.require()  # the sign-in or refusal page for anyone who may not see the data
        auth.account_box(who)
    else:
        who = None
    view = state.sidebar()
    page = navigation(view, who)
    st.sidebar.caption(t("app.tagline"))
    with state.frame(view):
        page.run()


main()
