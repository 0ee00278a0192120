"""Data & definitions (Data & Definisi): where the figures come from and what they mean.

For operators, the upload of an export (``ui.upload``). Freshness per source ("data as of
..."), the load history (with who loaded each file), quarantined rows by reason, the
glossary of every metric with its formula (``kpi.definitions.METRICS``, the same definitions the
code uses) and the score targets, weights and SLA rules in force (the city settings).
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from kinerja.access import UPLOAD
from kinerja.paths import ROOT
from kpi.definitions import METRICS
from ui import attention, charts, data, layout, state, tables, upload
from ui.i18n import fmt_datetime, fmt_num, metric_label, t, t_plain, value_label
from ui.tables import Column

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
info = layout.page_header("data.title")
tz = info.get("timezone") or "Asia/Jakarta"
lang = view.lang
if data.may(UPLOAD):  # operators (and admins) load exports here
    upload.section()


def local(ts) -> str:
    """A warehouse (UTC) timestamp as local wall time text with the zone label."""
    when = layout.to_local(ts, tz)
    return f"{fmt_datetime(when)} {info.get('tz_label') or ''}".strip() if when else "–"


def short_path(path: str) -> str:
    """A settings file as a repository-relative path when it is inside the repository."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def count(x) -> str:
    return fmt_num(None if pd.isna(x) else x)


# ---- freshness per source ----
st.subheader(t("data.freshness"))
with layout.guard():
    fresh = data.freshness()
    if len(fresh) == 0:
        layout.empty_state("data.no_sources")
    else:
        lines, chart = st.columns([3, 2])
        for row in fresh.itertuples(index=False):
            lines.text(
                t_plain(
                    "data.freshness_line",
                    source=value_label("source", row.source),
                    as_of=local(row.data_as_of),
                    loaded=local(row.last_loaded_at),
                    n=count(row.n_rows),
                )
            )
        charts.show(
            charts.bars(
                [charts.wrap_label(value_label("source", x), 24) for x in fresh["source"]],
                fresh["n_rows"].tolist(),
                t("data.rows_per_source"),
                horizontal=True,
                text=[count(n) for n in fresh["n_rows"]],
            ),
            key="d_sources",
            where=chart,
        )

# ---- load history ----
st.subheader(t("data.loads"))
with layout.guard():
    loads = data.load_history(limit=50)
    if len(loads) == 0:
        layout.empty_state()
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("data.col.started"): [local(x) for x in loads["started_at"]],
                    t("col.source"): [value_label("source", x) for x in loads["source"]],
                    t("data.col.file"): loads["file_name"].astype(str),
                    t("data.col.loaded_by"): [
                        x if isinstance(x, str) and x else "–"
                        for x in loads.get("loaded_by", [None] * len(loads))
                    ],
                    t("data.col.outcome"): [
                        t(f"data.outcome.{o}") if o in ("loaded", "failed") else str(o)
                        for o in loads["outcome"]
                    ],
                    t("data.col.read"): [count(x) for x in loads["n_read"]],
                    t("data.col.inserted"): [count(x) for x in loads["n_inserted"]],
                    t("data.col.updated"): [count(x) for x in loads["n_updated"]],
                    t("data.col.unchanged"): [count(x) for x in loads["n_unchanged"]],
                    t("data.col.quarantined"): [count(x) for x in loads["n_quarantined"]],
                    t("data.col.message"): loads["message"].fillna("").astype(str),
                }
            ),
            width="stretch",
            hide_index=True,
            height=min(420, 38 + 35 * len(loads)),
        )

# ---- quarantined rows by reason ----
st.subheader(t("data.quarantine"))
st.caption(t("data.quarantine_help"))
with layout.guard():
    quarantine = data.quarantine_summary()
    if len(quarantine) == 0:
        st.success(t("data.no_quarantine"), icon="✅")
    else:
        left, right = st.columns(2)
        charts.show(
            charts.bars(
                [
                    charts.wrap_label(
                        f"{value_label('reason', r)} · {value_label('source', s)}", 30
                    )
                    for r, s in zip(quarantine["reason"], quarantine["source"], strict=True)
                ],
                quarantine["n"].tolist(),
                horizontal=True,
                text=[count(n) for n in quarantine["n"]],
            ),
            key="d_quarantine",
            where=left,
        )
        with right:
            tables.show(
                tables.render(
                    [
                        Column("source", t("col.source")),
                        Column("reason", t("data.col.reason")),
                        Column("n", t("col.count"), num=True),
                    ],
                    [
                        {
                            "source": value_label("source", r.source),
                            "reason": value_label("reason", r.reason),
                            "n": count(r.n),
                        }
                        for r in quarantine.itertuples(index=False)
                    ],
                )
            )
        st.code("python -m etl status --rows 20", language="bash")

# ---- glossary ----
st.subheader(t("data.glossary"))
st.caption(t("data.glossary_help"))
tables.show(
    tables.render(
        [
            Column("metric", t("col.metric")),
            Column("name", t("data.col.name"), optional=True),
            Column("formula", t("data.col.formula")),
            Column("unit", t("data.col.unit"), optional=True),
            Column("direction", t("data.col.direction"), optional=True),
        ],
        [
            {
                "metric": metric_label(name),
                "name": name,
                "formula": d.formula_id if lang == "id" else d.formula_en,
                "unit": t(f"data.unit.{d.unit}"),
                "direction": t("data.dir.higher" if d.higher_is_better else "data.dir.lower")
                if d.higher_is_better is not None
                else "–",
            }
            for name, d in METRICS.items()
        ],
        table_id="kj-glossary",
    )
)

# ---- the alert rules with the thresholds in force (kpi.definitions.ALERTS) ----
st.subheader(t("data.alerts_title"))
st.caption(t("data.alerts_caption"))
with layout.guard():
    tables.show(
        tables.render(
            [Column("alert", t("col.alert")), Column("rule", t("col.rule")),
             Column("reason", t("col.reason"), optional=True)],
            attention.alert_glossary(lang).to_dict("records"),
        )
    )  # fmt: skip

# ---- targets, weights and rules in force ----
st.subheader(t("data.targets"))
with layout.guard():
    settings = data.settings()
    scored = settings.scored_metrics()
    left, right = st.columns([3, 2])
    left.dataframe(
        pd.DataFrame(
            {
                t("col.metric"): [metric_label(m.name) for m in scored],
                t("col.target"): [
                    f"{fmt_num(m.target * 100, 0)}%"
                    if METRICS.get(m.name) and METRICS[m.name].unit == "share"
                    else fmt_num(m.target, 2)
                    for m in scored
                ],
                t("col.weight"): [fmt_num(m.weight, 2) for m in scored],
                t("data.col.direction"): [
                    t("data.dir.higher" if m.higher_is_better else "data.dir.lower") for m in scored
                ],
            }
        ),
        width="stretch",
        hide_index=True,
    )
    right.text(
        t(
            "data.score_rules",
            cap=fmt_num(settings.cap, 2),
            green=fmt_num(settings.green, 2),
            amber=fmt_num(settings.amber, 2),
            n=fmt_num(settings.min_obligations),
        )
    )
    right.text(
        t(
            "data.sla_rules",
            response=fmt_num(settings.response_days),
            default=fmt_num(settings.default_resolution_days),
        )
    )
    by_category = settings.resolution_days_by_category()
    if by_category:
        with st.expander(t("data.sla_by_category")):
            st.dataframe(
                pd.DataFrame(
                    {
                        t("col.category"): list(by_category),
                        t("data.col.days"): [fmt_num(d) for d in by_category.values()],
                    }
                ),
                width="stretch",
                hide_index=True,
            )
    st.caption(t("data.settings_files", files=", ".join(short_path(p) for p in settings.sources)))
