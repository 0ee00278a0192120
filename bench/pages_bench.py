"""Page figures: each ``app_pages/*.py`` run with Streamlit's ``AppTest`` on the benchmark database.

Three timings per page (median of ``runs``):

- ``cold``: every cache empty (``ui.data.clear_cache()``): the first visit after a load, which
  opens the Warehouse (preparing its in-memory tables) and runs every query;
- ``first_view``: the Warehouse already open (another page opened it) but no cached result:
  the first visit of this page;
- ``warm``: the same page again, every result cached.

Runs in a child process (``python -m bench.pages_bench RUNS``) with ``KINERJA_DB`` set, so
the app reads exactly the benchmark database. The benchmark database holds (synthetic) real-shaped
data, not the demo, so each page runs signed in as an admin registered beside it (AppTest seeds
``st.user``; the lookup in ``app_user`` is part of every timing, as in production).
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
BENCH_USER = "bench@kinerja.invalid"
AUTH = {  # sign-in configured; no provider is contacted (AppTest seeds st.user)
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "kinerja-bench-cookie-secret-0123456789",
    "client_id": "kinerja-bench",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _signed_in(at):
    """``at`` signed in as the benchmark's admin."""
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": BENCH_USER, "email_verified": True}
    return at


def _timed_run(at) -> float:
    start = time.perf_counter()
    at.run(timeout=TIMEOUT_S)
    return time.perf_counter() - start


def _errors(at) -> list[str]:
    """Exceptions, errors, and refusals (a sign-in gate or a section refused: lock icon), which
    would make the timing that of an empty page."""
    refused = [f"refused: {w.value}"[:300] for w in [*at.warning, *at.info]
               if w.icon == ":material/lock:"]  # fmt: skip
    return (
        [str(e.value)[:300] for e in at.exception]
        + [str(e.value)[:300] for e in at.error]
        + refused
    )


def measure_pages(runs: int, pattern: str = "*.py") -> dict:
    """Time every page file matching ``pattern``; report errors the page showed, if any."""
    from streamlit.testing.v1 import AppTest

    from kinerja.accessdb import AccessStore
    from ui import data

    AccessStore().put_user(BENCH_USER, "admin", by="bench")  # beside $KINERJA_DB
    pages = sorted((ROOT / "app_pages").glob(pattern))
    if pages:  # import streamlit, plotly, kpi once: a server does that at start, not per visit
        _signed_in(AppTest.from_file(str(pages[0]), default_timeout=TIMEOUT_S)).run(
            timeout=TIMEOUT_S
        )
    out = {}
    for page in pages:
        cold, first, warm, errors = [], [], [], []
        for _ in range(runs):
            data.clear_cache()
            at = _signed_in(AppTest.from_file(str(page), default_timeout=TIMEOUT_S))
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
