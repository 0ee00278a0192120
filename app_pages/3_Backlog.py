"""Backlog & ageing (Tunggakan): how much is open, how old it is, and where it sits.

Backlog over time, ageing buckets, an agency × age-bucket heatmap and the oldest open complaints,
all at the end of the chosen week and all from ``kpi/``.
"""

import streamlit as st

from ui import charts, data, layout, state
from ui.i18n import fmt_datetime, fmt_num, masked, t, week_axis

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
info = layout.page_header("backlog.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()
st.subheader(t("backlog.as_of", week=state.week_title(view)))
layout.week_note(view, info)
cut = data.week_cut(view.week_end)

# ---- backlog over time (each week labelled by its Monday, as on the overview) ----
horizon = state.horizon_choice(view, 26)
with layout.guard():
    series = data.weekly(view.weeks_back(horizon), view.week)
    series["x"] = week_axis(series["week_start"])
    charts.show(
        charts.backlog_area(series, "x", "backlog", "overdue_backlog", t("backlog.over_time")),
        key="backlog_series",
    )

# ---- ageing buckets, city and per agency ----
with layout.guard():
    ages = data.backlog_ages(cut)
    if int(ages["n"].sum()) == 0:
        layout.empty_state()
    else:
        charts.show(charts.age_bars(ages, t("backlog.buckets")), key="buckets")
with layout.guard():
    by_agency = data.backlog_ages(cut, by="agency_id")
    if len(by_agency) == 0 or int(by_agency["n"].sum()) == 0:
        layout.empty_state()
    else:
        names = data.agencies().set_index("agency_id")["name"].astype(str)
        matrix = by_agency.pivot_table(
            index="agency_id", columns="bucket", values="n", aggfunc="sum", fill_value=0
        )
        matrix = matrix.reindex(columns=[b for b in ages["bucket"] if b in matrix.columns])
        matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]
        matrix.index = [names.get(a, a) for a in matrix.index]
        matrix.columns = [t(f"bucket.{b}") for b in matrix.columns]
        charts.show(charts.heatmap(matrix, t("backlog.heatmap")), key="heatmap")

# ---- oldest open complaints ----
st.subheader(t("backlog.oldest"))
with layout.guard():
    oldest = data.oldest_open(cut, limit=20)
    if len(oldest) == 0:
        layout.empty_state()
    else:
        names = data.agencies().set_index("agency_id")["name"].astype(str)
        oldest["agency"] = [names.get(a, a) for a in oldest["agency_id"]]
        oldest["title"] = [masked(x) for x in oldest["title"]]
        tz = info.get("timezone") or "Asia/Jakarta"
        oldest["created"] = [fmt_datetime(layout.to_local(x, tz)) for x in oldest["created_at"]]
        oldest["age_days"] = [fmt_num(x, 0) for x in oldest["age_days"]]
        layout.table(
            oldest,
            {
                "complaint_id": "col.id",
                "title": "col.title",
                "agency": "col.agency",
                "category": "col.category",
                "district": "col.district",
                "created": "col.created",
                "age_days": "col.age_days",
            },
        )
