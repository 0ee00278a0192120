"""Data and URL text is never Markdown or HTML (issue 10 point 4): the two escapers, ``t()``
and the chart builders. A real CommonMark parser checks that escaped text renders as itself."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from ui import charts
from ui.escape import WORD_JOINER, Markdown, Plain, md, plain
from ui.i18n import t

# The payloads, and every other Markdown/Streamlit construct.
PAYLOADS = [
    "[Session expired - log in again](http://attacker/)",
    "![b](http://127.0.0.1:8999/x.png)",
    'Dinas <a href="http://evil.example/a">hubungi</a>',
    "<img src=http://127.0.0.1:8999/y.png>",
    "lihat http://evil.example/a dan www.evil.example",
    "kirim ke admin@evil.example",
    "<http://evil.example>",
    ":material/home: :smile: :streamlit:",
    ":red[merah] :blue-background[biru]",
    "$x^2$ dan $$y$$",
    "# Judul",
    "- butir",
    "+ butir",
    "1. butir",
    "3) butir",
    "> kutipan",
    "**tebal** _miring_ ~~coret~~ `kode`",
    "| a | b |",
    "baris satu\n# baris dua\n\n- tiga",
    "&lt;b&gt; &amp; &#x5B;",
    "[x]: http://evil.example",
    "Dinas\\ PU",
    "***",
    "Banjir di RT 03/RW 05 (Rp 1.500.000)",
]
TAGS = ("<a", "<img", "<em", "<strong", "<code", "<h1", "<h2", "<ul", "<ol", "<table",
        "<del", "<s>", "<blockquote", "<hr", "<pre")  # fmt: skip


def render(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def shown(rendered: str) -> str:
    """The text a reader sees in the rendered HTML."""
    inner = re.sub(r"</?p>", "", rendered).strip()
    return html.unescape(inner).replace(WORD_JOINER, "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_renders_as_itself(payload):
    out = render(md(payload))
    assert [tag for tag in TAGS if tag in out] == []
    assert shown(out) == " ".join(payload.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_streamlit_text_rewrites_find_nothing(payload):
    """After parsing, Streamlit links bare URLs and e-mails and turns :name: into emoji/icons."""
    text = md(payload).replace("\\", "")
    assert re.search(r"https?://|www\.|\w@\w|:[\w/+-]+:|:\w+\[", text) is None


def test_numbers_and_dates_are_left_alone():
    for value in ("-3", "+8%", "1.234", "87,3%", "2026-W47", "24 Nov 2026 09:30", "–"):
        assert md(value) == value


def test_escapers_do_not_escape_twice():
    once = md("a_b")
    assert isinstance(once, Markdown) and md(once) == once == "a\\_b"
    tagged = plain("<b>x</b>")
    assert isinstance(tagged, Plain) and plain(tagged) == tagged == "&lt;b&gt;x&lt;/b&gt;"


def test_t_escapes_every_value_it_fills_in():
    text = t("layout.query_failed", "en", reason="[Sesi habis](http://attacker/)")
    assert isinstance(text, Markdown)
    assert "](" not in text.replace("\\]", "") and "<a" not in render(text)
    inner = t("layout.query_failed", "en", reason="a_b")
    assert t("layout.query_failed", "en", reason=inner).count("\\_") == 1


def test_chart_builders_show_tags_as_text():
    evil = 'Dinas <a href="http://evil.example/a">hubungi</a>'
    fig = charts.bars([evil, plain("<b>sudah</b>")], [1, 2], title="<i>judul</i>",
                      text=["<b>1</b>", "2"])  # fmt: skip
    bar = fig.data[0]
    assert list(bar.x) == ["Dinas &lt;a href=\"http://evil.example/a\"&gt;hubungi&lt;/a&gt;",
                           "&lt;b&gt;sudah&lt;/b&gt;"]  # fmt: skip
    assert list(bar.text) == ["&lt;b&gt;1&lt;/b&gt;", "2"]
    assert fig.layout.title.text == "&lt;i&gt;judul&lt;/i&gt;"
    heat = charts.heatmap(pd.DataFrame({"<b>b</b>": [1]}, index=[evil]))
    assert list(heat.data[0].y) == [charts.wrap_label(evil)]
    assert "<a" not in heat.data[0].y[0] and "&lt;a" in heat.data[0].y[0]
    assert list(heat.data[0].x) == ["&lt;b&gt;b&lt;/b&gt;"]
    assert heat.data[0].customdata[0][0] == plain(evil)  # shown by the hover template
