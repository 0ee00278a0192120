"""The shared sidebar (region, language and ISO week) and the URL state that makes a link reproduce a
view.

Why: every page reads the same period and language, and a bookmarked link
(``?lang=en&week=2026-W47&agency=dinas-pu``) must open the same view. Values are seeded from
``st.query_params`` on a session's first run; only what the reader chose is written back, so a
link without ``week=`` means "the latest" and keeps meaning it next Monday.

``dashboard.py`` renders the sidebar once per run and runs the page inside ``frame(view)``; a
page calls ``sidebar()`` too, which then returns the frame's view instead of drawing a second
sidebar. Run on its own (``streamlit run app_pages/x.py``, AppTest), a page draws the sidebar itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import streamlit as st

from ui import data
from ui.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, fmt_week, t, tn

_FRAME_KEY = "_kinerja_frame_view"
LANG_KEY = "lang"
WEEK_KEY = "week"
REGION_KEY = "region"
AUTO = ""  # the week option "latest (automatic)": no ``week=`` in the URL


@dataclass(frozen=True)
class ViewState:
    """What the sidebar chose: language and ISO week (``week`` is None without data).

    ``auto``: the week follows the data (the link has no ``week=``), chosen by
    ``kpi.periods.default_week`` for ``week_reason`` (a reason code); ``latest_week`` is the
    week of the data's as-of time, still in progress.
    """

    lang: str
    week: str | None = None
    week_start: dt.date | None = None
    week_end: dt.date | None = None
    weeks: tuple[str, ...] = field(default_factory=tuple)  # ascending, all weeks with data
    auto: bool = True
    week_reason: str | None = None
    latest_week: str | None = None
    # the region every figure is scoped to (None: a single-region database, no region picker)
    region: str | None = None
    region_name: str | None = None
    region_level: str | None = None
    province: str | None = None  # the database's province, when it holds one with kab/kota

    @property
    def is_province(self) -> bool:
        """Whether the view is the whole province (its kab/kota compared, its own OPD ranked)."""
        return self.region is not None and self.region == self.province

    @property
    def prev_week(self) -> str | None:
        """The ISO week before the chosen one, when the data has it."""
        i = self._index()
        return self.weeks[i - 1] if i is not None and i > 0 else None

    @property
    def in_progress(self) -> bool:
        """Whether the chosen week is the one still running (the data's latest)."""
        return self.week is not None and self.week == self.latest_week

    def weeks_back(self, n: int) -> str | None:
        """The first week of the ``n``-week window that ends with the chosen week."""
        i = self._index()
        return None if i is None else self.weeks[max(0, i - n + 1)]

    def _index(self) -> int | None:
        return self.weeks.index(self.week) if self.week in self.weeks else None


def widget_key(key: str, lang: str) -> str:
    """The widget behind URL value ``key`` in language ``lang``.

    One widget per language: Streamlit keeps a selectbox's shown text when only its option
    labels change, so a week chosen in Indonesian kept reading "Minggu 46" in English.
    """
    return f"w_{key}_{lang}"


def _explicit_key(key: str) -> str:
    return f"{key}__chosen"


def _from_url(key: str, options: Sequence, param: str | None = None):
    """The option named by ``?param=`` (``key``), or None."""
    wanted = st.query_params.get(param or key)
    matches = [o for o in options if str(o) == wanted]
    return matches[0] if matches else None


def _current(key: str, options: Sequence, default):
    """The value of ``key``: kept in the session, else from the URL (an explicit choice), else
    ``default``. A value no longer among ``options`` (a week outside the data) falls back."""
    value = st.session_state.get(key)
    if value in options and key in st.session_state:
        return value
    wanted = _from_url(key, options)
    if wanted is not None:
        st.session_state[_explicit_key(key)] = True
        value = wanted
    else:
        st.session_state.pop(_explicit_key(key), None)
        value = default
    st.session_state[key] = value
    return value


def _chosen(key: str, wkey: str) -> None:
    """Widget callback: the reader's choice becomes the value of ``key``, and explicit."""
    st.session_state[key] = st.session_state[wkey]
    st.session_state[_explicit_key(key)] = True


def sync_param(name: str, value: object | None) -> None:
    """Write a chosen value to the URL (``None`` removes it), so the link reproduces the view."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def _keep_in_url(key: str, value, default, sticky: bool) -> None:
    """Only what the reader chose goes into the link: a value other than the default, or, for a
    default that moves with the data (``sticky``: the agency, the kecamatan), an explicit
    choice, so that a bookmark keeps it when the default moves."""
    keep = value != default or (sticky and st.session_state.get(_explicit_key(key), False))
    sync_param(key, value if keep else None)


def language_seed() -> None:
    """Seed the language from ``?lang=`` before anything is drawn (``dashboard.py``)."""
    if st.session_state.get(LANG_KEY) not in LANGS:
        wanted = _from_url(LANG_KEY, LANGS)
        st.session_state[LANG_KEY] = wanted or DEFAULT_LANG


def language_picker() -> str:
    """The language radio (``id`` default); its key ``lang`` is what ``ui.i18n.t`` reads."""
    language_seed()
    lang = st.sidebar.radio(
        t("sidebar.language"),
        LANGS,
        key=LANG_KEY,
        format_func=LANG_NAMES.get,
        horizontal=True,
    )
    sync_param(LANG_KEY, None if lang == DEFAULT_LANG else lang)
    return lang


def _week_table():
    """(weeks ascending, {week: (start, end)}, info) or None without a database."""
    try:
        frame = data.weeks()
        info = data.info()
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
    return weeks, bounds, info


def _to_date(x) -> dt.date | None:
    if x is None:
        return None
    return x.date() if hasattr(x, "date") and callable(x.date) else x


def week_picker(lang: str) -> ViewState:
    """The ISO-week selectbox: "latest (automatic)" first (the default, no ``week=`` in the
    URL), then every week newest first, the running one marked "(in progress)"."""
    table = _week_table()
    if table is None:
        return ViewState(lang=lang)
    weeks, bounds, info = table
    latest = info.get("latest_week") if info.get("latest_week") in bounds else weeks[-1]
    auto_week = info.get("default_week") if info.get("default_week") in bounds else latest
    options = [AUTO, *reversed(weeks)]

    def label(w: str) -> str:
        if w == AUTO:
            return t("week.auto", lang, week=label(auto_week))
        text = fmt_week(w, bounds[w][0], lang)
        return f"{text} {t('week.incomplete', lang)}" if w == latest else text

    value = _current(WEEK_KEY, options, AUTO)
    wkey = widget_key(WEEK_KEY, lang)
    st.session_state[wkey] = value
    st.sidebar.selectbox(
        t("sidebar.week"),
        options,
        key=wkey,
        format_func=label,
        help=t("sidebar.week_help"),
        on_change=_chosen,
        args=(WEEK_KEY, wkey),
    )
    sync_param(WEEK_KEY, None if value == AUTO else value)
    week = auto_week if value == AUTO else value
    start, end = bounds[week]
    return ViewState(
        lang=lang,
        week=week,
        week_start=start,
        week_end=end,
        weeks=weeks,
        auto=value == AUTO,
        week_reason=info.get("default_week_reason") if value == AUTO else None,
        latest_week=latest,
    )


def sidebar() -> ViewState:
    """Draw the shared sidebar (or reuse the one ``dashboard.py`` drew this run)."""
    framed = st.session_state.get(_FRAME_KEY)
    if isinstance(framed, ViewState):
        return framed
    lang = language_picker()
    region = region_picker(lang)
    view = week_picker(lang)
    return replace(view, **region) if region else view


def _region_table():
    """The regions of the database with complaints, and its province (or None)."""
    try:
        regions = data.regions()
    except Exception:  # missing/broken database: the page header explains it
        return None
    regions = regions[regions["n_complaints"] > 0]
    if len(regions) <= 1:
        return None
    return regions, data.province_code(regions)


def region_picker(lang: str) -> dict | None:
    """The region selectbox (``?region=``), shown only when the database holds more than one
    region: the province as a whole first, then its kabupaten/kota by name. The choice scopes
    every figure of every page (``ui.data`` reads it). None for a single-region database."""
    table = _region_table()
    if table is None:
        data.set_region(None)
        return None
    regions, province = table
    names = dict(zip(regions["region_code"], regions["name"].astype(str), strict=True))
    levels = dict(zip(regions["region_code"], regions["level"].astype(str), strict=True))
    rest = sorted(
        (c for c in names if c != province), key=lambda c: (levels[c] != "kota", names[c])
    )
    options = [
        c for c in ([province] if province in names else []) + rest if data.region_visible(c)
    ]
    if len(options) <= 1:  # one region the reader may see (a regional head): nothing to choose;
        return _only_region(options, names, levels, province)  # their province's league stays
    default = options[0]

    def label(code: str) -> str:
        if code == province:
            return t("region.whole", lang, name=names[code])
        return names[code]

    value = choice(
        REGION_KEY, t("sidebar.region"), options, default, format_func=label,
        container=st.sidebar, help=t("sidebar.region_help"),
    )  # fmt: skip
    data.set_region(value)
    return {
        "region": value,
        "region_name": names[value],
        "region_level": levels[value],
        "province": province,
    }


def _only_region(options: list, names: dict, levels: dict, province: str | None) -> dict | None:
    """The view of a reader who may see one region only (``ui.data.regions`` lists it, and the
    province of a regional head, whose region league they may compare with): no selectbox."""
    value = options[0] if options else None
    data.set_region(value)
    if value is None:
        return None
    return {"region": value, "region_name": names[value], "region_level": levels[value],
            "province": province if province != value else None}  # fmt: skip


def week_title(view: ViewState) -> str:
    """The chosen week as a heading: ``Minggu 47 · 16 Nov – 22 Nov 2026`` (``(berjalan)`` when
    it is still running)."""
    if not view.week:
        return ""
    text = fmt_week(view.week, view.week_start, view.lang)
    return f"{text} {t('week.incomplete', view.lang)}" if view.in_progress else text


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
    sticky: bool = False,
):
    """A selectbox whose value lives in the URL as ``?key=value`` (agency, dimension, ...), only
    when chosen (see ``_keep_in_url``; ``sticky`` for a default that moves with the data)."""
    if not options:
        return None
    options = list(options)
    default = default if default in options else options[0]
    value = _current(key, options, default)
    wkey = widget_key(key, _lang())
    st.session_state[wkey] = value
    where = container if container is not None else st
    where.selectbox(
        label, options, key=wkey, format_func=format_func, help=help,
        on_change=_chosen, args=(key, wkey),
    )  # fmt: skip
    _keep_in_url(key, value, default, sticky)
    return value


def radio_choice(key: str, label: str, options: Sequence, default=None, format_func=str):
    """A horizontal radio kept in the URL like ``choice`` (e.g. the trend range)."""
    options = list(options)
    default = default if default in options else options[0]
    value = _current(key, options, default)
    wkey = widget_key(key, _lang())
    st.session_state[wkey] = value
    st.radio(
        label, options, key=wkey, format_func=format_func, horizontal=True,
        on_change=_chosen, args=(key, wkey),
    )  # fmt: skip
    _keep_in_url(key, value, default, sticky=False)
    return value


def _lang() -> str:
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def horizon_choice(view: ViewState, default: int) -> int:
    """The trend range radio (12, 26 or 52 weeks ending with the chosen week; ``?range=``)."""
    return radio_choice(
        "range",
        t("overview.horizon"),
        [12, 26, 52],
        default,
        lambda n: tn("overview.horizon_opt", n, view.lang),
    )
