"""Province (Provinsi): the governor's view of one ISO week across the kabupaten/kota.

The province's tiles with week-over-week change, the region league (every kab/kota and the
provincial OPD as one row, ranked on the rolling window like agencies, with complaints per
10,000 residents and the change in rank), a map of the kab/kota coloured by a chosen measure,
and the regions whose complaints moved most. Clicking a region (its name in the league, or its
point on the map) opens its own overview. Every figure comes from ``kpi/``.
"""

import pandas as pd
import streamlit as st

from kinerja.paths import PAGES_DIR
from ui import charts, data, layout, maps, state, story, tables
from ui.geo import load_layer
from ui.i18n import fmt_metric, fmt_num, fmt_signed, metric_label, t, tn

MEASURES = ["score", "resolution_sla_compliance", "backlog", "per_10k"]
HIGHER_IS_BETTER = {"score": True, "resolution_sla_compliance": True}

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
lang = view.lang
info = layout.page_header("province.title")
if view.province is None:
    layout.empty_state("province.none")
    st.stop()
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

province = {"region": view.province}  # this page always shows the whole province
st.subheader(f"{view.region_name if view.is_province else ''} {state.week_title(view)}".strip())
layout.week_note(view, info)
own = data.settings()
st.caption(t("province.zone", tz=own.tz_label, zone=own.timezone))
with layout.guard(stop=True):
    league = data.region_league(view.week)
cur = None  # a regional head compares the regions in the league, not the province's figures
with layout.guard():
    cur = data.summary(view.week, view.week, scope=province)
    prev = data.summary(view.prev_week, view.prev_week, scope=province) if view.prev_week else None

# ---- the province's tiles ----
if cur is not None:
    with layout.guard():
        cols = [*st.columns(3), *st.columns(3)]
        for col, tile in zip(cols, story.tiles(cur, prev, lang, view.region_level), strict=True):
            col.metric(
                tile.label, tile.value, tile.delta, delta_color=tile.delta_color,
                help=tile.help or t("overview.wow_help"), border=True,
            )  # fmt: skip

# ---- the region league ----
with layout.guard():
    settings = data.settings()
    st.subheader(t("province.league"))
    tables.show(
        tables.region_league(
            league, lang, settings.min_obligations, None if view.auto else view.week
        )
    )
    regions = data.regions().set_index("region_code")
    src = regions.loc[view.province]
    st.caption(
        t("league.n_ranked", n=fmt_num(league.n_ranked), total=fmt_num(len(league.regions)))
        + " "
        + t(
            "province.league_help",
            window=tn("weeks.n", league.n_weeks, lang),
            n=fmt_num(settings.min_obligations),
            source=str(src["population_source"] or "–"),
            year=fmt_num(src["population_year"], 0) if pd.notna(src["population_year"]) else "–",
        )
    )


def measure_label(name: str) -> str:
    if name == "per_10k":
        return t("province.per_10k")
    return t("col.score") if name == "score" else metric_label(name)


def measure_text(name: str, value) -> str:
    if name == "per_10k":
        return fmt_num(value, 2)
    return fmt_num(value, 2) if name == "score" else fmt_metric(name, value)


# ---- the map of the kab/kota ----
layer = load_layer(own.raw["city"].get("geo_kabkota"))
if layer is not None:
    with layout.guard():
        st.subheader(t("province.map"))
        measure = state.radio_choice(
            "pmap", t("province.map_measure"), MEASURES, "score", measure_label
        )
        rows = league.regions[league.regions["region_code"] != view.province]
        hover = [
            "<br>".join(
                [
                    f"<b>{tables._esc(r.region_name)}</b>",
                    f"{measure_label(measure)}: {measure_text(measure, getattr(r, measure))}",
                    f"{metric_label('received')}: {fmt_num(r.received)}",
                ]
            )
            for r in rows.itertuples(index=False)
        ]
        fig = maps.choropleth(
            layer,
            rows["region_code"].tolist(),
            [None if pd.isna(v) else float(v) for v in rows[measure]],
            hover,
            measure_label(measure),
            higher_is_better=HIGHER_IS_BETTER.get(measure, False),
            height=560,
        )
        fig.add_trace(maps.click_points(layer, rows["region_code"].tolist()))
        event = charts.show(fig, key="province_map", on_select="rerun", selection_mode="points")
        st.caption(t("province.map_note"))
        picked = maps.picked_code(event)
        if picked:
            st.query_params["region"] = picked
            data.set_region(picked)
            st.session_state[state.REGION_KEY] = picked
            st.switch_page(str(PAGES_DIR / "1_Ringkasan_Mingguan.py"))

# ---- the regions whose complaints moved most ----
with layout.guard():
    st.subheader(t("province.movers"))
    movers = data.movers(view.week, view.week, "region_code", n=8, scope=province)
    if len(movers) == 0:
        layout.empty_state()
    else:
        names = data.regions().set_index("region_code")["name"].astype(str).to_dict()
        movers = movers.sort_values("change", ascending=False)
        charts.show(
            charts.bars(
                [names.get(c, c) for c in movers["region_code"]],
                movers["change"].tolist(),
                horizontal=True,
                text=[fmt_signed(v, 0) for v in movers["change"]],
                colors=[
                    charts.OKABE_ITO["vermillion"] if v > 0 else charts.OKABE_ITO["blue"]
                    for v in movers["change"]
                ],
            ),
            key="province_movers",
        )
