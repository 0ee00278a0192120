"""The first run's progress (ui/building.py): every line the demo build reports is shown in the
reader's language, none as English or with a server path."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ui.building import step


def test_every_demo_build_line_has_a_translation():
    from etl.demo import build_demo

    tmp = Path(tempfile.mkdtemp(prefix="kinerja-building-"))
    try:
        lines: list[str] = []
        build_demo(db=tmp / "demo.duckdb", city="bontang", weeks=2, seed=1, progress=lines.append)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert len(lines) > 3
    shown = [step(line, "id") for line in lines]
    assert None not in shown, [line for line, s in zip(lines, shown, strict=True) if s is None]
    texts = [s[0] for s in shown]
    assert texts[0] == "Membuat data kota demo…" and texts[-1] == "Kota demo siap."
    assert all(str(tmp) not in text and ".csv" not in text for text in texts)
    done = [s[1] for s in shown]
    assert done == sorted(done) and done[-1] == 1.0
    assert step("Loading file 3/38: x.csv", "en") == ("Loading file 3 of 38…", 0.1 + 0.9 * 2 / 38)
    assert step("something new", "id") is None
