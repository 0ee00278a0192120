"""The province demo (issue 11): Jawa Tengah's kab/kota and LaporGub!, through the real ETL.

A small build (five kab/kota, 16 weeks) checks the pipeline and that the province adds up; the
regional differences a governor should spot are checked on generated data of the full size.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from etl.demo.province import IMPROVING, NORTH_COAST, SKILL, generate_province
from etl.demo.province_build import build_province
from kinerja import regions
from kpi import Warehouse
from tests.demo.conftest import query

END = dt.date(2026, 6, 28)
FIVE = ["33.15", "33.21", "33.29", "33.72", "33.74"]  # Grobogan, Demak, Brebes, Surakarta, Smg


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    root = tmp_path_factory.mktemp("province")
    result = build_province(root / "jateng.duckdb", weeks=16, seed=5, end=END, only=FIVE)
    return root / "jateng.duckdb", result


def test_build_loads_every_file_through_the_etl(province):
    db, result = province
    assert result["n_regions"] == 5 and result["n_files"] == len(
        query(db, "SELECT * FROM loads WHERE outcome = 'loaded'")
    )
    assert set(result["loads"]) == {"lapor", "generic", "generic_services", "laporgub"}
    assert sum(v["quarantined"] for v in result["loads"].values()) == 0
    got = query(db, "SELECT count(*) FROM complaints")[0][0]
    assert got == result["n_complaints"]
    meta = dict(query(db, "SELECT key, value FROM meta"))
    assert (meta["city"], meta["home_region"], meta["is_demo"]) == ("jateng", "33", "true")
    codes = {r[0] for r in query(db, "SELECT region_code FROM complaints")}
    assert codes == set(FIVE) | {"33"}  # the province's own OPD through LaporGub!
    names = dict(query(db, "SELECT region_code, name FROM regions"))
    assert names["33.29"] == "Kabupaten Brebes" and names["33"] == "Provinsi Jawa Tengah"


def test_laporgub_disposes_to_the_province_and_to_kabkota(province):
    db, _ = province
    rows = dict(
        query(
            db,
            "SELECT region_code = '33', count(*) FROM complaints WHERE source = 'laporgub' "
            "GROUP BY 1",
        )
    )
    assert rows[True] > 0.25 * (rows[True] + rows[False])  # provincial OPD
    assert rows[False] > 0.4 * (rows[True] + rows[False])  # the kab/kota government
    demak = query(
        db,
        "SELECT DISTINCT agency_id FROM complaints WHERE source = 'laporgub' "
        "AND region_code = '33.21' AND agency_id <> '33.21:unassigned'",
    )
    assert demak == [("33.21:pemerintah-kabupaten-demak",)]
    # the same OPD name in two regions is two agencies
    dpu = {
        r[0]
        for r in query(db, "SELECT agency_id FROM agencies WHERE name = 'Dinas Pekerjaan Umum'")
    }
    assert dpu == {f"{c}:dinas-pekerjaan-umum" for c in FIVE}


def test_province_equals_the_sum_of_its_regions(province):
    db, _ = province
    wh = Warehouse.open(db)
    weeks = list(wh.weeks()["week"])
    for week in (weeks[2], weeks[-2], weeks[-1]):
        whole = wh.summary(week, None, {"region": "33"})
        parts = wh.breakdown(week, None, "region_code")
        for metric in ("received", "closed", "backlog", "overdue_backlog"):
            assert whole[metric] == int(parts[metric].sum()) > 0, (week, metric)
        assert set(parts["region_code"]) == set(FIVE) | {"33"}
        for code in FIVE:
            own = wh.summary(week, None, {"region": code})
            row = parts.set_index("region_code").loc[code]
            assert (own["received"], own["backlog"]) == (row["received"], row["backlog"])


def test_same_seed_same_province():
    a = generate_province(weeks=4, seed=3, end=END, only=["33.71", "33.73"])
    b = generate_province(weeks=4, seed=3, end=END, only=["33.71", "33.73"])
    for ra, rb in zip(a.regions, b.regions, strict=True):
        assert ra.complaints.equals(rb.complaints) and ra.services.equals(rb.services)
    assert a.laporgub.equals(b.laporgub)


@pytest.fixture(scope="module")
def year():
    return generate_province(weeks=52, seed=7, end=END)


def _median_days(df) -> float:
    done = df[df["reject_reason"].isna() & df["closed_at"].notna()]
    return float(np.median((done["closed_at"] - done["created_at"]).dt.total_seconds() / 86400))


def test_volume_scales_with_population_and_kota_complain_more(year):
    per_100k = {
        r.region.code: len(r.complaints) / 52 / (r.region.population / 1e5) for r in year.regions
    }
    assert len(year.regions) == 35
    assert (
        per_100k["33.74"]
        > per_100k["33.72"]
        > max(v for c, v in per_100k.items() if regions.get(c).level == "kabupaten")
    )
    total = sum(len(r.complaints) for r in year.regions) + len(year.laporgub)
    assert 100_000 < total < 250_000
    assert 18_000 < len(year.laporgub) < 29_000  # LaporGub! had ~23,000 a year (2022)


def test_fast_slow_and_improving_regions(year):
    med = {r.region.code: _median_days(r.complaints) for r in year.regions}
    typical = float(np.median(list(med.values())))
    for code, factor in SKILL.items():
        assert (med[code] < 0.75 * typical) if factor < 1 else (med[code] > 1.4 * typical), code
    c = next(r for r in year.regions if r.region.code == IMPROVING).complaints
    frac = (c["created_at"] - c["created_at"].min()).dt.days / 364
    assert _median_days(c[frac > 0.75]) < 0.6 * _median_days(c[frac < 0.25])


def test_north_coast_floods_in_the_rainy_season(year):
    def flood_share(coast: bool, months: tuple[int, ...]) -> float:
        n = total = 0
        for r in year.regions:
            if (r.region.code in NORTH_COAST) != coast:
                continue
            c = r.complaints[r.complaints["created_at"].dt.month.isin(months)]
            n += (c["category"] == "Banjir dan Genangan").sum()
            total += len(c)
        return n / total

    wet, dry = (12, 1, 2), (6, 7, 8)
    assert flood_share(True, wet) > 2 * flood_share(True, dry)
    assert flood_share(True, wet) > 1.3 * flood_share(False, wet)
