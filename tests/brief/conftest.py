"""One small demo database for the brief and delivery tests: Kota Semarang, 12 weeks to
Sunday 22 Nov 2026 (2026-W47), built through the real ETL; and the PDF tools of poppler."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kinerja.paths import ROOT

END = dt.date(2026, 11, 22)
WEEK = "2026-W46"  # the last complete week (W47's data stop on its Sunday evening)
RENDERED = ROOT / "build" / "brief"  # git-ignored: pages rendered for a look (README images)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from etl.demo import build_demo

    db = tmp_path_factory.mktemp("brief") / "demo.duckdb"
    build_demo(db=db, city="semarang", weeks=12, seed=7, end=END)
    return db


@pytest.fixture(scope="session")
def wh(demo_db):
    from kpi import Warehouse

    return Warehouse.open(demo_db)


def pdftotext(pdf: bytes, tmp_path: Path, layout: bool = True) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def poppler(tool: str, pdf: bytes, tmp_path: Path, *extra: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *extra, str(path)], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def render_png(pdf: bytes, name: str, tmp_path: Path) -> Path:
    """Page 1 as PNG into build/brief/ (git-ignored), for a look and for the README."""
    RENDERED.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(RENDERED / name)], check=True)  # fmt: skip
    return RENDERED / f"{name}.png"


def require_poppler() -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils is missing (bash .ci/run installs it)")
