"""Settings per region: default ← the database's preset ← its region table ← the region's own
preset ← the explicit file; the region's identity from the registry (issue 11)."""

from __future__ import annotations

from kpi.settings import load_settings


def test_a_kabkota_of_the_province_inherits_the_province(tmp_path):
    prov = load_settings(city="jateng")
    demak = prov.for_region("33.21")
    assert (demak.city_name, demak.region_code, demak.tz_label) == (
        "Kabupaten Demak",
        "33.21",
        "WIB",
    )
    assert demak.resolution_days_by_category() == prov.resolution_days_by_category()
    assert demak.district_population() == {}  # no preset of its own: no kecamatan figures


def test_a_region_with_its_own_preset_takes_it_over_the_province():
    semarang = load_settings(city="jateng").for_region("33.74")
    assert semarang.city_name == "Kota Semarang"
    assert semarang.raw["city"]["geo_kecamatan"] == "semarang_kecamatan.geojson"
    assert semarang.district_population()["Tembalang"] == 189_000
    assert semarang.sources[-1].endswith("semarang.toml")


def test_the_explicit_file_and_overrides_win_in_every_region(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text("[score]\nmin_obligations = 3\n", encoding="utf-8")
    prov = load_settings(user, city="jateng", tz="Asia/Makassar")
    demak = prov.for_region("33.21")
    assert (demak.min_obligations, demak.timezone) == (3, "Asia/Makassar")


def test_own_region_and_unknown_region():
    city = load_settings(city="semarang")
    assert city.for_region("33.74") is city and city.for_region(None) is city
    other = city.for_region("35.78")  # Kota Surabaya: from the national list
    assert (other.city_name, other.tz_label) == ("Kota Surabaya", "WIB")
    assert load_settings(city="jateng").for_region("64.74").tz_label == "WITA"
