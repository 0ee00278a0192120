"""Choropleth figures for the map page, drawn offline from the GeoJSON in ``data/geo/``.

``go.Choroplethmap`` with ``map.style="white-bg"`` needs no tiles and no CDN (``go.Choropleth``
fetches a world topojson from the internet and draws nothing offline; see data/geo/SOURCES.md).
Polygons join on ``properties.kode``. Every polygon is drawn in light grey underneath, so an area
with no data is visible as "no data" rather than missing from the map.

One colour rule for every metric: darker means "needs attention" (more complaints, larger
backlog, lower compliance), on the app's light-to-dark blue scale (``ui.charts.SEQUENTIAL``,
colour-blind safe and readable in greyscale).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ui.charts import SEQUENTIAL
from ui.geo import GeoLayer, match_districts, match_villages

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


def _zoom(layer: GeoLayer, width_px: int = 440, height_px: int = 520) -> float:
    """Web-mercator zoom at which the bounding box (plus a margin) fits the frame (MapLibre: the
    world is 512 px wide at zoom 0)."""
    lon_min, lat_min, lon_max, lat_max = layer.bbox
    span_lon = max(lon_max - lon_min, 1e-3) * 1.15
    span_lat = max(lat_max - lat_min, 1e-3) * 1.15
    z_lon = math.log2(360 * width_px / (512 * span_lon))
    z_lat = math.log2(360 * height_px / (512 * span_lat))
    return round(min(z_lon, z_lat), 2)


def choropleth(
    layer: GeoLayer,
    kode: list[str],
    values: list[float | None],
    hover: list[str],
    colorbar_title: str,
    higher_is_better: bool = False,
    height: int = 520,
) -> go.Figure:
    """A filled map of ``values`` per polygon ``kode``; ``hover`` is each area's tooltip text.

    Values that are None (a metric with a zero denominator) stay grey, like areas with no data.
    """
    all_codes = list(layer.names)
    background = go.Choroplethmap(
        geojson=layer.geojson,
        featureidkey="properties.kode",
        locations=all_codes,
        z=[0] * len(all_codes),
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        showscale=False,
        marker={"line": {"color": OUTLINE_COLOUR, "width": 0.6}},
        text=[layer.names[k] for k in all_codes],
        hovertemplate="%{text}<extra></extra>",
        name="",
    )
    shown = [(k, v, h) for k, v, h in zip(kode, values, hover, strict=True) if v is not None]
    data = go.Choroplethmap(
        geojson=layer.geojson,
        featureidkey="properties.kode",
        locations=[k for k, _, _ in shown],
        z=[v for _, v, _ in shown],
        text=[h for _, _, h in shown],
        hovertemplate="%{text}<extra></extra>",
        colorscale=COLORSCALE,
        reversescale=higher_is_better,  # dark at the top of the scale: darker = worse either way
        marker={"line": {"color": OUTLINE_COLOUR, "width": 0.8}, "opacity": 0.9},
        colorbar={"title": {"text": colorbar_title}},
        name="",
    )
    fig = go.Figure([background, data])
    fig.update_layout(
        map={"style": "white-bg", "center": layer.center, "zoom": _zoom(layer, height_px=height)},
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return fig
