"""Services (Layanan): public-service applications (permits, population documents).

On-time rate against the published service standard per service type or agency, processing
time, backlog, and their weekly trend. Every figure comes from ``kpi/`` (services_* metrics).
"""

import streamlit as st

from ui import charts, data, layout, pagekit, state, tables
from ui.i18n import fmt_metric, metric_label, reason_text, t, week_axis
from ui.tables import Column

TILES = [
    "services_submitted",
    "services_completed",
    "service_sla_compliance",
    "median_days_to_complete",
    "service_backlog",
]
GROUPS = ["service_type", "agency_id"]

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
info = layout.page_header("services.title", what="services")
if view.week is None or not info.get("n_services"):
    layout.empty_state("services.empty")
    st.stop()

left, right = st.columns(2)
with left:
    start, end, span = pagekit.period_picker(view, "s_weeks", 4)
with right:
    by = state.radio_choice(
        "s_by", t("services.by"), GROUPS, "service_type", lambda g: t(f"services.by.{g}", view.lang)
    )
pagekit.period_caption(view, start, span)
targets = {m.name: m.target for m in pagekit.or_stop(data.settings).scored_metrics()}
target = targets.get("service_sla_compliance")

# ---- headline figures ----
with layout.guard():
    totals = data.services_summary(start, end)
    for col, name in zip(st.columns(len(TILES)), TILES, strict=True):
        reason = (totals.get("unavailable") or {}).get(name)
        col.metric(
            metric_label(name),
            fmt_metric(name, totals.get(name)),
            help=t("layout.unavailable", reason=reason_text(reason)) if reason else None,
            border=True,
        )

# ---- per service type / agency ----
with layout.guard():
    groups = data.services_breakdown(start, end, by=by)
    names = data.agencies().set_index("agency_id")["name"].astype(str).to_dict()
    groups["label"] = [names.get(g, g) if by == "agency_id" else str(g) for g in groups[by]]
    if len(groups) == 0:
        layout.empty_state()
    else:
        rated = groups[groups["service_sla_compliance"].notna()].sort_values(
            "service_sla_compliance"
        )
        timed = groups[groups["median_days_to_complete"].notna()].sort_values(
            "median_days_to_complete", ascending=False
        )
        chart_left, chart_right = st.columns(2)
        if len(rated):
            fig = charts.bars(
                [charts.wrap_label(str(x), 26) for x in rated["label"]],
                rated["service_sla_compliance"].tolist(),
                t("services.on_time"),
                horizontal=True,
                text=[
                    fmt_metric("service_sla_compliance", v) for v in rated["service_sla_compliance"]
                ],
            )
            fig.update_xaxes(tickformat=".0%", range=[0, 1.05])
            if target is not None:
                fig.add_vline(
                    x=target,
                    line={"dash": "dash", "color": charts.OKABE_ITO["black"], "width": 1},
                    annotation_text=t("chart.target"),
                )
            charts.show(fig, key="s_on_time", where=chart_left)
        if len(timed):
            fig = charts.bars(
                [charts.wrap_label(str(x), 26) for x in timed["label"]],
                timed["median_days_to_complete"].tolist(),
                t("services.days"),
                horizontal=True,
                text=[
                    fmt_metric("median_days_to_complete", v)
                    for v in timed["median_days_to_complete"]
                ],
            )
            charts.show(fig, key="s_days", where=chart_right)
        shown = groups.sort_values("services_submitted", ascending=False)
        tables.show(
            tables.render(
                [
                    Column("label", t(f"services.by.{by}")),
                    *(Column(m, metric_label(m), num=True, optional=i > 2)
                      for i, m in enumerate(TILES)),
                    Column("due", t("services.n_due"), num=True, optional=True),
                ],
                [
                    {
                        "label": str(r["label"]),
                        **{m: fmt_metric(m, r[m]) for m in TILES},
                        "due": fmt_metric("services_submitted", r["n_service_due"]),
                    }
                    for r in shown.to_dict("records")
                ],
            )
        )  # fmt: skip

# ---- weekly trend ----
with layout.guard():
    weekly = data.weekly(start, end)
    weekly["x"] = week_axis(weekly["week_start"])
    trend_left, trend_right = st.columns(2)
    charts.show(
        charts.lines(
            weekly,
            "x",
            {m: metric_label(m) for m in ("services_submitted", "services_completed")},
            t("services.flow"),
        ),
        key="s_flow",
        where=trend_left,
    )
    charts.show(
        charts.lines(
            weekly,
            "x",
            {"service_sla_compliance": metric_label("service_sla_compliance")},
            t("services.on_time_trend"),
            percent=True,
            target=target,
        ),
        key="s_trend",
        where=trend_right,
    )
