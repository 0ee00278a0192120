"""Page figures: each ``app_pages/*.py`` run with Streamlit's ``AppTest`` on the benchmark database.

Three timings per page (median of ``runs``):

- ``cold``: every cache empty (``ui.data.clear_cache()``): the first visit after a load, which
  opens the Warehouse (preparing its in-memory tables) and runs every query;
- ``first_view``: the Warehouse already open (another page opened it) but no cached result:
  the first visit of this page;
- ``warm``: the same page again, every result cached.

Runs in a child process (``python -m bench.pages_bench RUNS``) with ``KINERJA_DB`` set, so
the app reads exactly the benchmark database.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench.measure import ROOT, run_child

TIMEOUT_S = 300


def _timed_run(at) -> float:
    start = time.perf_counter()
    at.run(timeout=TIMEOUT_S)
    return time.perf_counter() - start


def _errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]


def measure_pages(runs: int, pattern: str = "*.py") -> dict:
    """Time every page file matching ``pattern``; report errors the page showed, if any."""
    from streamlit.testing.v1 import AppTest

    from ui import data

    pages = sorted((ROOT / "app_pages").glob(pattern))
    if pages:  # import streamlit, plotly, kpi once: a server does that at start, not per visit
        AppTest.from_file(str(pages[0]), default_timeout=TIMEOUT_S).run(timeout=TIMEOUT_S)
    out = {}
    for page in pages:
        cold, first, warm, errors = [], [], [], []
        for _ in range(runs):
            data.clear_cache()
            at = AppTest.from_file(str(page), default_timeout=TIMEOUT_S)
            cold.append(_timed_run(at))
            errors = _errors(at)
            warm.append(_timed_run(at))
            data.clear_results()
            first.append(_timed_run(at))
        out[page.name] = {
            "cold": round(statistics.median(cold), 3),
            "first_view": round(statistics.median(first), 3),
            "warm": round(statistics.median(warm), 3),
            "errors": errors,
        }
    return out


def run(db: Path, runs: int, pattern: str = "*.py") -> dict:
    """The page timings, measured in a child process that reads ``db``."""
    env = dict(os.environ, KINERJA_DB=str(db))
    child = run_child(["-m", "bench.pages_bench", str(runs), pattern], env=env)
    if child.returncode != 0:
        raise RuntimeError(f"pages child failed: {child.stderr.strip()[-1500:]}")
    pages = json.loads(child.stdout.strip().splitlines()[-1])
    return {"pages": pages, "peak_mib": round(child.peak_mib, 1)}


if __name__ == "__main__":
    print(json.dumps(measure_pages(int(sys.argv[1]), *sys.argv[2:3])))
