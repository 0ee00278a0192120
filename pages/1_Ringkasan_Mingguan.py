"""Weekly overview (Ringkasan Mingguan): the mayor's view of one ISO week.

Headline tiles with week-over-week change, inflow vs resolved and backlog trends, the agency
league table, the biggest movers and the week in words. Every figure comes from ``kpi/``.
"""

import pandas as pd
import streamlit as st

from ui import charts, data, layout, state, story
from ui.i18n import fmt_date, fmt_num, fmt_signed, t

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
lang = view.lang
layout.page_header("overview.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

st.subheader(state.week_title(view))
with layout.guard(stop=True):
    cur = data.summary(view.week, view.week)
    prev = data.summary(view.prev_week, view.prev_week) if view.prev_week else None
if not cur.get("received") and not cur.get("backlog"):
    layout.empty_state("layout.empty_period")
    st.stop()

# ---- headline tiles ----
with layout.guard():
    cols = [*st.columns(3), *st.columns(3)]
    for col, tile in zip(cols, story.tiles(cur, prev, lang), strict=True):
        col.metric(
            tile.label,
            tile.value,
            tile.delta,
            delta_color=tile.delta_color,
            help=tile.help or t("overview.wow_help"),
            border=True,
        )


def league_table(week: str, prev_week: str | None) -> pd.DataFrame:
    """The agency scores of ``week`` with the rank change on ``prev_week``, as display text."""
    scores = data.agency_scores(week, week)
    if prev_week:
        before = data.agency_scores(prev_week, prev_week)[["agency_id", "rank"]]
        scores = scores.merge(before.rename(columns={"rank": "prev_rank"}), "left", "agency_id")
    else:
        scores["prev_rank"] = None
    scores = scores.sort_values(["is_ranked", "rank", "score"], ascending=[False, True, False])
    return pd.DataFrame(
        {
            "rank": [
                fmt_num(r, 0) if ok else t("status.not_ranked")
                for r, ok in zip(scores["rank"], scores["is_ranked"], strict=True)
            ],
            "agency": scores["agency_name"].astype(str),
            "score": [fmt_num(v, 2) for v in scores["score"]],
            "status": [charts.status_text(s) for s in scores["status"]],
            "rank_change": [
                rank_move(p, r) for p, r in zip(scores["prev_rank"], scores["rank"], strict=True)
            ],
            "n_obligations": [fmt_num(v, 0) for v in scores["n_obligations"]],
        }
    )


def rank_move(prev_rank, rank) -> str:
    """``▲ 2`` (moved up two places), ``▼ 1``, ``=`` or ``–`` when either rank is missing."""
    if pd.isna(prev_rank) or pd.isna(rank):
        return "–"
    up = int(prev_rank) - int(rank)
    return "=" if up == 0 else (f"▲ {up}" if up > 0 else f"▼ {-up}")


# ---- the week in words (kept above the fold) ----
with layout.guard():
    league = league_table(view.week, view.prev_week)
    ranked = league[league["rank"] != t("status.not_ranked")]
    best_worst = (ranked["agency"].iloc[0], ranked["agency"].iloc[-1]) if len(ranked) > 1 else None
    movers_cat = data.movers(view.week, view.week, "category", n=5)
    top = None
    if len(movers_cat):
        first = movers_cat.sort_values("change", ascending=False).iloc[0]
        top = (str(first["category"]), float(first["change"]))
    st.markdown(
        f"**{t('overview.story')}** — " + story.week_in_words(cur, prev, lang, top, best_worst)
    )

# ---- trends ----
st.subheader(t("overview.trend"))
horizon = state.horizon_choice(view, 12)
with layout.guard():
    start = view.weeks_back(horizon)
    weekly = data.weekly(start, view.week)
    weekly["x"] = [fmt_date(d) for d in weekly["week_start"]]
    left, right = st.columns(2)
    left.plotly_chart(
        charts.flow_bars(weekly, "x", "received", "closed", t("overview.flow")),
        width="stretch",
        key="flow",
    )
    right.plotly_chart(
        charts.backlog_area(weekly, "x", "backlog", "overdue_backlog", t("overview.backlog_trend")),
        width="stretch",
        key="backlog",
    )

# ---- league table and movers ----
left, right = st.columns([3, 2])
with left, layout.guard():
    st.subheader(t("overview.league"))
    layout.table(
        league,
        {
            "rank": "col.rank",
            "agency": "col.agency",
            "score": "col.score",
            "status": "col.status",
            "rank_change": "col.rank_change",
            "n_obligations": "col.n_obligations",
        },
    )
    st.caption(t("status.not_ranked_help", n=data.settings().min_obligations))
with right, layout.guard():
    st.subheader(t("overview.movers"))
    dim = state.radio_choice(
        "movers", t("overview.movers_dim"), ["category", "district"], "category",
        lambda d: t(f"dim.{d}", lang),
    )  # fmt: skip
    movers = data.movers(view.week, view.week, dim, n=5)
    if len(movers) == 0:
        layout.empty_state()
    else:
        movers = movers.sort_values("change", ascending=False)
        st.plotly_chart(
            charts.bars(
                movers[dim].astype(str).tolist(),
                movers["change"].tolist(),
                horizontal=True,
                text=[fmt_signed(v, 0) for v in movers["change"]],
                colors=[
                    charts.OKABE_ITO["vermillion"] if v > 0 else charts.OKABE_ITO["blue"]
                    for v in movers["change"]
                ],
            ),  # fmt: skip
            width="stretch",
            key="movers_chart",
        )
