"""Choropleth figures for the map page, drawn offline from the GeoJSON in ``data/geo/``.

Each polygon is an SVG shape on longitude/latitude axes with the area's name on it: no tiles, no
fonts or topojson from a CDN (``go.Choroplethmap`` needs MapLibre fonts from the internet for
names, ``go.Choropleth`` a world topojson; see data/geo/SOURCES.md). Polygons join on
``properties.kode``. An area with no data is drawn grey, visible as "no data" rather than
missing from the map.

One colour rule for every metric: darker means "needs attention" (more complaints, larger
backlog, lower compliance), on the app's light-to-dark blue scale (``ui.charts.SEQUENTIAL``,
colour-blind safe and readable in greyscale).
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from ui.charts import SEQUENTIAL
from ui.geo import GeoLayer, match_districts, match_villages
from ui.i18n import plotly_separators

COLORSCALE = [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]
NO_DATA_COLOUR = "#d9d9d9"
OUTLINE_COLOUR = "#7f7f7f"


def attach_district_codes(
    df: pd.DataFrame, layer: GeoLayer, district_col: str = "district"
) -> tuple[pd.DataFrame, list]:
    """Rows of ``df`` whose district matches a polygon, with ``kode`` and the official ``name``.

    Returns the matched rows and the district names that match no polygon (to show the user).
    """
    result = match_districts(df[district_col].tolist(), layer)
    out = df[df[district_col].isin(list(result.codes))].copy()
    out["kode"] = out[district_col].map(result.codes)
    out["name"] = out["kode"].map(layer.names)
    return out.reset_index(drop=True), result.unmatched


def attach_village_codes(
    df: pd.DataFrame,
    layer: GeoLayer,
    district_col: str = "district",
    village_col: str = "village",
) -> tuple[pd.DataFrame, list]:
    """As ``attach_district_codes`` for kelurahan, matched on the (kecamatan, kelurahan) pair."""
    pairs = list(zip(df[district_col].tolist(), df[village_col].tolist(), strict=True))
    result = match_villages(pairs, layer)
    codes = [result.codes.get(pair) for pair in pairs]
    out = df.assign(kode=codes)
    out = out[out["kode"].notna()].copy()
    out["name"] = out["kode"].map(layer.names)
    return out.reset_index(drop=True), result.unmatched


def _rings(geometry: dict) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon (holes are drawn over by the areas inside)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _ring_area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)))


def _label_point(feature: dict) -> tuple[float, float]:
    """Where an area's name goes: the file's label point (``lng``/``lat``) when it has one,
    else the centre of the bounding box of its largest ring."""
    props = feature.get("properties") or {}
    if props.get("lng") is not None and props.get("lat") is not None:
        return float(props["lng"]), float(props["lat"])
    ring = max(_rings(feature["geometry"]), key=_ring_area)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _colour(value: float, lo: float, hi: float, reverse: bool) -> str:
    """The colour of ``value`` on ``COLORSCALE`` between ``lo`` and ``hi`` (reversed: dark low)."""
    from plotly.colors import sample_colorscale

    f = 0.5 if hi <= lo else (value - lo) / (hi - lo)
    f = 1 - f if reverse else f
    return sample_colorscale(COLORSCALE, [min(1.0, max(0.0, f))])[0]


def _ink(fill: str) -> str:
    """Black text on a light area, white on a dark one."""
    from plotly.colors import unlabel_rgb

    r, g, b = unlabel_rgb(fill) if fill.startswith("rgb") else _hex_rgb(fill)
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 128 else "#1a1a1a"


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _short(name: str) -> str:
    """An area name for its label: two-word names on two lines."""
    words = name.split()
    return "<br>".join([" ".join(words[:1]), " ".join(words[1:])]) if len(words) > 1 else name


def choropleth(
    layer: GeoLayer,
    kode: list[str],
    values: list[float | None],
    hover: list[str],
    colorbar_title: str,
    higher_is_better: bool = False,
    height: int = 520,
    tickformat: str | None = None,
) -> go.Figure:
    """A filled map of ``values`` per polygon ``kode``, each area named on the map; ``hover`` is
    each area's tooltip text; ``tickformat`` the colour bar's number format (``,d`` for counts,
    ``.0%`` for shares, in the reader's digits).

    Drawn as plain SVG shapes on longitude/latitude axes (at a city's scale the flat projection
    is exact enough), not on a tile map: names on a MapLibre map need its fonts from the
    internet, and the app fetches nothing from another host. It also prints as drawn. Areas
    without a value (a metric with a zero denominator, or no data) stay grey.
    """
    features = {f["properties"]["kode"]: f for f in layer.geojson["features"]}
    shown = {k: v for k, v in zip(kode, values, strict=True) if v is not None}
    tips = dict(zip(kode, hover, strict=True))
    lo, hi = (min(shown.values()), max(shown.values())) if shown else (0.0, 1.0)
    order = sorted(features, key=lambda k: -max(map(_ring_area, _rings(features[k]["geometry"]))))
    traces = []
    for k in order:  # larger areas first, so an enclave is drawn over the area around it
        xs, ys = [], []
        for ring in _rings(features[k]["geometry"]):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        value = shown.get(k)
        fill = NO_DATA_COLOUR if value is None else _colour(value, lo, hi, higher_is_better)
        traces.append(
            go.Scatter(
                x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill,
                line={"color": OUTLINE_COLOUR, "width": 0.8}, hoveron="fills",
                text=tips.get(k, html.escape(layer.names[k], quote=False)),
                hoverinfo="text", showlegend=False, name="",
            )
        )  # fmt: skip
    points = [_label_point(features[k]) for k in order]
    fills = [t.fillcolor for t in traces]
    traces.append(
        go.Scatter(
            x=[p[0] for p in points], y=[p[1] for p in points], mode="text",
            text=[_short(html.escape(layer.names[k], quote=False)) for k in order],
            textfont={"size": 10, "color": [_ink(f) for f in fills]}, hoverinfo="skip",
            showlegend=False,
        )
    )  # fmt: skip
    if shown:  # the colour bar, under the map (beside it, it crops the map on a phone)
        traces.append(
            go.Scatter(
                x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
                marker={
                    "colorscale": COLORSCALE, "reversescale": higher_is_better,
                    "cmin": lo, "cmax": hi, "color": [lo], "showscale": True,
                    "colorbar": {
                        "title": {"text": colorbar_title, "side": "top"}, "orientation": "h",
                        "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top",
                        "thickness": 12, "len": 0.9, "tickformat": tickformat,
                    },
                },
            )
        )  # fmt: skip
    fig = go.Figure(traces)
    mid_lat = (layer.bbox[1] + layer.bbox[3]) / 2
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(
        visible=False,
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1 / math.cos(math.radians(mid_lat)),
    )
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 70 if shown else 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hovermode="closest",
        dragmode=False,
        separators=plotly_separators(),
    )
    return fig


def click_points(layer: GeoLayer, kode: list[str]) -> go.Scatter:
    """Invisible points at each area's label, carrying its code: a click on an area's name
    selects it (``st.plotly_chart(on_select=...)`` reports points, not filled shapes)."""
    features = {f["properties"]["kode"]: f for f in layer.geojson["features"]}
    codes = [k for k in kode if k in features]
    points = [_label_point(features[k]) for k in codes]
    return go.Scatter(
        x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
        marker={"size": 18, "opacity": 0}, customdata=codes, hoverinfo="skip",
        showlegend=False, name="",
    )  # fmt: skip


def picked_code(event) -> str | None:
    """The code of the area picked on a map drawn with ``click_points`` (None: no pick)."""
    selection = (
        event.get("selection") if isinstance(event, dict) else getattr(event, "selection", None)
    )
    points = (selection or {}).get("points") or []
    for point in points:
        code = point.get("customdata")
        if isinstance(code, list):
            code = code[0] if code else None
        if code:
            return str(code)
    return None
