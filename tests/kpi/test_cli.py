"""``python -m kpi``: the same figures as the functions the app calls; clean errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from kinerja.paths import ROOT
from kpi import Warehouse, load_settings
from kpi.cli import build_parser
from tests.kpi import week_fixture as F


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kpi", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip


@pytest.fixture
def db_and_cfg(db_factory, tmp_path):
    db = db_factory(complaints=F.COMPLAINTS, services=F.SERVICES, meta={"city": "semarang"},
                    agencies=F.AGENCIES)  # fmt: skip
    cfg = tmp_path / "uji.toml"
    cfg.write_text(F.CONFIG)
    return db, cfg


def test_summary_json_equals_warehouse_summary(db_and_cfg):
    db, cfg = db_and_cfg
    wh = Warehouse.open(db, load_settings(cfg, city="semarang"))
    for args, call in (
        (["--week", "2015-W29"], dict(start="2015-W29")),
        (["--start", "2015-07-13", "--end", "2015-07-16", "--agency", "dpu",
          "--as-of", "2015-07-15 05:00:00"],
         dict(start="2015-07-13", end="2015-07-16", scope={"agency_id": "dpu"}, as_of="2015-07-15 05:00:00")),
    ):  # fmt: skip
        got = run("summary", "--db", str(db), "--config", str(cfg), *args, "--json")
        assert got.returncode == 0, got.stderr
        expected = json.loads(json.dumps(wh.summary(**call)))
        assert json.loads(got.stdout) == expected
    assert json.loads(got.stdout)["scope"]["agency_id"] == "dpu"
    assert json.loads(got.stdout)["as_of"] == "2015-07-15T05:00:00"


def test_weekly_csv_by_agency(db_and_cfg):
    db, cfg = db_and_cfg
    got = run("weekly", "--db", str(db), "--config", str(cfg), "--start", "2015-07-06",
              "--end", "2015-07-20", "--by", "agency", "--csv")  # fmt: skip
    assert got.returncode == 0, got.stderr
    rows = list(csv.DictReader(io.StringIO(got.stdout)))
    # 2 weeks × 3 agencies (dpu, dlh with complaints; disdukcapil with services)
    assert [(r["week"], r["agency_id"]) for r in rows] == [
        (w, a) for w in ("2015-W28", "2015-W29") for a in ("disdukcapil", "dlh", "dpu")]  # fmt: skip
    w29_dpu = next(r for r in rows if r["week"] == "2015-W29" and r["agency_id"] == "dpu")
    assert (w29_dpu["received"], w29_dpu["closed"], w29_dpu["backlog"]) == ("7", "3", "5")


def test_tz_and_country_overrides_change_the_deadlines(db_and_cfg):
    db, cfg = db_and_cfg
    base = json.loads(
        run("summary", "--db", str(db), "--config", str(cfg), "--week", "2015-W29").stdout
    )
    us = run(
        "summary", "--db", str(db), "--config", str(cfg), "--week", "2015-W29", "--country", "US"
    )
    us = json.loads(us.stdout)
    # with US holidays 16–17 and 20–21 July are working days, so more deadlines fall in the
    # week: C1 (14th, met), C2 (15th), C3 (17th, open), C5 (17th, open), C7 (source, 17th),
    # C8 (13th), C10 (16th, resolved 17th) → 1 of 7
    assert base["resolution_sla_compliance"] == 0.25
    assert us["resolution_sla_compliance"] == pytest.approx(1 / 7)


@pytest.mark.parametrize(
    "args, message",
    [
        (["summary", "--db", "/nonexistent/x.duckdb", "--week", "2015-W10"], "database not found"),
        (["summary", "--week", "2015-W60"], "no such ISO week"),
        (["summary", "--week", "2015-10"], "not an ISO week"),
        (["summary", "--start", "2015-03-09", "--end", "2015-03-02"], "not after its start"),
        (["summary", "--start", "2015-03-09"], "give --week"),
        (["summary", "--week", "2015-W10", "--tz", "Mars/Base"], "city.timezone"),
    ],
)
def test_errors_are_one_clear_line(db_and_cfg, args, message):
    db, _ = db_and_cfg
    if "--db" not in args:
        args = [*args, "--db", str(db)]
    got = run(*args)
    assert got.returncode == 2
    assert message in got.stderr
    assert "Traceback" not in got.stderr


def test_every_command_is_documented():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"python -m kpi {name}" in text
        for action in sub._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help", "--db", "--week"):
                    assert opt in text, (name, opt)
