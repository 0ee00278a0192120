"""A database written before regions (schema 1) is upgraded with every row and every figure kept.

The fixtures were written, and their figures computed, by the code of ``main`` before regions
(tests/etl/fixtures/v1/README.md); the upgraded copy must give the same figures through today's
KPI layer, with agency ids carrying the region.
"""

from __future__ import annotations

import gzip
import json
import math
import shutil
import subprocess
import sys

import duckdb
import pytest

from etl.errors import LoadError
from etl.load import load_file
from etl.migrate import SCHEMA_VERSION, needs_upgrade
from kinerja.paths import ROOT
from kpi import Warehouse
from kpi.reasons import REASONS
from tests.etl.conftest import FIXTURES, read_table

V1 = FIXTURES / "v1"
COUNTED = ("complaints", "services", "status_history", "agencies", "loads", "quarantine")


def unpack(name: str, dest) -> object:
    with gzip.open(V1 / f"{name}.duckdb.gz", "rb") as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
    return dest


def figures(name: str) -> dict:
    with gzip.open(V1 / f"{name}_figures.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def counts(db) -> dict[str, int]:
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    out = {t: con.execute(f"SELECT count(*) FROM wh.{t}").fetchall()[0][0] for t in COUNTED}
    con.close()
    return out


def migrate(db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "migrate", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def same(got, want, path="") -> None:
    """Deep equality where NaN equals None and new keys in ``got`` are allowed."""
    if isinstance(want, dict):
        for key, value in want.items():
            assert key in got, f"{path}.{key} missing"
            same(got[key], value, f"{path}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), f"{path}: {len(got)} != {len(want)} items"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            same(g, w, f"{path}[{i}]")
    elif want is None or (isinstance(want, float) and math.isnan(want)):
        assert got is None or (isinstance(got, float) and math.isnan(got)), f"{path}: {got!r}"
    elif ".unavailable." in path and want in PROSE:  # stored as prose before reason codes
        assert got == PROSE[want], f"{path}: {got!r} != {PROSE[want]!r} ({want!r})"
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


# why a figure is missing: the v1 figures hold the English sentence, today's KPI layer its code
PROSE = {text: code for code, text in REASONS.items()}


def qualify(obj, prefix: str, ids: set[str]):
    """The v1 figures with agency ids as they read after the upgrade (``<region>:<id>``)."""
    if isinstance(obj, dict):
        return {(prefix + k if k in ids else k): qualify(v, prefix, ids) for k, v in obj.items()}
    if isinstance(obj, list):
        return [qualify(v, prefix, ids) for v in obj]
    return prefix + obj if isinstance(obj, str) and obj in ids else obj


def plain(value):
    """A value as ``figures_v1.py`` wrote it: NaN as None, numpy scalars and dates as JSON."""
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value.isoformat() if hasattr(value, "isoformat") else value


def records(df) -> list[dict]:
    rows = [{k: plain(v) for k, v in r.items()} for r in df.to_dict("records")]
    return json.loads(json.dumps(rows, default=plain))


@pytest.mark.parametrize(("name", "region"), [("semarang_v1", "33.74"), ("nyc_v1", "US-NYC")])
def test_cli_migrate_keeps_rows_and_prefixes_agencies(tmp_path, name, region):
    db = unpack(name, tmp_path / "old.duckdb")
    before = counts(db)
    old_ids = {r[0] for r in read_table(db, "agencies")}
    assert needs_upgrade(db)
    proc = migrate(db)
    assert proc.returncode == 0, proc.stderr
    assert f"region {region}" in proc.stdout
    assert counts(db) == before
    assert {r[0] for r in read_table(db, "agencies")} == {f"{region}:{a}" for a in old_ids}
    meta = dict(read_table(db, "meta"))
    assert (meta["schema_version"], meta["home_region"]) == (str(SCHEMA_VERSION), region)
    assert region in {r[0] for r in read_table(db, "regions")}
    again = migrate(db)
    assert again.returncode == 0 and "already at schema version" in again.stdout
    assert counts(db) == before


def test_semarang_figures_unchanged(tmp_path):
    db = unpack("semarang_v1", tmp_path / "old.duckdb")
    want = figures("semarang_v1")
    ids = set(want["agencies"])
    wh = Warehouse.open(db)  # the reader upgrades the file on first open
    assert wh.facts["upgraded"] and not needs_upgrade(db)
    assert list(wh.weeks()["week"]) == want["weeks"]
    for week in want["weeks"]:
        same(wh.summary(week), qualify(want["summary"][week], "33.74:", ids), week)
    first, last = want["weeks"][0], want["weeks"][-2]
    for agency, values in want["summary_agency"].items():
        got = wh.summary(first, last, {"agency_id": "33.74:" + agency})
        same(got, qualify(values, "33.74:", ids), agency)
    same(records(wh.weekly(by="agency_id")), qualify(want["weekly_agency"], "33.74:", ids))
    same(records(wh.weekly(by="category")), want["weekly_category"])
    same(records(wh.agency_scores(last)), qualify(want["agency_scores"], "33.74:", ids))
    same(records(wh.backlog_ages(by="agency_id")), qualify(want["backlog_ages"], "33.74:", ids))
    same(
        records(wh.services_breakdown(first, last, by="agency_id")),
        qualify(want["services_breakdown"], "33.74:", ids),
    )
    # a bookmark or script from before regions still names the agency without its region
    assert wh.resolve_agency("dinas-pekerjaan-umum") == "33.74:dinas-pekerjaan-umum"
    same(
        wh.summary(first, last, {"agency_id": "dinas-pekerjaan-umum"}),
        qualify(want["summary_agency"]["dinas-pekerjaan-umum"], "33.74:", ids),
    )


def test_nyc_figures_unchanged(tmp_path):
    db = unpack("nyc_v1", tmp_path / "old.duckdb")
    assert migrate(db).returncode == 0
    want = figures("nyc_v1")
    ids = set(want["agencies"])
    wh = Warehouse.open(db)
    assert wh.settings.timezone == "America/New_York"  # still the NYC preset: US holidays
    for week in want["weeks"]:
        same(wh.summary(week), qualify(want["summary"][week], "US-NYC:", ids), week)
    same(records(wh.weekly(by="agency_id")), qualify(want["weekly_agency"], "US-NYC:", ids))


def test_load_into_an_old_database_upgrades_it_first(tmp_path):
    db = unpack("semarang_v1", tmp_path / "old.duckdb")
    with pytest.raises(LoadError, match="demo database"):  # real data never goes into a demo
        load_file(FIXTURES / "generic_complaints.csv", db=db, source="generic")
    con = duckdb.connect(str(db))  # an old real database: the same file, not flagged a demo
    con.execute("UPDATE meta SET value = 'false' WHERE key = 'is_demo'")
    con.close()
    before = counts(db)
    s = load_file(FIXTURES / "generic_complaints.csv", db=db, source="generic")
    assert s.region == "33.74"  # the database's home region
    after = counts(db)
    assert after["complaints"] == before["complaints"] + s.inserted
    assert not needs_upgrade(db)


def test_migration_that_fails_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    db = unpack("semarang_v1", tmp_path / "old.duckdb")
    raw = db.read_bytes()
    import etl.migrate as m

    def boom(con, table, select, params):
        raise RuntimeError("disk full")

    monkeypatch.setattr(m, "_rebuild", boom)
    with pytest.raises(RuntimeError):
        m.migrate_file(db)
    assert db.read_bytes() == raw
