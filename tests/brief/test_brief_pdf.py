"""The brief as a PDF: the figures of ``python -m kpi summary`` in Indonesian and English
formats, A4, one or two pages for a region, fonts embedded, charts as vectors, nothing fetched.
"""

from __future__ import annotations

import json
import re

import pytest

from kpi.brief import WeekContext, brief
from kpi.cli import main as kpi_main
from tests.brief.conftest import WEEK, pdftotext, poppler, render_png, require_poppler

DPU = "33.74:dinas-perumahan-dan-kawasan-permukiman"  # the demo's slow agency


def id_num(x: float, decimals: int = 0) -> str:
    """Indonesian digits, written independently of the code under test: 1.234,5."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def en_num(x: float, decimals: int = 0) -> str:
    return f"{x:,.{decimals}f}"


def summary_cli(capsys, db, *extra: str) -> dict:
    assert kpi_main(["summary", "--db", str(db), "--week", WEEK, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def ctx(wh):
    return WeekContext(wh, WEEK)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_region_brief_carries_the_summary(ctx, wh, demo_db, capsys, tmp_path, lang):
    require_poppler()
    s = summary_cli(capsys, demo_db)
    pdf = brief(wh, WEEK, lang=lang, ctx=ctx)
    text = flat(pdftotext(pdf, tmp_path))
    num = id_num if lang == "id" else en_num

    def pct(x):
        return num(x * 100, 1) + "%"

    if lang == "id":
        assert "Ringkasan Mingguan · Kota Semarang" in text
        assert "Minggu 46 · 9 Nov – 15 November 2026" in text
        assert f"Kota Semarang menerima {num(s['received'])} aduan pada minggu ini" in text
        assert (f"{pct(s['response_sla_compliance'])} ditanggapi tepat waktu dan "
                f"{pct(s['resolution_sla_compliance'])} diselesaikan tepat waktu") in text  # fmt: skip
        assert (f"Tunggakan pada akhir minggu {num(s['backlog'])} aduan, "
                f"{num(s['overdue_backlog'])} di antaranya lewat tenggat.") in text  # fmt: skip
        assert f"Skor keseluruhan {num(s['score'], 2)}" in text
        assert "DATA DEMO" in text and "Perlu perhatian" in text and "Peringkat OPD" in text
    else:
        assert "Weekly brief · Kota Semarang" in text
        assert "Week 46 · 9 Nov – 15 November 2026" in text
        assert f"Kota Semarang received {num(s['received'])} complaints this week" in text
        assert (f"{pct(s['response_sla_compliance'])} were answered and "
                f"{pct(s['resolution_sla_compliance'])} resolved on time") in text  # fmt: skip
        assert (f"The backlog at the end of the week was {num(s['backlog'])}, of which "
                f"{num(s['overdue_backlog'])} overdue.") in text  # fmt: skip
        assert f"The overall score is {num(s['score'], 2)}" in text
        assert "DEMO DATA" in text and "Needs attention" in text and "Agency league" in text
    for key in ("received", "backlog", "overdue_backlog"):  # the tiles
        assert num(s[key]) in text
    # every agency of the league is listed, by name
    for name in ctx.league["name"]:
        assert flat(name) in text
    render_png(pdf, f"region_{lang}", tmp_path)


def test_region_brief_is_a4_two_pages_vector_with_embedded_fonts(ctx, wh, tmp_path):
    require_poppler()
    pdf = brief(wh, WEEK, ctx=ctx)
    info = poppler("pdfinfo", pdf, tmp_path)
    assert re.search(r"Pages:\s+[12]\n", info), info
    assert "(A4)" in info and "594.96 x 841.92 pts" in info
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    # columns: name type encoding emb sub uni object ID
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    assert any("LiberationSans" in f for f in fonts)
    images = poppler("pdfimages", pdf, tmp_path, "-list").splitlines()[2:]
    assert images == []  # the charts are vector paths, not pictures


def test_agency_brief_score_lists_and_masked_titles(ctx, wh, demo_db, capsys, tmp_path):
    require_poppler()
    s = summary_cli(capsys, demo_db, "--agency", DPU)
    pdf = brief(wh, WEEK, agency=DPU, ctx=ctx)
    raw = pdftotext(pdf, tmp_path)
    text = flat(raw)
    assert "Rapor OPD · Dinas Perumahan dan Kawasan Permukiman" in text
    for key in ("received", "backlog", "overdue_backlog"):
        assert id_num(s[key]) in text
    assert f"Lewat tenggat: {id_num(s['overdue_backlog'])} aduan" in text
    assert id_num(s["score"], 2) in text
    # the complete overdue list: every complaint open past its deadline at the week's end
    open_ = wh.oldest_open(ctx.ref.cut, {"agency_id": DPU}, limit=10**9)
    overdue = open_[open_["is_overdue"]]
    assert len(overdue) == s["overdue_backlog"] > 0
    for cid in overdue["complaint_id"]:
        assert cid in raw
    # titles are stored masked: no phone number survives into the brief
    assert not re.search(r"(\+62|\b08)\d{8,}", raw)
    due = ctx.agency(DPU).coming_due
    assert f"Segera jatuh tempo: {id_num(len(due))} aduan dalam 5 hari kerja" in text
    render_png(pdf, "agency_id", tmp_path)


def test_nothing_is_fetched(wh, tmp_path):
    from kpi.brief.render import renderer

    r = renderer()
    before = r.requests_blocked
    pdf = r.pdf('<html><body><img src="https://example.com/x.png">'
                '<link rel="stylesheet" href="http://cdn.example/x.css">ok</body></html>')  # fmt: skip
    assert pdf.startswith(b"%PDF")
    assert r.requests_blocked >= before + 2  # both refused, the page still printed
    before = r.requests_blocked
    brief(wh, WEEK, fmt="pdf")
    assert r.requests_blocked == before  # the brief itself asks for nothing


def test_html_format_is_self_contained_and_escaped(wh, tmp_path):
    html = brief(wh, WEEK, fmt="html", lang="en").decode()
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
