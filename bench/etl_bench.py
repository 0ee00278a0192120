"""ETL figures: the floor, a first load, a re-load of the same file, an overlapping export.

Every step runs in its own child process (``python -m etl load ... --json``, or
``python -m bench.floor``), so its wall time includes interpreter start-up and its peak memory
is its own. Each run starts from an empty database; steps are interleaved (floor, load,
re-load, overlap) so that noise from other work on the machine spreads over all of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from bench.generate import Manifest
from bench.measure import ROOT, ChildRun, median, run_child

# The city the benchmark's data belongs to: set before the first load, so that the load builds
# the KPI tables with the settings the readers use (kpi/build.py).
META = {"city": "semarang", "is_demo": "false"}


class BenchError(RuntimeError):
    """A benchmark step failed or a load reported other counts than the generator announced."""


def _etl_args(csv: str, db: Path) -> list[str]:
    if (ROOT / "etl" / "__main__.py").exists():
        return ["-m", "etl", "load", csv, "--source", "generic", "--db", str(db), "--json"]
    return ["-m", "bench.etl_child", csv, str(db)]


def _summary(run: ChildRun, what: str) -> dict:
    if run.returncode != 0:
        raise BenchError(f"{what} failed (exit {run.returncode}): {run.stderr.strip()[-800:]}")
    text = run.stdout.strip()
    return json.loads(text[text.index("{") :])


def _expect(summary: dict, what: str, **counts: int) -> None:
    got = {k: summary.get(k) for k in counts}
    if got != counts:
        raise BenchError(f"{what}: expected {counts}, the ETL reported {got}")


def _kpi_build(db: Path) -> dict:
    """What the load's KPI build (kpi.build.refresh) did and cost, as it recorded it."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        info = dict(con.execute("SELECT key, value FROM kpi_build_info").fetchall())
    finally:
        con.close()
    return {"mode": info.get("mode"), **json.loads(info.get("cost") or "{}")}


def _remove(db: Path) -> None:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()


def run(manifest: Manifest, out: Path, runs: int) -> tuple[dict, Path]:
    """Measure ``runs`` times; check every load's counts; return figures and the loaded DB."""
    db = out / f"bench_{manifest.rows}.duckdb"
    floor_db = out / f"floor_{manifest.rows}.duckdb"
    steps: dict[str, list[ChildRun]] = {"floor": [], "load": [], "reload": [], "overlap": []}
    builds: dict[str, list[dict]] = {"load": [], "reload": [], "overlap": []}
    n = manifest.rows
    for _ in range(runs):
        _remove(floor_db)
        floor = run_child(["-m", "bench.floor", manifest.base_csv, str(floor_db)])
        if floor.returncode != 0 or floor.stdout.strip() != str(n):
            raise BenchError(f"floor failed: {floor.stderr.strip()[-800:]}")
        steps["floor"].append(floor)
        _remove(db)
        from etl.meta import set_meta

        set_meta(db, META)
        load = run_child(_etl_args(manifest.base_csv, db))
        _expect(_summary(load, "load"), "load", read=n, inserted=n, quarantined=0)
        steps["load"].append(load)
        builds["load"].append(_kpi_build(db))
        again = run_child(_etl_args(manifest.base_csv, db))
        _expect(_summary(again, "re-load"), "re-load", read=n, unchanged=n, inserted=0, updated=0)
        steps["reload"].append(again)
        builds["reload"].append(_kpi_build(db))
        over = run_child(_etl_args(manifest.overlap_csv, db))
        _expect(
            _summary(over, "overlap"),
            "overlapping export",
            read=manifest.overlap_rows,
            updated=manifest.overlap_updated,
            unchanged=manifest.overlap_unchanged,
            inserted=0,
            quarantined=0,
        )
        steps["overlap"].append(over)
        builds["overlap"].append(_kpi_build(db))
    _remove(floor_db)
    figures = {
        name: {
            "seconds": median([r.seconds for r in rs]),
            "cpu_seconds": median([r.cpu_seconds for r in rs]),
            "peak_mib": round(max(r.peak_mib for r in rs), 1),
            "runs_seconds": [round(r.seconds, 3) for r in rs],
        }
        for name, rs in steps.items()
    }
    for name, rs in builds.items():  # the KPI build inside each load (kpi/build.py)
        figures[name]["kpi_build"] = {
            "mode": rs[-1].get("mode"),
            "seconds": median([r.get("seconds", 0) for r in rs]),
            "cpu_seconds": median([r.get("cpu_seconds", 0) for r in rs]),
        }
    figures["csv_mib"] = round(Path(manifest.base_csv).stat().st_size / 1024**2, 1)
    figures["db_mib"] = round(db.stat().st_size / 1024**2, 1)
    figures["runs"] = runs
    figures["load_vs_floor"] = round(figures["load"]["seconds"] / figures["floor"]["seconds"], 2)
    figures["load_vs_floor_cpu"] = round(
        figures["load"]["cpu_seconds"] / figures["floor"]["cpu_seconds"], 2
    )
    return figures, db
