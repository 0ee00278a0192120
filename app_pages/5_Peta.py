"""Map (Peta): complaints per kecamatan on the city's real boundaries, and kelurahan detail.

Choose a measure (volume, volume per 10,000 residents when the settings give populations, SLA
compliance, backlog, overdue backlog); darker always means "needs attention". District names in
the data are matched to polygons with normalisation (ui/geo.py); names that match no polygon are
listed, never silently dropped. The map draws offline (``go.Choroplethmap``, white background).
"""

import contextlib
import html

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from kinerja.paths import PAGES_DIR
from kpi.definitions import METRICS
from ui import charts, data, layout, maps, pagekit, state, tables
from ui.geo import GeoError, kelurahan_of, load_layer
from ui.i18n import fmt_metric, fmt_num, metric_label, metric_unit, t
from ui.tables import Column

MEASURES = [
    "received",
    "per_10k",
    "resolution_sla_compliance",
    "response_sla_compliance",
    "backlog",
    "overdue_backlog",
]

st.set_page_config(page_title="Kinerja", page_icon="📊", layout="wide")
view = state.sidebar()
layout.page_header("map.title")
if view.week is None:
    layout.empty_state("layout.empty_period")
    st.stop()

settings = pagekit.or_stop(data.settings)
city = settings.raw.get("city", {})
try:
    layer = load_layer(city.get("geo_kecamatan"))
    village_layer = load_layer(city.get("geo_kelurahan"))
except GeoError as err:
    st.error(t("map.geo_error", detail=str(err)), icon="🗺️")
    st.stop()
if layer is None and view.is_province:  # the province's map is of its kab/kota
    layout.empty_state("map.province")
    with contextlib.suppress(StreamlitAPIException):  # a page run on its own has no navigation
        st.page_link(str(PAGES_DIR / "0_Provinsi.py"), label=t("nav.province"), icon="🗺️")
    st.stop()
if layer is None:
    layout.empty_state("map.no_geo")
    st.stop()


def measure_label(name: str) -> str:
    """``per_10k`` is a map-only ratio of the KPI layer; the rest are glossary metrics."""
    return t("map.per_10k") if name == "per_10k" else metric_label(name)


def measure_text(name: str, value) -> str:
    return fmt_num(value, 1) if name == "per_10k" else fmt_metric(name, value)


def scale_format(name: str) -> str:
    """The colour bar's numbers: shares as percentages, counts whole, per 10,000 with a decimal."""
    unit = "rate" if name == "per_10k" else metric_unit(name)
    return {"share": ".0%", "count": ",d", "rate": ",.1f"}.get(unit, ",.1f")


def worse_when_low(name: str) -> bool:
    """Compliance: low is bad (dark); volume and backlog: high is bad."""
    return name in METRICS and METRICS[name].higher_is_better is True


left, right = st.columns([1, 2])
with left:
    start, end, span = pagekit.period_picker(view, "m_weeks", 4)
measures = MEASURES if settings.district_population() else [m for m in MEASURES if m != "per_10k"]
with right:
    measure = state.radio_choice("m_metric", t("map.measure"), measures, "received", measure_label)
pagekit.period_caption(view, start, span, t("map.legend_note"))
if measure == "per_10k":
    st.caption(t("map.population_note", city=settings.city_name))


def hover_lines(df: pd.DataFrame, name: str) -> list[str]:
    """Tooltip per area: official name, the measure, then received and backlog unless one of
    them is the measure (all formatted; the name HTML-escaped)."""
    extra = [m for m in ("received", "backlog") if m != name]
    return [
        "<br>".join(
            [
                f"<b>{html.escape(str(row['name']), quote=False)}</b>",
                f"{measure_label(name)}: {measure_text(name, row[name])}",
                *(f"{metric_label(m)}: {fmt_metric(m, row[m])}" for m in extra),
            ]
        )
        for _, row in df.iterrows()
    ]


def area_map(layer, df: pd.DataFrame, name: str, key: str, height: int = 520) -> None:
    """The choropleth of ``name`` over the matched areas of ``df``."""
    fig = maps.choropleth(
        layer,
        df["kode"].tolist(),
        [None if pd.isna(v) else float(v) for v in df[name]],
        hover_lines(df, name),
        measure_label(name),
        higher_is_better=worse_when_low(name),
        height=height,
        tickformat=scale_format(name),
    )
    charts.show(fig, key=key)


def area_table(df: pd.DataFrame, name: str, name_key: str) -> None:
    """The map's figures as a text table, worst first (every row, wrapping, on a phone too)."""
    order = df.sort_values(name, ascending=worse_when_low(name), na_position="last")
    extra = [m for m in ("received", "backlog", "overdue_backlog") if m != name]
    columns = [
        Column("name", t(name_key)),
        Column(name, measure_label(name), num=True),
        *(Column(m, metric_label(m), num=True, optional=m == "overdue_backlog") for m in extra),
    ]
    rows = [
        {"name": str(r["name"]), name: measure_text(name, r[name]),
         **{m: fmt_metric(m, r[m]) for m in extra}}
        for r in order.to_dict("records")
    ]  # fmt: skip
    tables.show(tables.render(columns, rows))


def report_unmatched(names: list[str], counts: dict, label_key: str) -> None:
    """List the data's areas that match no polygon, with their complaint counts, as text."""
    if not names:
        return
    st.warning(t("map.unmatched", n=len(names)), icon="⚠️")
    st.dataframe(
        pd.DataFrame(
            {
                t(label_key): [str(n) for n in names],
                metric_label("received"): [fmt_metric("received", counts.get(n)) for n in names],
            }
        ),
        width="stretch",
        hide_index=True,
    )


# ---- kecamatan map ----
matched = pd.DataFrame()
with layout.guard():
    districts = data.district_metrics(start, end)
    matched, unmatched = maps.attach_district_codes(districts, layer)
    if len(matched) == 0:
        layout.empty_state("layout.empty_period")
    else:
        map_col, table_col = st.columns([3, 2])
        with map_col:
            area_map(layer, matched, measure, "m_map")
        with table_col:
            area_table(matched, measure, "col.district")
    counts = dict(zip(districts["district"], districts["received"], strict=True))
    report_unmatched(unmatched, counts, "col.district")
    n_unknown = districts.loc[districts["district"].isna(), "received"].sum()
    if n_unknown:
        st.caption(t("map.no_district", n=fmt_num(n_unknown)))

# ---- kelurahan detail of one kecamatan ----
st.subheader(t("map.villages"))
if village_layer is None:
    layout.empty_state("map.no_village_geo")
    st.stop()
if len(matched) == 0:
    layout.empty_state()
    st.stop()
with layout.guard():
    choices = matched.sort_values("name")
    official = dict(zip(choices["district"], choices["name"], strict=True))
    # opens on the kecamatan that needs attention most: the first row of the table above
    worst = matched.sort_values(measure, ascending=worse_when_low(measure), na_position="last")
    kecamatan = state.choice(
        "m_kecamatan",
        t("map.choose_kecamatan"),
        list(official),
        str(worst["district"].iloc[0]),
        official.get,
        sticky=True,
    )
    village_measure = "received" if measure == "per_10k" else measure  # no kelurahan populations
    part = kelurahan_of(village_layer, kecamatan)
    villages = data.village_metrics(start, end, scope={"district": kecamatan})
    villages = villages[villages["village"].notna()].assign(district=kecamatan)
    if part is None or len(villages) == 0:
        layout.empty_state()
    else:
        vmatched, vunmatched = maps.attach_village_codes(villages, part)
        if len(vmatched):
            map_col, table_col = st.columns([3, 2])
            with map_col:
                area_map(part, vmatched, village_measure, "m_village_map", height=420)
            with table_col:
                area_table(vmatched, village_measure, "col.village")
        counts = dict(zip(villages["village"], villages["received"], strict=True))
        report_unmatched([v for _, v in vunmatched], counts, "col.village")
