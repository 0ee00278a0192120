"""``python -m kpi brief`` and ``notify`` on the command line: files written, clear errors."""

from __future__ import annotations

import pytest

from kpi.brief.cli import agencies_of, file_name
from kpi.cli import main as kpi_main
from tests.brief.conftest import WEEK


def test_region_and_every_agency(demo_db, wh, tmp_path, capsys):
    out = tmp_path / "briefs"
    assert kpi_main(["brief", "--db", str(demo_db), "--week", WEEK, "--out", str(out)]) == 0
    assert (out / "brief_2026-W46_33.74_id.pdf").read_bytes().startswith(b"%PDF")
    args = ["brief", "--db", str(demo_db), "--week", WEEK, "--out", str(out), "--all-agencies",
            "--format", "html", "--lang", "en"]  # fmt: skip
    assert kpi_main(args) == 0
    ids = agencies_of(wh, None)
    assert len(ids) > 30 and not any(a.endswith(":unassigned") for a in ids)
    written = sorted(p.name for p in out.glob("*.html"))
    assert written == sorted(file_name("2026-W46", a, "en", "html") for a in ids)
    printed = capsys.readouterr().out
    assert f"{len(ids)} briefs in" in printed
    # an id without its region (from before regions) names the one agency of that slug
    args = ["brief", "--db", str(demo_db), "--week", WEEK, "--out", str(out), "--agency",
            "dinas-lingkungan-hidup", "--format", "html"]  # fmt: skip
    assert kpi_main(args) == 0
    html = (out / "brief_2026-W46_33.74_dinas-lingkungan-hidup_id.html").read_text()
    assert "Rapor OPD · Dinas Lingkungan Hidup" in html


@pytest.mark.parametrize(
    "extra, message",
    [
        (["brief", "--agency", "nope", "--out", "x"], "unknown agency: 'nope'"),
        (["brief", "--region", "99.99", "--out", "x"], "unknown region: '99.99'"),
        (["brief", "--agency", "dinas-sosial", "--all-agencies", "--out", "x"], "either --agency"),
        (["notify"], "no recipients"),
        (["notify", "--agency", "dinas-sosial"], "notify takes no --agency"),
        (["notify", "--recipients", "/nonexistent/r.toml"], "recipients file not found"),
    ],
)
def test_errors_are_one_line(demo_db, tmp_path, capsys, extra, message):
    args = [extra[0], "--db", str(demo_db), "--week", WEEK, *extra[1:]]
    args = [str(tmp_path / "x") if a == "x" else a for a in args]
    assert kpi_main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_brief_needs_a_week(demo_db, capsys):
    assert kpi_main(["brief", "--db", str(demo_db), "--out", "/tmp/x"]) == 2
    assert "brief needs --week" in capsys.readouterr().err
