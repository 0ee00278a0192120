"""Same seed and end give the same data; another seed gives other data; volume follows population."""

from __future__ import annotations

import pandas as pd

from etl.demo import build_demo, generate_city
from etl.demo.params import DemoParams
from tests.demo.conftest import END, query

TABLES = {
    "complaints": "SELECT * FROM complaints ORDER BY source, complaint_id",
    "services": "SELECT * FROM services ORDER BY source, service_id",
    "status_history": "SELECT * FROM status_history ORDER BY ALL",
    "agencies": "SELECT * FROM agencies ORDER BY agency_id",
    "quarantine": "SELECT * FROM quarantine ORDER BY ALL",
}


def test_generator_is_pure():
    a = generate_city("bontang", weeks=10, seed=11, end=END)
    b = generate_city("bontang", weeks=10, seed=11, end=END)
    c = generate_city("bontang", weeks=10, seed=12, end=END)
    pd.testing.assert_frame_equal(a.complaints, b.complaints)
    pd.testing.assert_frame_equal(a.services, b.services)
    assert not a.complaints["created_at"].equals(c.complaints["created_at"])
    assert not a.services["submitted_at"].equals(c.services["submitted_at"])


def test_same_seed_same_database(tmp_path):
    params = DemoParams(lapor_weekly_recent_weeks=2)
    dbs = []
    for run in ("a", "b"):
        db = tmp_path / run / "k.duckdb"
        build_demo(
            db=db,
            city="bontang",
            weeks=8,
            seed=5,
            end=END,
            workdir=tmp_path / run / "f",
            params=params,
        )
        dbs.append(db)
    for name, sql in TABLES.items():
        first, second = query(dbs[0], sql), query(dbs[1], sql)
        assert first == second, name
    assert len(query(dbs[0], TABLES["complaints"])) > 200


def test_volume_follows_population():
    semarang = generate_city("semarang", weeks=8, seed=1, end=END)
    bontang = generate_city("bontang", weeks=8, seed=1, end=END)
    ratio = len(bontang.complaints) / len(semarang.complaints)
    assert 0.07 < ratio < 0.15  # 180 k vs 1.69 M residents
    assert 250 < len(semarang.complaints) / 8 < 550
    assert 0.04 < len(bontang.services) / len(semarang.services) < 0.16


def test_reassignments_and_agency_mix():
    demo = generate_city("semarang", weeks=8, seed=1, end=END)
    c = demo.complaints
    valid = c[c["reject_reason"].isna() & c["agency_key"].notna()]
    moved = (valid["first_agency_key"] != valid["agency_key"]).mean()
    assert 0.04 < moved < 0.1
    assert valid["reassigned_at"].notna().mean() == moved
    assert 25 <= len(demo.agencies) <= 35
    assert valid["agency_key"].nunique() >= 30
