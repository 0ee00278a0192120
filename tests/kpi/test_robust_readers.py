"""Readers survive a warehouse poisoned before the ETL bounded dates (issue 9 points 3, 9, 10):
a complaint dated year 1, 9999 or 2099 is left out of the metrics instead of breaking every
reader or moving the default week to 2099; ``kpi summary --json`` is pure JSON; an absurd
period is refused with exit 2, not a traceback."""

import json
import shutil
import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from etl.load import load_file
from kinerja.paths import ROOT
from kpi import Warehouse

FIXTURE = ROOT / "tests" / "etl" / "fixtures" / "generic_complaints.csv"
POISON = {
    "year 1": "0001-01-01 00:00:00",
    "year 9999": "9999-12-31 23:59:59",
    "year 2099": "2099-01-01 10:00:00",
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    db = tmp_path_factory.mktemp("clean") / "k.duckdb"
    load_file(FIXTURE, db=db, source="generic", exported_at="2025-03-10T00:00:00")
    return db


def poisoned(clean, tmp_path, when: str, column: str = "created_at"):
    """A copy of ``clean`` with one more complaint at ``when`` (as an old ETL stored it)."""
    db = tmp_path / "poisoned.duckdb"
    shutil.copyfile(clean, db)
    con = duckdb.connect(str(db))
    con.execute(
        f"""INSERT INTO complaints SELECT * REPLACE ('X1' AS complaint_id,
            CAST(? AS TIMESTAMP) AS {column}) FROM complaints WHERE complaint_id = 'WA-1'""",
        [when],
    )
    con.close()
    return db


def cli(module, *args):
    return subprocess.run([sys.executable, "-m", module, *map(str, args)],
                          capture_output=True, text=True)  # fmt: skip


@pytest.mark.parametrize("when", POISON.values(), ids=POISON.keys())
def test_a_poisoned_warehouse_still_reads(clean, tmp_path, when):
    reference = Warehouse.open(clean)
    want = reference.summary("2025-W10")
    info = reference.info()
    db = poisoned(clean, tmp_path, when)
    wh = Warehouse.open(db)
    assert wh.info()["last_complete_week"] == info["last_complete_week"] == "2025-W09"
    assert wh.info()["data_as_of"] == info["data_as_of"]
    assert wh.summary("2025-W10") == want
    assert list(wh.weeks()["week"]) == list(reference.weeks()["week"])
    assert len(wh.freshness()) == 1 and len(wh.load_history()) == 1
    status = cli("etl", "status", "--db", db, "--rows", "3")
    assert status.returncode == 0, status.stderr
    assert (
        "warning: 1 generic complaint(s) have times before 1990-01-01 or in the future"
        in status.stdout
    )
    summary = cli("kpi", "summary", "--db", db, "--week", "2025-W10", "--json")
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["received"] == want["received"]


@pytest.mark.parametrize("column", ["closed_at", "first_response_at", "resolution_due_at"])
def test_other_poisoned_times(clean, tmp_path, column):
    db = poisoned(clean, tmp_path, "9999-12-31 23:59:59", column)
    wh = Warehouse.open(db)
    assert wh.info()["last_complete_week"] == "2025-W09"
    assert wh.summary("2025-W10")["received"] >= 1


def test_every_reader_connection_has_no_progress_bar(clean):
    """DuckDB prints a progress bar to stdout for queries over 2 s: readers turn it off."""
    wh = Warehouse.open(clean)
    setting = "SELECT current_setting('enable_progress_bar')"
    assert wh.con.execute(setting).fetchall() == [(False,)]
    from etl import report

    con = report.reader(clean)
    assert con.execute(setting).fetchall() == [(False,)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--start", "0001-01-01", "--end", "2025-01-01"),
         "error: start: 0001-01-01 is outside the dates this tool reads (1900-01-01 .. 2199-12-31)"),
        (("--start", "2025-01-01", "--end", "9999-12-31"),
         "error: end: 9999-12-31 is outside the dates this tool reads (1900-01-01 .. 2199-12-31)"),
        (("--week", "0001-W01"),
         "error: 0001-W01 is outside the dates this tool reads (1900-01-01 .. 2199-12-31)"),
    ],
)  # fmt: skip
def test_absurd_periods_are_exit_2(clean, args, message):
    proc = cli("kpi", "summary", "--db", clean, *args, "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == message


def test_as_of_far_away_is_exit_2(clean):
    proc = cli("kpi", "summary", "--db", clean, "--week", "2025-W10", "--as-of", "0001-01-01")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error: as_of:")


def test_data_as_of_ignores_export_times(clean):
    assert Warehouse.open(clean).info()["data_as_of"] == datetime(2025, 3, 5, 9, 0)
