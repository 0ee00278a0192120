"""Small helpers shared by the Explore, Map, Services and Data pages (pages 4–7).

Why: those pages all choose a period of N weeks ending with the sidebar's week, print it the
same way, must stop with a readable message (never a traceback) when a set-up query fails, and
must show data text in charts as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import data, layout, state
from ui.escape import plain  # noqa: F401 - data text for plotly (the charts apply it too)
from ui.i18n import fmt_date, t, tn

SPANS = [1, 4, 12, 26, 52]


def or_stop(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Return ``fn(*args, **kwargs)``; on failure show the readable message and stop the page."""
    done, result = False, None
    with layout.guard():
        result = fn(*args, **kwargs)
        done = True
    if not done:
        st.stop()
    return result


def period_picker(view: state.ViewState, key: str, default: int) -> tuple[str, str, int]:
    """The "N weeks ending with the chosen week" radio (kept in the URL as ``?key=N``).

    Returns (first ISO week, last ISO week, N) for the KPI calls.
    """
    span = state.radio_choice(
        key, t("explore.span"), SPANS, default, lambda n: tn("overview.horizon_opt", n, view.lang)
    )
    return view.weeks_back(span), view.week, span


def period_caption(view: state.ViewState, start: str, span: int, suffix: str = "") -> None:
    """``12 minggu: 24 Agu 2026 – 15 Nov 2026`` under the period picker."""
    starts = or_stop(data.weeks).set_index("week")["week_start"]
    last_day = view.week_end - dt.timedelta(days=1) if view.week_end else None
    text = tn("explore.period", span, start=fmt_date(starts.get(start)), end=fmt_date(last_day))
    st.caption(f"{text}. {suffix}" if suffix else text)
