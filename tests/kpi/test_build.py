"""The KPI tables built once per load (kpi/build.py): stored in the file by the ETL, used by
readers with the same settings, rebuilt in memory for other settings, rebuilt incrementally
with the same result as a full build, and queried from several threads without a lock."""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pytest

from bench.generate import generate
from etl.load import load_file
from etl.meta import set_meta
from kinerja.paths import ROOT
from kpi import Warehouse, build

STAGED_KEYS = ["source", "id_scope", "complaint_id"]
ROLLUP_KEYS = ["region_code", "agency_id", "d"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """3,000 generated complaints loaded by the ETL, then an overlapping export (300 updated)."""
    tmp = tmp_path_factory.mktemp("build")
    made = generate(3000, tmp, seed=3)
    db = tmp / "wh.duckdb"
    set_meta(db, {"city": "semarang"})
    first = load_file(made.base_csv, db=db, source="generic")
    second = load_file(made.overlap_csv, db=db, source="generic")
    assert (first.inserted, second.updated) == (3000, 300)
    return db


def _table(db, name: str, keys: list[str]) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    df = con.execute(f"SELECT * FROM kpi_{name}").df()
    con.close()
    return df.sort_values(keys).reset_index(drop=True)


def _drop_kpi_tables(con) -> None:
    """Make the database look built by a Kinerja without KPI tables."""
    names = con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'kpi_%'")
    for (name,) in names.fetchall():
        con.execute(f"DROP TABLE {name}")


def test_the_load_stores_the_tables_and_readers_use_them(loaded):
    wh = Warehouse.open(loaded)
    assert wh.info()["kpi_tables"] == "stored"
    assert wh.engine.relation("stg_complaints") == "wh.kpi_stg_complaints"
    info = build.stored_info(wh.con, "wh.")
    assert info["fingerprint"] == build.make_plan(wh.con, "wh.", wh.settings).fingerprint
    assert json.loads(info["regions"]) == ["33.74"]
    assert int(wh.con.execute("SELECT count(*) FROM c").fetchall()[0][0]) == 3000


def test_incremental_equals_a_full_build(loaded, tmp_path):
    """The overlapping export was applied incrementally; a full rebuild gives the same rows."""
    full = tmp_path / "full.duckdb"
    full.write_bytes(loaded.read_bytes())
    con = duckdb.connect(str(full))
    assert build.refresh(con)["mode"] == "full"  # no load given: everything
    con.close()
    for name, keys in (
        ("stg_complaints", STAGED_KEYS),
        ("int_complaints_daily_agency", ROLLUP_KEYS),
    ):
        got, expected = _table(loaded, name, keys), _table(full, name, keys)
        pd.testing.assert_frame_equal(got, expected)


def test_other_settings_build_in_memory_and_say_so(loaded):
    stored = Warehouse.open(loaded)
    other = Warehouse.open(loaded, tz="Asia/Makassar")
    assert other.info()["kpi_tables"].startswith("built at open")
    assert other.engine.relation("stg_complaints") == "memory.kpi_stg_complaints"
    week = stored.info()["last_complete_week"]
    # one hour later in WITA: some complaints move to another local day, the totals stay
    a, b = stored.summary("2026-W01", week), other.summary("2026-W01", week)
    assert a["received"] > 0 and (a["received"], a["backlog"]) != (b["received"], b["backlog"])
    assert stored.weekly()["received"].sum() == other.weekly()["received"].sum() == 3000


def test_stored_and_in_memory_tables_give_the_same_figures(loaded, tmp_path):
    """A database built by an older Kinerja has no KPI tables: built in memory at open, and
    every figure is the same as from the stored tables."""
    bare = tmp_path / "bare.duckdb"
    bare.write_bytes(loaded.read_bytes())
    con = duckdb.connect(str(bare))
    _drop_kpi_tables(con)
    con.close()
    stored, memory = Warehouse.open(loaded), Warehouse.open(bare)
    assert memory.info()["kpi_tables"] == "built at open (none in the file)"
    week = stored.info()["last_complete_week"]
    calls = [
        lambda w: w.weekly(by="agency_id"),
        lambda w: w.weekly("2026-W01", week, by="category"),
        lambda w: w.weekly("2026-W10", week, by="village", scope={"district": "Tugu"}),
        lambda w: w.breakdown(week, None, "channel"),
        lambda w: w.backlog_ages(None, by="agency_id"),
    ]
    for call in calls:
        pd.testing.assert_frame_equal(call(stored), call(memory))
    as_of = "2026-03-25 05:00:00"
    assert stored.summary(week, as_of=as_of) == memory.summary(week, as_of=as_of)


def test_kpi_build_command_rebuilds_in_the_file(loaded, tmp_path):
    bare = tmp_path / "bare.duckdb"
    bare.write_bytes(loaded.read_bytes())
    con = duckdb.connect(str(bare))
    _drop_kpi_tables(con)
    con.close()
    got = subprocess.run(
        [sys.executable, "-m", "kpi", "build", "--db", str(bare)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == {"mode": "full", "reason": "no KPI tables yet"}
    assert Warehouse.open(bare).info()["kpi_tables"] == "stored"


def test_threads_query_side_by_side(loaded):
    wh = Warehouse.open(loaded)
    expected = wh.weekly(by="agency_id")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: wh.weekly(by="agency_id"), range(8)))
    for got in results:
        pd.testing.assert_frame_equal(got, expected)
