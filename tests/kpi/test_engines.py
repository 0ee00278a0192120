"""The engine seam (kpi/engine.py, kpi/render.py): every construct that differs between DuckDB
and ClickHouse runs on both, and the weekly × agency table computed by ClickHouse (chdb) over
the Parquet lake equals DuckDB's cell by cell, with the same NULLs, on 100,000 complaints."""

from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd
import pytest

from bench.generate import generate
from etl.load import load_file
from etl.meta import set_meta
from kpi import Warehouse
from kpi.engine import ClickHouseEngine, DuckDBEngine, clickhouse_params
from kpi.lake import LakeWarehouse, export_lake
from kpi.render import DIALECTS, render_text

# One query per entry of DIALECTS, with what both engines must return.
DIALECT_CASES = {
    "quantiles": (
        "SELECT {{ quantiles(x) }} AS q FROM (SELECT CAST(n AS DOUBLE) AS x FROM ({{ periods() }}) s"
        " CROSS JOIN (SELECT 1 AS one) o, (SELECT pid + 1 AS n FROM ({{ periods() }}) p) v"
        " WHERE s.pid = 0) t",
        {"n": 10},
        [5.5, 9.1],
    ),
    "periods": ("SELECT pid FROM ({{ periods() }}) p ORDER BY pid", {"n": 3}, [0, 1, 2]),
    "null_text": ("SELECT {{ null_text() }} IS NULL AS is_null", {}, True),
}


def _duck() -> DuckDBEngine:
    con = duckdb.connect()
    return DuckDBEngine(lambda: con, {})


def _value(df: pd.DataFrame):
    col = df.iloc[:, 0]
    if len(df) > 1:
        return [int(v) for v in col]
    value = col.iloc[0]
    return [float(v) for v in value] if hasattr(value, "__len__") else bool(value)


@pytest.fixture(scope="module")
def clickhouse(tmp_path_factory):
    engine = ClickHouseEngine(tmp_path_factory.mktemp("lake_empty"))
    yield engine
    engine.close()


def test_every_dialect_entry_is_tested():
    assert set(DIALECT_CASES) == set(DIALECTS)


@pytest.mark.parametrize("name", sorted(DIALECT_CASES))
def test_dialect_entry_gives_the_same_on_both_engines(name, clickhouse):
    sql, params, expected = DIALECT_CASES[name]
    duck = _duck()
    got_duck = duck.fetch(render_text(sql, "duckdb", str), params)
    got_ch = clickhouse.fetch(render_text(sql, "clickhouse", str), params)
    assert _value(got_duck) == _value(got_ch) == expected


def test_clickhouse_parameters_are_typed_and_null_safe():
    sql, values = clickhouse_params(
        "SELECT $a, $b, $c, $d, $e, $f WHERE $a IS NULL",
        {"a": None, "b": "x\\y", "c": 3, "d": date(2026, 1, 5),
         "e": datetime(2026, 1, 5, 7, 0, 0, 1), "f": True, "unused": 1},
    )  # fmt: skip
    assert sql == (
        "SELECT {a:Nullable(String)}, {b:Nullable(String)}, {c:Int64}, {d:Date32}, "
        "{e:DateTime64(6, 'UTC')}, {f:Bool} WHERE {a:Nullable(String)} IS NULL"
    )
    assert values == {"a": "\\N", "b": "x\\\\y", "c": "3", "d": "2026-01-05",
                      "e": "2026-01-05 07:00:00.000001", "f": "true"}  # fmt: skip


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """100,000 generated complaints loaded by the ETL, staged, exported as the lake."""
    tmp = tmp_path_factory.mktemp("lake")
    made = generate(100_000, tmp, seed=5)
    db = tmp / "wh.duckdb"
    set_meta(db, {"city": "semarang"})
    load_file(made.base_csv, db=db, source="generic")
    load_file(made.overlap_csv, db=db, source="generic")
    out = export_lake(db, tmp / "lake")
    return db, tmp / "lake", out


def test_lake_layout_is_hive_partitioned_with_ascii_keys(lake):
    _, path, out = lake
    assert out["rows"] == {"stg_complaints": 100_000, "stg_services": 0}
    folders = sorted(p.relative_to(path).as_posix() for p in path.glob("stg_complaints/*/*/*"))
    assert folders[0] == "stg_complaints/region_code=33.74/year=2024/month=1"
    assert len(folders) == 27 and all(f.isascii() for f in folders)


def _same(a: pd.Series, b: pd.Series, rel: float) -> np.ndarray:
    """Equal cells, missing in the same places (NaN, None and NA alike)."""
    missing_a, missing_b = a.isna().to_numpy(), b.isna().to_numpy()
    if a.dtype.kind in "biuf" and b.dtype.kind in "biuf":
        x, y = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
        with np.errstate(invalid="ignore"):
            close = np.abs(x - y) <= rel * np.abs(x) if rel else x == y
    else:
        close = a.astype(object).to_numpy() == b.astype(object).to_numpy()
    return (missing_a & missing_b) | (~missing_a & ~missing_b & close)


def test_weekly_by_agency_on_clickhouse_equals_duckdb(lake):
    db, path, _ = lake
    wh = Warehouse.open(db)
    weeks = wh.weeks()
    first, last = weeks["week"].iloc[0], weeks["week"].iloc[-1]
    duck = wh.weekly(first, last, by="agency_id")
    ch = LakeWarehouse.open(path, wh.settings)
    try:
        house = ch.weekly(first, last, by="agency_id")
    finally:
        ch.close()
    assert list(house.columns) == list(duck.columns) and len(house) == len(duck) == 3570
    assert int(duck["received"].sum()) == 100_000
    # Durations: the two engines interpolate between the same two order statistics, and their
    # float arithmetic may differ in the last bits; everything else is equal exactly.
    durations = [c for c in duck.columns if c.startswith(("median_", "p90_"))]
    for col in duck.columns:
        ok = _same(duck[col], house[col], 1e-12 if col in durations else 0)
        bad = duck.loc[~ok, ["week", "agency_id"]].assign(duckdb=duck[col], clickhouse=house[col])
        assert ok.all(), f"{col}: {bad.head(3).to_dict('records')}"
    assert duck["median_days_to_resolve"].isna().sum() > 0  # NULLs compared too
