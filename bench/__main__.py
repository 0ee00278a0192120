"""``python -m bench --rows 1000000``: generate, load, compute, render; write the figures.

One run on one generated file: ETL against the DuckDB floor (and re-load, overlapping export),
the KPI weekly table against pandas (after checking both agree), then every page with AppTest.
Figures go to bench/results.json and bench/RESULTS.md; data to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench import etl_bench, kpi_bench, pages_bench, report
from bench.generate import Manifest, generate
from bench.measure import machine

HERE = Path(__file__).resolve().parent


def _manifest(rows: int, out: Path, seed: int, reuse: bool) -> Manifest:
    saved = out / f"complaints_{rows}.json"
    if reuse and saved.exists():
        m = Manifest(**json.loads(saved.read_text()))
        if m.seed == seed and Path(m.base_csv).exists() and Path(m.overlap_csv).exists():
            return m
    return generate(rows, out, seed)


def _section(name: str, fn, *args):
    """Run one part of the benchmark; a failure is recorded (and printed), not fatal."""
    try:
        figures, extra = fn(*args)
    except Exception as exc:  # record and go on: the other parts' figures are still useful
        print(f"{name} failed: {exc}", file=sys.stderr, flush=True)
        return {"error": str(exc)[-2000:]}, None
    print(name, json.dumps(figures, default=str), flush=True)
    m = machine()  # each part names its own commit and time: --skip keeps older parts
    figures["measured"] = {k: m[k] for k in ("commit", "date", "load_average")}
    return figures, extra


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="complaints to generate")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (median reported)")
    ap.add_argument("--etl-runs", type=int, help="runs of the ETL steps (default: --runs)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="generated data and databases")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--reuse", action="store_true", help="reuse generated files of this size")
    ap.add_argument("--skip", nargs="*", default=[], choices=["etl", "kpi", "pages"])
    ap.add_argument("--no-write", action="store_true", help="print, do not write results files")
    args = ap.parse_args(argv)
    args.out = args.out.resolve()

    result: dict = {"rows": args.rows, "runs": args.runs, "machine": machine()}
    t0 = time.perf_counter()
    manifest = _manifest(args.rows, args.out, args.seed, args.reuse)
    result["generate_seconds"] = round(time.perf_counter() - t0, 1)
    print(f"generated {args.rows:,} rows in {result['generate_seconds']} s", flush=True)
    db = args.out / f"bench_{args.rows}.duckdb"
    if "etl" not in args.skip:
        result["etl"], db = _section(
            "etl", etl_bench.run, manifest, args.out, args.etl_runs or args.runs
        )
    if db is None or not db.exists():
        print("no benchmark database: KPI and pages skipped", file=sys.stderr)
        args.skip += ["kpi", "pages"]
    else:
        from etl.meta import set_meta

        set_meta(db, {"city": "semarang", "is_demo": "false"})
    if "kpi" not in args.skip:
        result["kpi"], _ = _section("kpi", lambda: (kpi_bench.run(db, args.out, args.runs), None))
    if "pages" not in args.skip:
        result["pages"], _ = _section("pages", lambda: (pages_bench.run(db, args.runs), None))
    result["total_seconds"] = round(time.perf_counter() - t0, 1)
    if args.no_write:
        print(report.render(result))
    else:
        report.write(result)
        print(report.render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
