"""Every complaint lands on the map: names exactly as in data/geo/, points inside their kelurahan."""

from __future__ import annotations

import json

import pytest

from etl.demo import generate_city
from etl.demo.geo import point_in_geometry
from kinerja.paths import GEO_DIR
from tests.demo.conftest import END, query


def _geo(city: str):
    kec = json.loads((GEO_DIR / f"{city}_kecamatan.geojson").read_text("utf-8"))
    kel = json.loads((GEO_DIR / f"{city}_kelurahan.geojson").read_text("utf-8"))
    names = {f["properties"]["name"] for f in kec["features"]}
    shapes = {
        (f["properties"]["kecamatan"], f["properties"]["name"]): f["geometry"]
        for f in kel["features"]
    }
    return names, shapes


def test_point_in_geometry_on_a_square_with_a_hole():
    square = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]],
        ],
    }
    assert point_in_geometry(3.0, 3.0, square)
    assert not point_in_geometry(1.5, 1.5, square)  # in the hole
    assert not point_in_geometry(5.0, 1.0, square)


def test_semarang_names_match_the_geojson(demo):
    db, _ = demo
    kecamatan, kelurahan = _geo("semarang")
    districts = {
        r[0]
        for r in query(
            db,
            "SELECT DISTINCT district FROM complaints UNION SELECT DISTINCT district FROM services",
        )
    }
    assert districts == kecamatan  # all 16 kecamatan, no other name
    pairs = set(query(db, "SELECT DISTINCT district, village FROM complaints"))
    assert pairs <= set(kelurahan)
    assert len(pairs) > 170  # nearly all 177 kelurahan receive complaints


def test_semarang_points_lie_in_their_kelurahan(demo):
    db, _ = demo
    _, kelurahan = _geo("semarang")
    rows = query(
        db,
        "SELECT district, village, lon, lat, lat IS NULL FROM complaints "
        "WHERE source = 'generic' AND hash(complaint_id) % 8 = 0",
    )
    assert len(rows) > 1000 and not any(r[4] for r in rows)
    outside = [r for r in rows if not point_in_geometry(r[2], r[3], kelurahan[(r[0], r[1])])]
    assert outside == []


@pytest.mark.parametrize("city", ["bontang"])
def test_bontang_names_and_points(city):
    demo = generate_city(city, weeks=8, seed=3, end=END)
    kecamatan, kelurahan = _geo(city)
    c = demo.complaints
    assert set(c["district"]) == kecamatan
    assert set(zip(c["district"], c["village"], strict=True)) <= set(kelurahan)
    assert all(
        point_in_geometry(x, y, kelurahan[(d, v)])
        for d, v, x, y in zip(c["district"], c["village"], c["lon"], c["lat"], strict=True)
    )
    assert set(demo.services["district"]) == kecamatan
