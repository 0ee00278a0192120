"""Explore (Jelajah): slice the complaints by period, agency, category, district and channel.

Filters narrow every figure; clicking a bar in a breakdown makes it a filter (click again to
clear), so the other charts narrow to it. A breakdown ignores its own dimension's filter, so all
its bars stay visible with the chosen one highlighted. Every figure comes from ``kpi/``.
"""

from functools import partial

import streamlit as st

from ui import charts, crossfilter, data, layout, pagekit, state
from ui.crossfilter import ALL, DIMS, chart_key, filter_key
from ui.i18n import fmt_metric, metric_label, metric_unit, t, value_label, week_axis

MEASURES = [
    "received",
    "closed",
    "backlog",
    "overdue_backlog",
    "response_sla_compliance",
    "resolution_sla_compliance",
    "clearance_rate",
    "median_days_to_resolve",
    "satisfaction_avg",
]
TILES = ["received", "closed", "resolution_sla_compliance", "backlog"]

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
layout.page_header("explore.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

# ---- filters (each kept in the URL) ----
start, end, span = pagekit.period_picker(view, "x_weeks", 12)
names = pagekit.or_stop(data.agencies).set_index("agency_id")["name"].astype(str).to_dict()


def label_of(dim: str, value: str) -> str:
    """Display text of a dimension value: agency names instead of ids, channel names instead of
    channel ids, "all" for no filter (bound to the chosen language: AppTest formats options
    outside the script run)."""
    if value == ALL:
        return t("explore.all", view.lang)
    return names.get(value, value) if dim == "agency_id" else value_label(dim, value, view.lang)


filters: dict[str, str] = {}
columns = st.columns(len(DIMS) + 1)
for col, dim in zip(columns, DIMS, strict=False):
    options = [ALL, *pagekit.or_stop(data.dimension_values, dim)]
    filters[dim] = state.choice(
        filter_key(dim), t(f"dim.{dim}"), options, ALL, partial(label_of, dim), container=col
    )
measure = state.choice(
    "x_metric",
    t("explore.measure"),
    MEASURES,
    "received",
    lambda m: metric_label(m, view.lang),
    container=columns[-1],
)
scope = crossfilter.scope_of(filters)
percent = metric_unit(measure) == "share"
pagekit.period_caption(view, start, span)
if scope:
    st.button(t("explore.clear"), on_click=crossfilter.clear_filters, args=(st.session_state,))

# ---- headline figures for the selection ----
with layout.guard():
    totals = data.summary(start, end, scope=scope)
    for col, name in zip(st.columns(len(TILES)), TILES, strict=True):
        col.metric(metric_label(name), fmt_metric(name, totals.get(name)), border=True)
    if not totals.get("received") and not totals.get("backlog"):
        layout.empty_state()
        st.stop()

# ---- over time ----
with layout.guard():
    weekly = data.weekly(start, end, scope=scope)
    weekly["x"] = week_axis(weekly["week_start"])
    left, right = st.columns(2)
    charts.show(
        charts.flow_bars(weekly, "x", "received", "closed", t("overview.flow")),
        key="x_flow",
        where=left,
    )
    charts.show(
        charts.lines(weekly, "x", {measure: metric_label(measure)}, metric_label(measure), percent),
        key="x_trend",
        where=right,
    )

# ---- breakdowns: click a bar to filter on it ----
st.subheader(t("explore.breakdowns", metric=metric_label(measure)))
st.caption(t("explore.click_help"))


def breakdown_chart(dim: str):
    """Bars of ``measure`` per value of ``dim``, under every filter except ``dim``'s own."""
    df = data.breakdown(start, end, dim, scope=crossfilter.scope_of(filters, skip=dim))
    df = df[df[measure].notna()]
    if metric_unit(measure) == "count":  # a value with nothing in the period draws no bar
        df = df[df[measure] != 0]
    df = df.sort_values(measure, ascending=False)
    if len(df) == 0:
        return None
    values = [str(v) for v in df[dim]]
    chosen = filters[dim]
    fig = charts.bars(
        [charts.wrap_label(label_of(dim, v), 28) for v in values],
        df[measure].tolist(),
        t(f"dim.{dim}"),
        horizontal=True,
        colors=[charts.OKABE_ITO["orange"] if v == chosen else charts.SERIES[0] for v in values],
        text=[fmt_metric(measure, x) for x in df[measure]],
    )
    fig.update_traces(
        customdata=[[v] for v in values], hovertemplate="%{y}: %{text}<extra></extra>"
    )  # the raw value rides along: the click filter reads it, not the label
    if percent:
        fig.update_xaxes(tickformat=".0%")
    return fig


for row in (DIMS[:2], DIMS[2:]):
    for col, dim in zip(st.columns(2), row, strict=True):
        with col, layout.guard():
            fig = breakdown_chart(dim)
            if fig is None:
                layout.empty_state()
                continue
            charts.show(
                fig,
                key=chart_key(dim),
                on_select=partial(crossfilter.apply_selection, st.session_state, dim),
                selection_mode="points",
            )
