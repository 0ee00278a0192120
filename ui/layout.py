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

from ui import data
from ui.i18n import fmt_datetime, fmt_num, t

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


def to_local(ts_utc, tz_name: str) -> dt.datetime | None:
    """A naive-UTC timestamp from the warehouse as local wall time in ``tz_name``."""
    if ts_utc is None or pd.isna(ts_utc):
        return None
    ts = pd.Timestamp(ts_utc)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    return ts.tz_convert(ZoneInfo(tz_name)).to_pydatetime()


def freshness_line(info: Mapping) -> str:
    """``Kota Semarang · data sampai 22 Nov 2026 23.41 WIB · 123.456 aduan``."""
    local = to_local(info.get("data_as_of"), info.get("timezone") or "Asia/Jakarta")
    return t(
        "layout.freshness",
        city=info.get("city_name") or "",
        as_of=fmt_datetime(local),
        tz=info.get("tz_label") or "",
        n=fmt_num(info.get("n_complaints") or 0),
    )


def page_header(title_key: str) -> dict:
    """Title, freshness caption and demo marker; stops the page with a readable error when the
    database is missing or broken. Returns ``data.info()``."""
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
    st.caption(freshness_line(info))
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
