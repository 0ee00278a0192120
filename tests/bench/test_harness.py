"""Smoke test of the benchmark harness at a tiny size (the benchmark itself is not a test).

One module-scoped run: generate 3,000 complaints, measure the ETL (one run), the KPI layer
against pandas, one page, and write the results files into tmp_path.
"""

import json

import pytest

from bench import etl_bench, kpi_bench, pages_bench, report
from bench.generate import generate
from bench.measure import machine
from etl.meta import set_meta


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    manifest = generate(3000, out, seed=11)
    r = {"rows": 3000, "runs": 1, "machine": machine()}
    r["etl"], db = etl_bench.run(manifest, out, runs=1)
    set_meta(db, {"city": "semarang"})
    r["kpi"] = kpi_bench.run(db, out, runs=1)
    r["pages"] = pages_bench.run(db, runs=1, pattern="1_*.py")
    return r, out


def test_etl_counts_were_checked_and_timed(result):
    r, _ = result
    for step in ("floor", "load", "reload", "overlap"):
        assert r["etl"][step]["seconds"] > 0 and r["etl"][step]["peak_mib"] > 10
    assert r["etl"]["load_vs_floor"] == round(
        r["etl"]["load"]["seconds"] / r["etl"]["floor"]["seconds"], 2
    )


def test_kpi_layer_and_pandas_agree(result):
    r, _ = result
    check = r["kpi"]["check"]
    assert check["identical"], check
    assert check["rows_matched"] == check["rows_compared"] > 0
    assert {"received", "backlog", "response_sla_compliance"} <= set(check["metrics"])


def test_page_timed_without_errors(result):
    r, _ = result
    ((name, page),) = r["pages"]["pages"].items()
    assert name.startswith("1_") and page["errors"] == []
    assert 0 < page["warm"] <= page["cold"]


def test_results_files(result, tmp_path):
    r, _ = result
    md, js = tmp_path / "RESULTS.md", tmp_path / "results.json"
    md.write_text(
        "# Results\n\nprose kept\n\n<!-- results:start -->\nold\n<!-- results:end -->\ntail\n"
    )
    report.write(r, js, md)
    text = md.read_text()
    assert (
        text.startswith("# Results\n\nprose kept")
        and text.endswith("tail\n")
        and "\nold\n" not in text
    )
    assert "### 3 k complaints (3,000 rows), median of 1 runs" in text
    assert "| ETL ≤ 2× DuckDB read_csv |" in text
    assert json.loads(js.read_text())["3000"]["etl"]["csv_mib"] == r["etl"]["csv_mib"]
