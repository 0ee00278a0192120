"""Regenerate the README screenshots on purpose: ``python -m tests.browser.screenshots [--db PATH]``.

The browser tests write their screenshots to build/screenshots/ (ignored), so running the tests
never changes a tracked file. This command builds the two-year demo city in a temporary folder
(or uses ``--db``), runs the screenshot-taking browser tests against it, and copies the pictures
into docs/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import ROOT, SCREENSHOTS

DOCS = ROOT / "docs" / "screenshots"
TESTS = [
    "tests/browser/test_users.py::test_no_header_or_tile_label_is_cut",
    "tests/browser/test_dashboard.py::test_language_toggle_switches_labels",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.browser.screenshots", description=__doc__)
    ap.add_argument("--db", help="a prepared database (default: build the two-year demo)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kinerja-screenshots-"))
    try:
        db = Path(args.db) if args.db else tmp / "demo.duckdb"
        if not args.db:
            from etl.demo import build_demo

            print("building the two-year demo city …", flush=True)
            build_demo(db=db, city="semarang", weeks=104, seed=7)
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        env = dict(os.environ, KINERJA_BROWSER_DB=str(db))
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS]
        done = subprocess.run(cmd, cwd=ROOT, env=env, check=False)
        if done.returncode != 0:
            print("the browser tests failed: docs/screenshots left as they were", file=sys.stderr)
            return done.returncode
        DOCS.mkdir(parents=True, exist_ok=True)
        copied = sorted(SCREENSHOTS.glob("*.png"))
        for png in copied:
            shutil.copy2(png, DOCS / png.name)
        print(f"copied {len(copied)} screenshots into {DOCS.relative_to(ROOT)}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
