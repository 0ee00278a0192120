"""District-name matching against the shipped boundary files (ui/geo.py)."""

import json

import pandas as pd
import pytest

from ui.geo import (
    GeoError,
    kelurahan_of,
    load_layer,
    match_districts,
    match_villages,
    normalise_name,
)

SEMARANG_KECAMATAN = [
    "Semarang Tengah",
    "Semarang Utara",
    "Semarang Timur",
    "Gayamsari",
    "Genuk",
    "Pedurungan",
    "Semarang Selatan",
    "Candisari",
    "Gajahmungkur",
    "Tembalang",
    "Banyumanik",
    "Gunungpati",
    "Semarang Barat",
    "Mijen",
    "Ngaliyan",
    "Tugu",
]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Semarang Tengah", "semarangtengah"),
        ("  SEMARANG   TENGAH ", "semarangtengah"),
        ("Kec. Semarang Tengah", "semarangtengah"),
        ("KECAMATAN Semarang Tengah", "semarangtengah"),
        ("kec.Gajah-Mungkur", "gajahmungkur"),
        ("Kel. Api-api", "apiapi"),
        ("Kelurahan Api Api", "apiapi"),
        ("Desa Mangunharjo", "mangunharjo"),
        ("Kecamatan", ""),
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        ("", ""),
    ],
)
def test_normalise_name(raw, key):
    assert normalise_name(raw) == key


def test_prefix_only_as_a_whole_word():
    # "Kelapa" and "Desari" start with prefix letters but are names, not prefixes.
    assert normalise_name("Kelapa Gading") == "kelapagading"
    assert normalise_name("Kec. Desari") == "desari"


def test_every_semarang_kecamatan_matches_its_own_code():
    layer = load_layer("semarang_kecamatan.geojson")
    assert layer.level == "kecamatan"
    result = match_districts(SEMARANG_KECAMATAN, layer)
    assert result.unmatched == []
    assert len(set(result.codes.values())) == 16
    assert result.codes["Semarang Tengah"] == "33.74.01"
    assert result.codes["Gajahmungkur"] == "33.74.09"


def test_every_bontang_kecamatan_matches():
    layer = load_layer("bontang_kecamatan.geojson")
    names = ["Bontang Utara", "Bontang Selatan", "Bontang Barat"]
    result = match_districts(names, layer)
    assert result.unmatched == []
    assert sorted(result.codes.values()) == ["64.74.01", "64.74.02", "64.74.03"]


def test_loose_spellings_match_and_unknown_names_are_reported_once():
    layer = load_layer("semarang_kecamatan.geojson")
    data = [
        "KEC. SEMARANG TENGAH",
        "Gajah Mungkur",
        "Kota Lama",
        None,
        "",
        "Kota Lama",
        "Candi-sari",
    ]
    result = match_districts(data, layer)
    assert result.codes == {
        "KEC. SEMARANG TENGAH": "33.74.01",
        "Gajah Mungkur": "33.74.09",
        "Candi-sari": "33.74.08",
    }
    assert result.unmatched == ["Kota Lama"]


def test_kelurahan_match_on_the_pair_not_the_name():
    layer = load_layer("semarang_kelurahan.geojson")
    assert layer.level == "kelurahan"
    result = match_villages(
        [
            ("Tembalang", "Mangunharjo"),
            ("Tugu", "Mangunharjo"),
            ("Kec. Mijen", "PURWOSARI"),
            ("Semarang Utara", "Purwosari"),
            ("Semarang Tengah", "Mangunharjo"),  # a real name in the wrong kecamatan
            ("Tugu", None),
        ],
        layer,
    )
    codes = result.codes
    assert len(codes) == 4
    assert len(set(codes.values())) == 4
    assert layer.parents[codes[("Tembalang", "Mangunharjo")]] == "Tembalang"
    assert layer.parents[codes[("Tugu", "Mangunharjo")]] == "Tugu"
    assert layer.parents[codes[("Kec. Mijen", "PURWOSARI")]] == "Mijen"
    assert result.unmatched == [("Semarang Tengah", "Mangunharjo")]


def test_every_kelurahan_of_the_files_matches_itself():
    for file_name, count in [
        ("semarang_kelurahan.geojson", 177),
        ("bontang_kelurahan.geojson", 15),
    ]:
        layer = load_layer(file_name)
        pairs = [(layer.parents[k], name) for k, name in layer.names.items()]
        result = match_villages(pairs, layer)
        assert result.unmatched == []
        assert len(set(result.codes.values())) == count


def test_bontang_api_api_with_a_space():
    layer = load_layer("bontang_kelurahan.geojson")
    result = match_villages([("Bontang Utara", "Api Api")], layer)
    assert layer.names[result.codes[("Bontang Utara", "Api Api")]] == "Api-api"


def test_layer_bbox_and_center():
    layer = load_layer("semarang_kecamatan.geojson")
    lon_min, lat_min, lon_max, lat_max = layer.bbox
    assert (round(lon_min, 4), round(lat_min, 4)) == (110.2697, -7.1155)
    assert (round(lon_max, 4), round(lat_max, 4)) == (110.5052, -6.9337)
    assert round(layer.center["lat"], 3) == -7.025


def test_no_file_configured_is_none_and_broken_files_raise(tmp_path):
    assert load_layer("") is None
    assert load_layer(None) is None
    with pytest.raises(GeoError, match="nowhere.geojson: boundary file not found"):
        load_layer("nowhere.geojson", geo_dir=tmp_path)
    (tmp_path / "bad.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(GeoError, match="bad.geojson: not valid GeoJSON"):
        load_layer("bad.geojson", geo_dir=tmp_path)
    (tmp_path / "empty.geojson").write_text(json.dumps({"features": []}), encoding="utf-8")
    with pytest.raises(GeoError, match="empty.geojson: no features"):
        load_layer("empty.geojson", geo_dir=tmp_path)


def test_settings_value_cannot_escape_the_geo_folder(tmp_path):
    (tmp_path / "secret.geojson").write_text("{}", encoding="utf-8")
    geo_dir = tmp_path / "geo"
    geo_dir.mkdir()
    with pytest.raises(GeoError, match="not found"):
        load_layer("../secret.geojson", geo_dir=geo_dir)


def test_kelurahan_of_one_kecamatan():
    layer = load_layer("semarang_kelurahan.geojson")
    tugu = kelurahan_of(layer, "Kec. TUGU")
    assert set(tugu.parents.values()) == {"Tugu"}
    assert len(tugu.names) == len(tugu.geojson["features"]) == 7
    assert match_villages([("Tugu", "Mangunharjo")], tugu).unmatched == []
    assert match_villages([("Tembalang", "Mangunharjo")], tugu).unmatched == [
        ("Tembalang", "Mangunharjo")
    ]
    assert tugu.bbox[2] - tugu.bbox[0] < layer.bbox[2] - layer.bbox[0]
    assert kelurahan_of(layer, "Atlantis") is None
