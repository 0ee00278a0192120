"""``python -m bench.brief``: how long a brief takes, and which renderer prints it faster.

On a demo database (default: build the two-year Semarang demo in bench/out/): the region brief
of a week with a warm renderer and an open warehouse (data + HTML + PDF, a different week each
run so no figure is reused), every agency's brief of the city (``--all-agencies``), and the same
region HTML printed by headless Chromium (``page.pdf()``, the renderer Kinerja uses) and, when
it is installed, by WeasyPrint. Medians; JSON to stdout and, with ``--write``, bench/brief.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from bench.measure import machine

HERE = Path(__file__).resolve().parent


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


def run(db: Path, runs: int, weeks: list[str]) -> dict:
    from kpi import Warehouse
    from kpi.brief import WeekContext, brief, brief_html
    from kpi.brief.cli import agencies_of
    from kpi.brief.render import renderer

    out: dict = {}
    t0 = time.perf_counter()
    wh = Warehouse.open(db)
    out["open_warehouse_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    renderer().pdf("<p>warm-up</p>")
    out["chromium_launch_s"] = round(time.perf_counter() - t0, 2)
    region = []
    for week in weeks[:runs]:  # a fresh week each run: nothing cached from the run before
        t0 = time.perf_counter()
        brief(wh, week)
        region.append(time.perf_counter() - t0)
    out["region_brief_warm_s"] = round(statistics.median(region), 3)
    ctx = WeekContext(wh, weeks[-1])
    html = brief_html(ctx)
    out["region_html_s"] = _median(lambda: brief_html(WeekContext(wh, weeks[-2])), 1)
    out["chromium_pdf_s"] = _median(lambda: renderer().pdf(html), runs)
    try:
        import weasyprint

        out["weasyprint_pdf_s"] = _median(lambda: weasyprint.HTML(string=html).write_pdf(), runs)
    except ImportError:
        out["weasyprint_pdf_s"] = None
    ids = agencies_of(wh, None)
    ctx = WeekContext(wh, weeks[0])
    t0 = time.perf_counter()
    for agency in ids:
        brief(wh, weeks[0], None, agency, ctx=ctx)
    out["all_agencies"] = {"n": len(ids), "seconds": round(time.perf_counter() - t0, 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.brief", description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="a demo database (default: bench/out/ demo)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="write bench/brief.json")
    args = ap.parse_args(argv)
    db = args.db
    if db is None:
        from etl.demo import build_demo

        db = HERE / "out" / "demo_semarang_104_7.duckdb"
        if not db.exists():
            build_demo(db=db, city="semarang", weeks=104, seed=7, end=dt.date(2026, 11, 22))
    weeks = [f"2026-W{n:02d}" for n in range(47, 47 - args.runs - 2, -1)]
    result = {"machine": machine(), "db": str(db), **run(db, args.runs, weeks)}
    text = json.dumps(result, indent=1, default=str)
    print(text)
    if args.write:
        (HERE / "brief.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
