"""Agency scorecard (Rapor OPD): one agency's week, for its head (bookmarkable as ``?agency=``).

The week's score against the target and the city, the rank on the league's window, each scored
metric against its target with its trend, backlog ageing, every overdue complaint to fix first at
the end of the week (XLSX/CSV for Excel) and how the score is computed. Without ``?agency=`` it
opens on the agency at the bottom of the league. Every "–" says why.
"""

import pandas as pd
import streamlit as st

from ui import attention, charts, data, exports, layout, state, tables
from ui.escape import md
from ui.i18n import (
    fmt_date,
    fmt_datetimes,
    fmt_metric,
    fmt_num,
    fmt_signed,
    masked,
    masked_all,
    metric_label,
    metric_unit,
    reason_text,
    t,
    tn,
    week_axis,
)
from ui.tables import Cell, Column

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
lang = view.lang
info = layout.page_header("scorecard.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

with layout.guard(stop=True):
    league = data.league(view.week)
    city = data.summary(view.week, view.week)
    settings = data.settings()
table = league.agencies
if len(table) == 0:
    layout.empty_state("scorecard.no_agencies")
    st.stop()
names = dict(zip(table["agency_id"], table["agency_name"].astype(str), strict=True))
ranked = table[table["is_ranked"]]
bottom = str(ranked["agency_id"].iloc[-1]) if len(ranked) else str(table["agency_id"].iloc[0])
choices = data.detail_agencies(sorted(names, key=names.get))  # an agency head: their own only
if not choices:
    layout.empty_state("scorecard.no_agencies")
    st.stop()
bottom = data.home_agency() if data.home_agency() in choices else bottom
bottom = bottom if bottom in choices else choices[0]
wanted = st.query_params.get("agency")
if wanted and wanted not in names:
    resolved = data.resolve_agency(wanted)  # a bookmark from before regions: its slug
    if resolved in names:
        st.query_params["agency"] = resolved
    else:
        st.warning(t("scorecard.unknown_agency", agency=wanted, bottom=names[bottom]))
agency = state.choice(
    "agency",
    t("scorecard.choose"),
    choices,
    bottom,
    format_func=names.get,
    sticky=True,
)
if agency == bottom and "agency" not in st.query_params:
    st.caption(t("scorecard.default_agency"))
row = table.set_index("agency_id").loc[agency]
st.subheader(f"{md(names[agency])} — {state.week_title(view)}")
layout.week_note(view, info)
with layout.guard():
    attention.download_brief(view.week, lang, agency)
window = tn("weeks.n", league.n_weeks, lang)

# ---- score, rank, city ----
with layout.guard():
    c1, c2, c3 = st.columns(3)
    gap = row["week_gap_to_target"]
    c1.metric(
        t("scorecard.week_score"),
        fmt_num(row["week_score"], 2),
        None if pd.isna(gap) else t("scorecard.vs_target", x=fmt_signed(gap, 2)),
        help=reason_text(row["week_score_reason"]) or t("scorecard.week_score_help"),
        border=True,
    )
    ranked_here = bool(row["is_ranked"])
    c2.metric(
        t("scorecard.rank_window", window=window),
        t("scorecard.rank_of", rank=fmt_num(row["rank"]), n=fmt_num(league.n_ranked))
        if ranked_here
        else "–",
        t("scorecard.window_score", score=fmt_num(row["score"], 2)),
        delta_color="off",
        delta_arrow="off",
        help=t("league.help", window=window, n=fmt_num(settings.min_obligations)),
        border=True,
    )
    c3.metric(t("scorecard.city_score"), fmt_num(city.get("score"), 2), border=True)
    line = f"**{t('col.status')}** ({window}): {charts.status_text(row['status'])}"
    if not ranked_here:
        line += " · " + reason_text(
            row["not_ranked_reason"], n=fmt_num(settings.min_obligations), weeks=window
        )
    st.markdown(line)

# ---- the agency's own alerts (kpi.alerts) ----
with layout.guard():
    attention.show_alerts(view.week, lang, agency=agency)

# ---- each scored metric vs target, with its trend ----
with layout.guard(stop=True):
    breakdown = data.score_breakdown(view.week, view.week, agency_id=agency)
st.subheader(t("scorecard.metrics"))


def value_cell(metric: str, value, reason) -> object:
    """A metric value, or "–" with why it is missing."""
    if value is None or pd.isna(value):
        return Cell("–", title=reason_text(reason) or None)
    return fmt_metric(metric, value)


with layout.guard():
    rows = [
        {
            "metric": metric_label(r.metric),
            "value": value_cell(r.metric, r.value, r.reason),
            "target": fmt_metric(r.metric, r.target),
            "city": fmt_metric(r.metric, city.get(r.metric)),
            "attainment": fmt_num(r.attainment, 2),
            "note": reason_text(r.reason),
        }
        for r in breakdown.itertuples(index=False)
    ]
    tables.show(
        tables.render(
            [
                Column("metric", t("col.metric")),
                Column("value", t("col.value"), num=True),
                Column("target", t("col.target"), num=True),
                Column("city", t("chart.city"), num=True, optional=True),
                Column("attainment", t("col.attainment"), num=True),
                Column("note", t("col.note"), optional=True),
            ],
            rows,
        )
    )
    weekly = data.weekly(view.weeks_back(12), view.week, scope={"agency_id": agency})
    weekly["x"] = week_axis(weekly["week_start"])
    targets = dict(zip(breakdown["metric"], breakdown["target"], strict=True))
    cols = st.columns(2)
    for i, metric in enumerate(m for m in breakdown["metric"] if m in weekly.columns):
        title = f"{metric_label(metric)} · {t('scorecard.trend')}"
        where = cols[i % 2]
        if weekly[metric].isna().all():
            where.markdown(f"**{title}**")
            why = city.get("unavailable", {}).get(metric) or "zero_denominator"
            where.info(t("scorecard.no_trend", reason=reason_text(why)), icon=":material/info:")
            continue
        fig = charts.lines(
            weekly,
            "x",
            {metric: metric_label(metric)},
            title=title,
            percent=metric_unit(metric) == "share",
            target=targets.get(metric),
        )
        charts.show(fig, key=f"trend_{metric}", where=where)

# ---- backlog ageing ----
st.subheader(t("scorecard.ageing"))
with layout.guard():
    ages = data.backlog_ages(data.week_cut(view.week_end), scope={"agency_id": agency})
    if len(ages) == 0 or int(ages["n"].sum()) == 0:
        layout.empty_state()
    else:
        charts.show(charts.age_bars(ages), key="ages")

# ---- what comes due next: still to save (kpi.alerts.due) ----
with layout.guard():
    attention.show_coming_due(view.week, agency)

# ---- what to fix first: every overdue complaint at the end of the week ----
cut = data.week_cut(view.week_end)
if view.in_progress:
    when = layout.as_of_text(info)
else:
    when = t("scorecard.end_of", day=fmt_date(view.week_end - pd.Timedelta(days=1)))
st.subheader(t("scorecard.fix_first", when=when), help=t("scorecard.fix_first_help"))
with layout.guard():
    fix = data.fix_first(agency, as_of=cut)
    if len(fix) == 0:
        st.success(t("scorecard.no_overdue"))
    else:
        st.markdown(t("scorecard.fix_count", n=fmt_num(len(fix))))
        if not view.in_progress:
            st.caption(t("scorecard.fix_past"))
        columns = {
            "complaint_id": "col.id",
            "days_overdue": "col.days_overdue",
            "title": "col.title",
            "category": "col.category",
            "district": "col.district",
            "created": "col.created",
            "due": "col.due_at",
            "due_kind": "col.due_kind",
        }
        shown = pd.DataFrame(
            {
                "complaint_id": fix["complaint_id"].astype(str),
                "title": masked_all(fix["title"]),
                "category": fix["category"].fillna("–").astype(str),
                "district": fix["district"].fillna("–").astype(str),
                "created": fmt_datetimes(fix["created_at_local"]),
                "due": fmt_datetimes(fix["due_at_local"]),
                "days_overdue": fix["days_overdue"].astype("float64").fillna(0).astype("int64"),
                "due_kind": fix["due_kind"].map(lambda k: t(f"due.{k}")).tolist(),
            }
        )
        layout.table(shown, columns, height=min(420, 38 + 35 * len(shown)))
        header = [t(k) for k in columns.values()]
        kinds = {k: t(f"due.{k}") for k in fix["due_kind"].unique()}

        def records() -> list[list]:
            """The download's rows, built on click (not on every run): real dates, numbers."""
            return [
                [
                    r.complaint_id, int(r.days_overdue), masked(r.title, lang), r.category,
                    r.district, r.created_at_local, r.due_at_local, kinds[r.due_kind],
                ]
                for r in fix.itertuples(index=False)
            ]  # fmt: skip

        stem = (
            f"tangani-{agency}-{view.week}" if lang == "id" else f"fix-first-{agency}-{view.week}"
        )
        sheet = t("scorecard.sheet")
        left, right = st.columns(2)
        checked = {"agency_id": agency}  # audited on click (ui.data.download)
        left.download_button(
            t("scorecard.download_xlsx", n=fmt_num(len(fix))),
            data.download(
                f"{stem}.xlsx", checked, lambda: exports.to_xlsx(header, records(), sheet)
            ),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="download_fix_xlsx",
            on_click="ignore",
        )
        right.download_button(
            t("scorecard.download_csv"),
            data.download(f"{stem}.csv", checked, lambda: exports.to_csv(header, records(), lang)),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="download_fix_csv",
            on_click="ignore",
        )

# ---- how the score is computed ----
with st.expander(t("scorecard.how")), layout.guard():
    st.write(t("scorecard.how_text", cap=fmt_num(settings.cap, 2)))
    weights = {m.name: m.weight for m in settings.scored_metrics()}
    rows = [
        {
            "metric": metric_label(r.metric),
            "value": value_cell(r.metric, r.value, r.reason),
            "target": fmt_metric(r.metric, r.target),
            "attainment": fmt_num(r.attainment, 2),
            "weight": fmt_num(weights.get(r.metric), 2),
            "share": fmt_num(r.share_of_score, 3)
            if r.share_of_score is not None and not pd.isna(r.share_of_score)
            else Cell(t("scorecard.not_counted"), title=reason_text(r.reason) or None),
        }
        for r in breakdown.itertuples(index=False)
    ]
    total = {"metric": t("scorecard.total"), "share": fmt_num(row["week_score"], 2)}
    tables.show(
        tables.render(
            [
                Column("metric", t("col.metric")),
                Column("value", t("col.value"), num=True),
                Column("target", t("col.target"), num=True),
                Column("attainment", t("col.attainment"), num=True),
                Column("weight", t("col.weight"), num=True, optional=True),
                Column("share", t("col.share_of_score"), num=True),
            ],
            [*rows, total],
            [*([None] * len(rows)), "kj-total"],
        )
    )
    st.caption(t("scorecard.how_note"))
