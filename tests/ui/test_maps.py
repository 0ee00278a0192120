"""Choropleth figures (ui/maps.py): codes attached by name, grey background, offline map style."""

import pandas as pd

from ui.geo import load_layer
from ui.maps import attach_district_codes, attach_village_codes, choropleth


def test_attach_district_codes_keeps_matched_rows_and_reports_the_rest():
    layer = load_layer("semarang_kecamatan.geojson")
    df = pd.DataFrame(
        {"district": ["Kec. Tugu", "Atlantis", "Mijen", None], "received": [3, 4, 5, 6]}
    )
    matched, unmatched = attach_district_codes(df, layer)
    assert matched.to_dict("records") == [
        {"district": "Kec. Tugu", "received": 3, "kode": "33.74.16", "name": "Tugu"},
        {"district": "Mijen", "received": 5, "kode": "33.74.14", "name": "Mijen"},
    ]
    assert unmatched == ["Atlantis"]


def test_attach_village_codes_uses_the_pair():
    layer = load_layer("semarang_kelurahan.geojson")
    df = pd.DataFrame(
        {
            "district": ["Tugu", "Tembalang", "Tugu"],
            "village": ["Mangunharjo", "Mangunharjo", "Nowhere"],
            "received": [1, 2, 3],
        }
    )
    matched, unmatched = attach_village_codes(df, layer)
    assert matched["received"].tolist() == [1, 2]
    assert matched["kode"].nunique() == 2
    assert matched["name"].tolist() == ["Mangunharjo", "Mangunharjo"]
    assert unmatched == [("Tugu", "Nowhere")]


def test_choropleth_draws_every_polygon_named_and_skips_missing_values():
    layer = load_layer("bontang_kecamatan.geojson")
    fig = choropleth(
        layer,
        kode=["64.74.01", "64.74.02"],
        values=[12, None],
        hover=["Bontang Utara: 12", "Bontang Selatan: –"],
        colorbar_title="Aduan",
    )
    areas, labels, scale = fig.data[:3], fig.data[3], fig.data[4]
    assert all(a.fill == "toself" for a in areas) and len(fig.data) == 5
    by_name = {a.text.split(":")[0]: a for a in areas}
    assert by_name["Bontang Selatan"].fillcolor == "#d9d9d9"  # no value: grey
    assert by_name["Bontang Utara"].fillcolor != "#d9d9d9"
    # every area is named on the map itself (no tiles, no fonts from a CDN: no map subplot)
    assert sorted(x.replace("<br>", " ") for x in labels.text) == sorted(layer.names.values())
    assert labels.mode == "text" and "map" not in fig.to_dict()["layout"]
    assert scale.marker.reversescale is False  # more complaints = darker
    assert scale.marker.colorbar.orientation == "h"  # under the map: no crop on a phone
    higher_better = choropleth(layer, ["64.74.01"], [0.9], ["x"], "SLA", higher_is_better=True)
    assert higher_better.data[-1].marker.reversescale is True  # low compliance = darker
