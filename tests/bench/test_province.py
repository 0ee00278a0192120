"""The province-scale benchmark's input: every generated row gets a kab/kota (by population) or
the province itself, and the ETL assigns each to that region by name."""

from __future__ import annotations

from bench.generate import generate
from bench.province import with_regions
from etl.load import load_file
from tests.etl.conftest import read_table


def test_rows_spread_over_the_province_and_load_into_their_regions(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_SALT", "test-salt")
    manifest = generate(3000, tmp_path, seed=3)
    csv = tmp_path / "province.csv"
    per_region = with_regions(tmp_path / "complaints_3000.csv", csv, seed=3)
    assert sum(per_region.values()) == 3000 == manifest.rows
    assert "33" in per_region and len(per_region) >= 30  # most of the 35 kab/kota at this size
    assert per_region["33.74"] > per_region["33.71"]  # Semarang outnumbers Kota Magelang
    db = tmp_path / "p.duckdb"
    s = load_file(csv, db=db, source="generic", region="33")
    assert (s.read, s.quarantined, s.regions) == (3000, 0, per_region)
    codes = {r[26] for r in read_table(db, "complaints")}
    assert codes == set(per_region)
