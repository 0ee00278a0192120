"""Weekly overview (Ringkasan Mingguan): the mayor's view of one ISO week.

Above the fold: the week in words and the headline tiles with week-over-week change. Then the
agency league (every agency, status in colour and words, ranked on the rolling window, each
name opening its scorecard) with the undisposed complaints as their own line, the inflow and
backlog trends and the biggest movers. Every figure comes from ``kpi/``.
"""

import streamlit as st

from ui import attention, charts, data, layout, state, story, tables
from ui.i18n import fmt_num, fmt_signed, t, tn, week_axis

st.set_page_config(page_title="Kinerja", page_icon=":material/monitoring:", layout="wide")
view = state.sidebar()
lang = view.lang
info = layout.page_header("overview.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

st.subheader(state.week_title(view))
layout.week_note(view, info)
with layout.guard(stop=True):
    cur = data.summary(view.week, view.week)
    prev = data.summary(view.prev_week, view.prev_week) if view.prev_week else None
    league = data.league(view.week)
if not cur.get("received") and not cur.get("backlog"):
    layout.empty_state("layout.empty_period")
    st.stop()

# ---- what needs attention (kpi.alerts), and the same week as the PDF brief ----
with layout.guard():
    attention.download_brief(view.week, lang)
    attention.show_alerts(view.week, lang)

# ---- the week in words, then the headline tiles (the Monday answer above the fold) ----
with layout.guard():
    ranked = league.agencies[league.agencies["is_ranked"]]
    best_worst = (
        (str(ranked["agency_name"].iloc[0]), str(ranked["agency_name"].iloc[-1]))
        if len(ranked) > 1
        else None
    )
    movers_cat = data.movers(view.week, view.week, "category", n=5)
    top = None
    if len(movers_cat):
        first = movers_cat.sort_values("change", ascending=False).iloc[0]
        top = (str(first["category"]), float(first["change"]))
    st.markdown(
        f"**{t('overview.story')}** — " + story.week_in_words(cur, prev, lang, top, best_worst)
    )
with layout.guard():
    cols = [*st.columns(3), *st.columns(3)]
    for col, tile in zip(cols, story.tiles(cur, prev, lang, view.region_level), strict=True):
        col.metric(
            tile.label,
            tile.value,
            tile.delta,
            delta_color=tile.delta_color,
            help=tile.help or t("overview.wow_help"),
            border=True,
        )

# ---- the league: every agency, then the undisposed complaints as their own line ----
with layout.guard():
    settings = data.settings()
    window = tn("weeks.n", league.n_weeks, lang)
    st.subheader(t("overview.league"))
    tables.show(
        tables.league(league, lang, settings.min_obligations, None if view.auto else view.week)
    )
    st.caption(
        t("league.n_ranked", n=fmt_num(league.n_ranked), total=fmt_num(len(league.agencies)))
        + " "
        + t("league.help", window=window, n=fmt_num(settings.min_obligations))
    )
    undisposed = league.undisposed
    if undisposed.get("received") or undisposed.get("backlog"):
        st.warning(
            t(
                "league.undisposed",
                received=fmt_num(undisposed["received"]),
                backlog=fmt_num(undisposed["backlog"]),
                overdue=fmt_num(undisposed["overdue_backlog"]),
            ),
            icon=":material/move_to_inbox:",
        )

# ---- trends and movers ----
st.subheader(t("overview.trend"))
horizon = state.horizon_choice(view, 12)
with layout.guard():
    start = view.weeks_back(horizon)
    weekly = data.weekly(start, view.week)
    weekly["x"] = week_axis(weekly["week_start"])
    left, right = st.columns(2)
    charts.show(
        charts.flow_bars(weekly, "x", "received", "closed", t("overview.flow")),
        key="flow",
        where=left,
    )
    charts.show(
        charts.backlog_area(weekly, "x", "backlog", "overdue_backlog", t("overview.backlog_trend")),
        key="backlog",
        where=right,
    )
st.subheader(t("overview.movers"))
with layout.guard():
    dim = state.radio_choice(
        "movers", t("overview.movers_dim"), ["category", "district"], "category",
        lambda d: t(f"dim.{d}", lang),
    )  # fmt: skip
    movers = data.movers(view.week, view.week, dim, n=5)
    if len(movers) == 0:
        layout.empty_state()
    else:
        movers = movers.sort_values("change", ascending=False)
        charts.show(
            charts.bars(
                [charts.wrap_label(str(v), 24) for v in movers[dim]],
                movers["change"].tolist(),
                t("overview.movers_help"),
                horizontal=True,
                text=[fmt_signed(v, 0) for v in movers["change"]],
                colors=[
                    charts.OKABE_ITO["vermillion"] if v > 0 else charts.OKABE_ITO["blue"]
                    for v in movers["change"]
                ],
            ),  # fmt: skip
            key="movers_chart",
        )
