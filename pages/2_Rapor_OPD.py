"""Agency scorecard (Rapor OPD): one agency's week, for its head (bookmarkable as ``?agency=``).

Score against target and city, rank, each scored metric against its target with its trend,
backlog ageing, the overdue complaints to fix first (CSV download) and how the score is computed.
"""

import pandas as pd
import streamlit as st

from kinerja.exports import csv_bytes
from ui import charts, data, layout, state
from ui.escape import md
from ui.i18n import (
    fmt_date,
    fmt_metric,
    fmt_num,
    fmt_pct,
    fmt_signed,
    metric_label,
    metric_unit,
    t,
)

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
layout.page_header("scorecard.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

with layout.guard(stop=True):
    scores = data.agency_scores(view.week, view.week)
    city = data.summary(view.week, view.week)
if len(scores) == 0:
    layout.empty_state("scorecard.no_agencies")
    st.stop()
names = dict(zip(scores["agency_id"], scores["agency_name"].astype(str), strict=True))
wanted = st.query_params.get("agency")
if wanted and wanted not in names:
    st.warning(t("scorecard.unknown_agency", agency=wanted))
agency = state.choice(
    "agency", t("scorecard.choose"), sorted(names, key=names.get), format_func=names.get
)
row = scores.set_index("agency_id").loc[agency]
st.subheader(f"{md(names[agency])} — {state.week_title(view)}")


# ---- score, city, rank ----
with layout.guard():
    c1, c2, c3 = st.columns(3)
    gap = None if row["score"] is None or row["score"] != row["score"] else row["score"] - 1.0
    c1.metric(
        t("scorecard.score_vs_target"),
        fmt_num(row["score"], 2),
        None if gap is None else t("scorecard.vs_target", x=fmt_signed(gap, 2)),
        border=True,
    )
    c2.metric(t("scorecard.city_score"), fmt_num(city.get("score"), 2), border=True)
    n_ranked = int(scores["is_ranked"].sum())
    ranked = bool(row["is_ranked"])
    c3.metric(
        t("scorecard.rank"),
        t("scorecard.rank_of", rank=fmt_num(row["rank"]), n=n_ranked) if ranked else "–",
        help=t("status.not_ranked_help", n=data.settings().min_obligations),
        border=True,
    )
    status_line = f"**{t('col.status')}:** {charts.status_text(row['status'])}"
    if not ranked:
        status_line += " · " + t("status.not_ranked_help", n=data.settings().min_obligations)
    st.markdown(status_line)

# ---- each scored metric vs target, with its trend ----
with layout.guard(stop=True):
    breakdown = data.score_breakdown(view.week, view.week, agency_id=agency)
st.subheader(t("scorecard.metrics"))
with layout.guard():
    shown = pd.DataFrame(
        {
            "metric": [metric_label(m) for m in breakdown["metric"]],
            "value": [fmt_metric(m, v) for m, v in zip(breakdown["metric"], breakdown["value"], strict=True)],
            "target": [fmt_metric(m, v) for m, v in zip(breakdown["metric"], breakdown["target"], strict=True)],
            "city": [fmt_metric(m, city.get(m)) for m in breakdown["metric"]],
            "attainment": [fmt_num(v, 2) for v in breakdown["attainment"]],
        }
    )  # fmt: skip
    layout.table(
        shown,
        {
            "metric": "col.metric",
            "value": "col.value",
            "target": "col.target",
            "city": "chart.city",
            "attainment": "col.attainment",
        },
    )
    weekly = data.weekly(view.weeks_back(12), view.week, scope={"agency_id": agency})
    weekly["x"] = [fmt_date(d) for d in weekly["week_start"]]
    targets = dict(zip(breakdown["metric"], breakdown["target"], strict=True))
    cols = st.columns(2)
    for i, metric in enumerate(m for m in breakdown["metric"] if m in weekly.columns):
        fig = charts.lines(
            weekly,
            "x",
            {metric: metric_label(metric)},
            title=f"{metric_label(metric)} · {t('scorecard.trend')}",
            percent=metric_unit(metric) == "share",
            target=targets.get(metric),
        )
        cols[i % 2].plotly_chart(fig, width="stretch", key=f"trend_{metric}")

# ---- backlog ageing ----
st.subheader(t("scorecard.ageing"))
with layout.guard():
    ages = data.backlog_ages(data.week_cut(view.week_end), scope={"agency_id": agency})
    if len(ages) == 0 or int(ages["n"].sum()) == 0:
        layout.empty_state()
    else:
        st.plotly_chart(
            charts.age_bars(ages),
            width="stretch",
            key="ages",
        )

# ---- what to fix first ----
st.subheader(t("scorecard.fix_first"), help=t("scorecard.fix_first_help"))
with layout.guard():
    fix = data.fix_first(agency)
    if len(fix) == 0:
        st.success(t("scorecard.no_overdue"))
    else:
        fix["due_kind"] = [t(f"due.{k}") for k in fix["due_kind"]]
        for col in ("age_days", "days_overdue"):  # whole days: language-neutral numbers
            fix[col] = fix[col].astype("float64").fillna(0).astype("int64")
        columns = {
            "complaint_id": "col.id",
            "title": "col.title",
            "category": "col.category",
            "district": "col.district",
            "age_days": "col.age_days",
            "days_overdue": "col.days_overdue",
            "due_kind": "col.due_kind",
        }
        layout.table(fix, columns)
        csv = fix[list(columns)].rename(columns={c: t(k) for c, k in columns.items()})
        st.download_button(
            t("scorecard.download"),
            csv_bytes(csv),  # cells that would start a spreadsheet formula are neutralised
            file_name=f"tangani-{agency}-{view.week}.csv",
            mime="text/csv",
            key="download_fix",
        )

# ---- how the score is computed ----
with st.expander(t("scorecard.how")), layout.guard():
    st.write(t("scorecard.how_text", cap=fmt_num(data.settings().cap, 2)))
    how = pd.DataFrame(
        {
            "metric": [metric_label(m) for m in breakdown["metric"]],
            "value": [fmt_metric(m, v) for m, v in zip(breakdown["metric"], breakdown["value"], strict=True)],
            "target": [fmt_metric(m, v) for m, v in zip(breakdown["metric"], breakdown["target"], strict=True)],
            "attainment": [fmt_num(v, 2) for v in breakdown["attainment"]],
            "weight": [fmt_num(v, 2) for v in breakdown["weight"]],
            "share_of_score": [fmt_pct(v, 1) for v in breakdown["share_of_score"]],
        }
    )  # fmt: skip
    layout.table(
        how,
        {
            "metric": "col.metric",
            "value": "col.value",
            "target": "col.target",
            "attainment": "col.attainment",
            "weight": "col.weight",
            "share_of_score": "col.share_of_score",
        },
    )
