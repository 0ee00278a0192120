"""Map page (app_pages/5_Peta.py): figures equal the KPI layer's, measure and kecamatan switch them,
unmatched districts are listed, a city without boundaries gets a clear empty state."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import html_tables, run_page, weeks_ending, wk
from ui import data
from ui.i18n import fmt_metric, fmt_num

SEMARANG_KECAMATAN = 16


@pytest.fixture(autouse=True)
def fresh_warehouse():
    """Tests below change the settings ($KINERJA_CONFIG): no warehouse may outlive a test."""
    data.clear_cache()
    yield
    data.clear_cache()


def _run(lang="id", **params) -> AppTest:
    return run_page("5_Peta.py", lang, **params)


def _period(warehouse, n_weeks=4):
    return weeks_ending(warehouse, n_weeks)


def _rows(df) -> dict:
    """{area name: row dict} of a displayed table (a data frame of cell texts)."""
    return {row[df.columns[0]]: row for row in df.to_dict("records")}


def test_district_table_equals_the_kpi_layer(demo_db, warehouse):
    at = _run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2  # kecamatan map and kelurahan detail
    expected = warehouse.district_metrics(*_period(warehouse)).set_index("district")
    rows = _rows(html_tables(at)[0])
    assert len(rows) == SEMARANG_KECAMATAN
    for name, row in rows.items():
        assert row["Aduan masuk"] == fmt_metric("received", expected.loc[name, "received"], "id")
        assert row["Tunggakan"] == fmt_metric("backlog", expected.loc[name, "backlog"], "id")
    assert list(rows)[0] == expected["received"].idxmax()  # most complaints first
    assert not at.warning[1:]  # only the demo marker: every district matched a polygon


def test_measure_switch_shows_per_10k_from_the_settings(demo_db, warehouse):
    at = _run()
    at.radio(key=wk("m_metric")).set_value("per_10k").run()
    assert not at.exception
    assert any("[districts.population]" in c.value for c in at.caption)
    expected = warehouse.district_metrics(*_period(warehouse)).set_index("district")
    rows = _rows(html_tables(at)[0])
    column = "Aduan per 10.000 penduduk"
    assert rows["Tugu"][column] == fmt_num(expected.loc["Tugu", "per_10k"], 1, "id")
    assert list(rows)[0] == expected["per_10k"].astype(float).idxmax()
    at.radio(key=wk("m_metric")).set_value("resolution_sla_compliance").run()
    rows = _rows(html_tables(at)[0])
    value = expected.loc["Tugu", "resolution_sla_compliance"]
    assert rows["Tugu"]["Penyelesaian tepat waktu"] == fmt_metric(
        "resolution_sla_compliance", value, "id"
    )
    lowest = expected["resolution_sla_compliance"].astype(float).idxmin()
    assert list(rows)[0] == lowest  # worst (lowest compliance) first


def test_kelurahan_detail_follows_the_chosen_kecamatan(demo_db, warehouse):
    at = _run(m_kecamatan="Tugu")
    assert not at.exception
    assert at.selectbox(key=wk("m_kecamatan")).value == "Tugu"
    start, end = _period(warehouse)
    expected = warehouse.village_metrics(start, end, scope={"district": "Tugu"})
    expected = expected[expected["village"].notna()].set_index("village")
    rows = _rows(html_tables(at)[1])
    assert set(rows) == set(expected.index)
    for name, row in rows.items():
        assert row["Aduan masuk"] == fmt_metric("received", expected.loc[name, "received"], "id")
    at.selectbox(key=wk("m_kecamatan")).set_value("Mijen").run()
    assert set(_rows(html_tables(at)[1])) != set(rows)


def test_language_toggle(demo_db):
    at = _run()
    assert at.title[0].value == "Peta Aduan per Kecamatan"
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Complaints by district (map)"
    assert "Complaints received" in html_tables(at)[0].columns


def test_city_without_boundaries_shows_an_empty_state(demo_db, tmp_path, monkeypatch):
    config = tmp_path / "no_map.toml"
    config.write_text('[city]\ngeo_kecamatan = ""\ngeo_kelurahan = ""\n', encoding="utf-8")
    monkeypatch.setenv("KINERJA_CONFIG", str(config))
    at = _run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Kota ini belum memiliki batas wilayah (geo_kecamatan di pengaturan kota), jadi peta "
        "tidak dapat ditampilkan."
    ]
    assert len(at.get("plotly_chart")) == 0


def test_districts_matching_no_polygon_are_listed(demo_db, warehouse, tmp_path, monkeypatch):
    config = tmp_path / "wrong_map.toml"
    config.write_text(
        '[city]\ngeo_kecamatan = "bontang_kecamatan.geojson"\ngeo_kelurahan = ""\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KINERJA_CONFIG", str(config))
    at = _run()
    assert not at.exception
    assert at.warning[-1].value.startswith(f"{SEMARANG_KECAMATAN} nama wilayah di data")
    listed = at.dataframe[-1].value
    expected = warehouse.district_metrics(*_period(warehouse)).set_index("district")
    assert sorted(listed["Kecamatan"]) == sorted(expected.index)
    tugu = listed.set_index("Kecamatan").loc["Tugu", "Aduan masuk"]
    assert tugu == fmt_metric("received", expected.loc["Tugu", "received"], "id")


def test_missing_boundary_file_is_a_readable_error(demo_db, tmp_path, monkeypatch):
    config = tmp_path / "missing_map.toml"
    config.write_text('[city]\ngeo_kecamatan = "atlantis.geojson"\n', encoding="utf-8")
    monkeypatch.setenv("KINERJA_CONFIG", str(config))
    at = _run(lang="en")
    assert not at.exception
    assert at.error[0].value.startswith(
        "Boundary file problem: atlantis.geojson: boundary file not found"
    )


@pytest.fixture(scope="module")
def bontang_db(tmp_path_factory):
    """A four-week demo of Bontang (WITA, three kecamatan, fifteen kelurahan incl. Api-api)."""
    from etl.demo import build_demo

    path = tmp_path_factory.mktemp("bontang") / "kinerja.duckdb"
    build_demo(db=path, city="bontang", weeks=4, seed=3)
    return path


def test_bontang_every_kecamatan_and_kelurahan_is_on_the_map(bontang_db, monkeypatch):
    monkeypatch.setenv("KINERJA_DB", str(bontang_db))
    at = _run()  # Indonesian: AppTest re-formats radio options outside the session's language
    assert not at.exception
    assert sorted(_rows(html_tables(at)[0])) == [
        "Bontang Barat",
        "Bontang Selatan",
        "Bontang Utara",
    ]
    assert len(at.warning) == 1  # the demo marker only: no unmatched names
    assert "WITA" in at.caption[0].value
    seen = set()
    for kecamatan in ["Bontang Barat", "Bontang Selatan", "Bontang Utara"]:
        at.selectbox(key=wk("m_kecamatan")).set_value(kecamatan).run()
        assert not at.exception
        assert len(at.warning) == 1
        seen |= set(_rows(html_tables(at)[1]))
    assert "Api-api" in seen
