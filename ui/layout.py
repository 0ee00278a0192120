"""Page frame pieces: header with the data-freshness line and demo marker, empty states, and
readable errors (with the command that fixes them) instead of stack traces.

Why: every page must say what data it shows and how fresh it is, must flag synthetic demo data,
and must never show a traceback to a mayor or a visiting official.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from ui import auth, data
from ui.i18n import fmt_datetime, fmt_num, fmt_week, t

FIX_DEMO = "python -m etl demo"
FIX_LOAD = "python -m etl load PATH --source lapor"


def show_unavailable(err: data.DataUnavailable) -> None:
    """Explain a missing/broken database and give the commands that fix it."""
    if err.kind == "missing":
        st.error(t("layout.no_db", path=str(err.path)), icon=":material/database:")
    else:
        st.error(
            t("layout.broken_db", path=str(err.path), reason=err.reason), icon=":material/error:"
        )
    st.write(t("layout.fix_demo"))
    st.code(FIX_DEMO, language="bash")
    st.write(t("layout.fix_load"))
    st.code(FIX_LOAD, language="bash")


def show_denied(err: data.AccessDenied) -> None:
    """A request the reader's role or scope does not cover, said politely (never a trace)."""
    st.info(
        t(f"access.denied.{err.reason}", what=t(f"access.kind.{err.kind}")), icon=":material/lock:"
    )


def to_local(ts_utc, tz_name: str) -> dt.datetime | None:
    """A naive-UTC timestamp from the warehouse as local wall time in ``tz_name``."""
    if ts_utc is None or pd.isna(ts_utc):
        return None
    ts = pd.Timestamp(ts_utc)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    return ts.tz_convert(ZoneInfo(tz_name)).to_pydatetime()


def freshness_line(info: Mapping, what: str = "complaints") -> str:
    """``Kota Semarang · data sampai 22 Nov 2026 23.41 WIB · 123.456 aduan`` (``what``
    "services": the count of service applications instead)."""
    return t(
        "layout.freshness_services" if what == "services" else "layout.freshness",
        city=info.get("city_name") or "",
        as_of=as_of_text(info),
        n=fmt_num(info.get(f"n_{what}") or 0),
    )


def as_of_text(info: Mapping) -> str:
    """The data's as-of time in local wall time with the zone: ``22 Nov 2026 23.14 WIB``."""
    local = to_local(info.get("data_as_of"), info.get("timezone") or "Asia/Jakarta")
    return f"{fmt_datetime(local)} {info.get('tz_label') or ''}".strip()


def week_note(view, info: Mapping) -> None:
    """Say which week the page shows and why (the latest one, the last complete one, or the
    reader's choice), under the week's heading."""
    if not view.week:
        return
    as_of = as_of_text(info)
    if not view.auto:
        key = "week.shown.chosen_running" if view.in_progress else "week.shown.chosen"
        st.caption(t(key, as_of=as_of))
        return
    latest = fmt_week(view.latest_week, _monday(view.latest_week), view.lang)
    reason = view.week_reason or "latest_working_days_in"
    st.caption(t(f"week.shown.{reason}", as_of=as_of, latest=latest))


def _monday(week: str | None):
    from kpi.periods import week_monday

    return week_monday(week) if week else None


# The app's own look, beyond Streamlit's theme: tile labels wrap instead of being cut; the HTML
# tables of ui.tables; a phone layout; and print: only the page's content, every row of every
# table (no scroll box cuts the league), charts kept whole.
STYLE = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"] { white-space: nowrap; }
.kj-table-wrap { width: 100%; }
table.kj-table { width: 100%; border-collapse: collapse; font-size: 0.92rem; table-layout: auto; }
table.kj-table th, table.kj-table td {
  padding: 0.3rem 0.45rem; border-bottom: 1px solid rgba(49, 51, 63, 0.12); text-align: left;
  vertical-align: top; white-space: normal; overflow-wrap: break-word;
}
table.kj-table th { font-weight: 600; font-size: 0.85rem; color: rgba(49, 51, 63, 0.75); }
table.kj-table td.num, table.kj-table th.num { text-align: right; }
table.kj-table td.num { white-space: nowrap; }
table.kj-table tr.kj-total td { font-weight: 600; border-top: 2px solid rgba(49, 51, 63, 0.3); }
table.kj-table a { color: inherit; text-decoration: underline; text-underline-offset: 2px; }
.kj-status { display: inline-block; padding: 0 0.4rem; border-radius: 0.4rem; font-weight: 600;
  white-space: nowrap; }
.kj-status-green { background: #d7f0e7; color: #005c43; }
.kj-status-amber { background: #fbe8c2; color: #6b4a00; }
.kj-status-red { background: #f8d9c6; color: #8a3300; }
.kj-status-none { background: #ececec; color: #444; }
.kj-up { color: #005c43; } .kj-down { color: #8a3300; }
.kj-note { color: rgba(49, 51, 63, 0.65); font-size: 0.8rem; }
tr.kj-unranked td { color: rgba(49, 51, 63, 0.7); }
@media (max-width: 640px) {
  table.kj-table { font-size: 0.8rem; }
  table.kj-table th { font-size: 0.72rem; }
  table.kj-table th, table.kj-table td { padding: 0.25rem 0.2rem; }
  .kj-status { white-space: normal; }
  table.kj-table .kj-opt { display: none; }
}
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stExpandSidebarButton"],
  [data-testid="stSidebarCollapsedControl"], .stDownloadButton, .stRadio, .stSelectbox,
  .stButton { display: none !important; }
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"], [data-testid="stAppScrollToBottomContainer"] {
    overflow: visible !important; height: auto !important; max-height: none !important;
    position: static !important;
  }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  table.kj-table tr, [data-testid="stPlotlyChart"], [data-testid="stMetric"] {
    break-inside: avoid;
  }
  table.kj-table .kj-opt { display: table-cell !important; }
  table.kj-table a { text-decoration: none; }
}
</style>"""


def inject_style() -> None:
    """Add the app's CSS (``STYLE``) to the page: a style-only ``st.html`` takes no space."""
    st.html(STYLE)


def page_header(title_key: str, what: str = "complaints") -> dict:
    """Title, freshness caption and demo marker; stops the page with a readable error when the
    database is missing or broken, and with the sign-in page when nobody may see it
    (``ui.auth.require``). Returns ``data.info()``. ``what``: what the header counts
    ("complaints", or "services" on the services page)."""
    inject_style()
    try:
        data.check_database()  # a missing or broken database is said first, to anyone
    except data.DataUnavailable as err:
        st.title(t(title_key))
        show_unavailable(err)
        st.stop()
    auth.require()
    st.title(t(title_key))
    try:
        info = data.info()
    except data.DataUnavailable as err:
        show_unavailable(err)
        st.stop()
    except Exception as exc:  # a database that opens but cannot answer
        show_unavailable(data.DataUnavailable(data.db_path(), "broken", data.describe_error(exc)))
        st.stop()
    if _is_true(info.get("is_demo")):
        st.warning(t("layout.demo"), icon=":material/science:")
    st.caption(freshness_line(info, what))
    return info


def _is_true(value) -> bool:
    return value is True or str(value).lower() in {"true", "1", "yes"}


@contextmanager
def guard(stop: bool = False) -> Iterator[None]:
    """Show a failure inside a page section as a readable message, not a stack trace.

    With ``stop`` the page ends there (for the data every later section needs). Streamlit's own
    control flow (``st.stop``, reruns) derives from BaseException and passes through.
    """
    try:
        yield
    except data.AccessDenied as err:
        show_denied(err)
        if stop:
            st.stop()
    except data.DataUnavailable as err:
        show_unavailable(err)
        if stop:
            st.stop()
    except Exception as exc:
        st.error(t("layout.query_failed", reason=data.describe_error(exc)), icon=":material/error:")
        if stop:
            st.stop()


def empty_state(key: str = "layout.empty") -> None:
    """The explicit "nothing here" message for an empty selection."""
    st.info(t(key), icon=":material/info:")


def table(df: pd.DataFrame, columns: Mapping[str, str], height: int | None = None) -> None:
    """Show ``df`` as text cells (never HTML) with only ``columns`` ({col: catalogue key}),
    renamed into the chosen language."""
    shown = df[[c for c in columns if c in df.columns]].rename(
        columns={c: t(k) for c, k in columns.items()}
    )
    kwargs = {"height": height} if height else {}
    st.dataframe(shown, width="stretch", hide_index=True, **kwargs)
