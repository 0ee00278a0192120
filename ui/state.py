"""The shared sidebar (language and ISO week) and the URL state that makes a link reproduce a view.

Why: every page reads the same period and language, and a bookmarked link
(``?lang=en&week=2026-W47&agency=dinas-pu``) must open the same view. Values are seeded from
``st.query_params`` on a session's first run and written back on every run.

``dashboard.py`` renders the sidebar once per run and runs the page inside ``frame(view)``; a
page calls ``sidebar()`` too, which then returns the frame's view instead of drawing a second
sidebar. Run on its own (``streamlit run app_pages/x.py``, AppTest), a page draws the sidebar itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st

from ui import data
from ui.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, fmt_week, t

_FRAME_KEY = "_kinerja_frame_view"
LANG_KEY = "lang"
WEEK_KEY = "week"


@dataclass(frozen=True)
class ViewState:
    """What the sidebar chose: language and ISO week (``week`` is None without data)."""

    lang: str
    week: str | None = None
    week_start: dt.date | None = None
    week_end: dt.date | None = None
    weeks: tuple[str, ...] = field(default_factory=tuple)  # ascending, all weeks with data

    @property
    def prev_week(self) -> str | None:
        """The ISO week before the chosen one, when the data has it."""
        i = self._index()
        return self.weeks[i - 1] if i is not None and i > 0 else None

    def weeks_back(self, n: int) -> str | None:
        """The first week of the ``n``-week window that ends with the chosen week."""
        i = self._index()
        return None if i is None else self.weeks[max(0, i - n + 1)]

    def _index(self) -> int | None:
        return self.weeks.index(self.week) if self.week in self.weeks else None


def seed(key: str, options: Sequence, default, param: str | None = None) -> None:
    """Seed widget ``key`` from query parameter ``param`` (else ``default``) on first use.

    A value no longer among ``options`` (say a week outside the data) falls back to ``default``.
    """
    param = param or key
    current = st.session_state.get(key)
    if current in options:
        return
    wanted = st.query_params.get(param)
    matches = [o for o in options if str(o) == wanted]
    st.session_state[key] = matches[0] if matches else default


def sync_param(name: str, value: object | None) -> None:
    """Write a chosen value to the URL (``None`` removes it), so the link reproduces the view."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def language_seed() -> None:
    """Seed the language from ``?lang=`` before anything is drawn (``dashboard.py``)."""
    seed(LANG_KEY, LANGS, DEFAULT_LANG)


def language_picker() -> str:
    """The language radio (``id`` default); its key ``lang`` is what ``ui.i18n.t`` reads."""
    seed(LANG_KEY, LANGS, DEFAULT_LANG)
    lang = st.sidebar.radio(
        t("sidebar.language"),
        LANGS,
        key=LANG_KEY,
        format_func=LANG_NAMES.get,
        horizontal=True,
    )
    sync_param(LANG_KEY, lang)
    return lang


def _week_table():
    """(weeks ascending, {week: (start, end)}, default week) or None without a database."""
    try:
        frame = data.weeks()
        default = data.info().get("last_complete_week")
    except Exception:  # missing/broken database: the page header explains it
        return None
    if frame is None or len(frame) == 0:
        return None
    frame = frame.sort_values("week")
    weeks = tuple(str(w) for w in frame["week"])
    bounds = {
        str(r.week): (_to_date(r.week_start), _to_date(r.week_end))
        for r in frame.itertuples(index=False)
    }
    if default not in bounds:
        default = weeks[-1]
    return weeks, bounds, default


def _to_date(x) -> dt.date | None:
    if x is None:
        return None
    return x.date() if hasattr(x, "date") and callable(x.date) else x


def week_picker(lang: str) -> tuple[str | None, tuple[str, ...], dict]:
    """The ISO-week selectbox, newest first, defaulting to the last complete week."""
    table = _week_table()
    if table is None:
        return None, (), {}
    weeks, bounds, default = table
    seed(WEEK_KEY, weeks, default)

    def label(w: str) -> str:
        start, _end = bounds[w]
        return fmt_week(w, start, lang)

    week = st.sidebar.selectbox(
        t("sidebar.week"),
        list(reversed(weeks)),
        key=WEEK_KEY,
        format_func=label,
        help=t("sidebar.week_help"),
    )
    sync_param(WEEK_KEY, week)
    return week, weeks, bounds


def sidebar() -> ViewState:
    """Draw the shared sidebar (or reuse the one ``dashboard.py`` drew this run)."""
    framed = st.session_state.get(_FRAME_KEY)
    if isinstance(framed, ViewState):
        return framed
    lang = language_picker()
    week, weeks, bounds = week_picker(lang)
    start, end = bounds.get(week, (None, None))
    return ViewState(lang=lang, week=week, week_start=start, week_end=end, weeks=weeks)


def week_title(view: ViewState) -> str:
    """The chosen week as a heading: ``Minggu 47 · 16 Nov – 22 Nov 2026``."""
    return fmt_week(view.week, view.week_start, view.lang) if view.week else ""


@contextmanager
def frame(view: ViewState) -> Iterator[None]:
    """Make ``view`` the one pages reuse while ``dashboard.py`` runs the chosen page."""
    st.session_state[_FRAME_KEY] = view
    try:
        yield
    finally:
        st.session_state.pop(_FRAME_KEY, None)


def choice(
    key: str,
    label: str,
    options: Sequence,
    default=None,
    format_func=str,
    container=None,
    help: str | None = None,
):
    """A selectbox whose value lives in the URL as ``?key=value`` (agency, dimension, ...)."""
    if not options:
        return None
    default = default if default in options else options[0]
    seed(key, options, default)
    where = container if container is not None else st
    value = where.selectbox(label, list(options), key=key, format_func=format_func, help=help)
    sync_param(key, value)
    return value


def radio_choice(key: str, label: str, options: Sequence, default=None, format_func=str):
    """A horizontal radio kept in the URL like ``choice`` (e.g. the trend range)."""
    default = default if default in options else options[0]
    seed(key, options, default)
    value = st.radio(label, list(options), key=key, format_func=format_func, horizontal=True)
    sync_param(key, value)
    return value


def horizon_choice(view: ViewState, default: int) -> int:
    """The trend range radio (12, 26 or 52 weeks ending with the chosen week; ``?range=``)."""
    return radio_choice(
        "range",
        t("overview.horizon"),
        [12, 26, 52],
        default,
        lambda n: t("overview.horizon_opt", view.lang, n=n),
    )
