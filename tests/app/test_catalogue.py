"""Every word a reader sees comes through the catalogue: each page, rendered in Indonesian and in
English on the demo, shows no raw id (a source, channel, quarantine reason, reason code or agency
slug) and no text of the other language's catalogue.

The text collected is what the page puts on screen: titles, headings, paragraphs, captions,
alerts, tiles (label, value, change, help), widget labels and options, table headers and cells
(data frames and HTML tables, tags stripped), and every text of every chart (titles, axes,
legends, category labels, bar labels, annotations), but not values a chart only carries for the
click filter (``customdata``).
"""

from __future__ import annotations

import json
import re
import string
from html import unescape

import pytest
from streamlit.testing.v1 import AppTest

from kinerja.paths import PAGES_DIR, ROOT
from kpi.definitions import METRICS
from kpi.reasons import REASONS
from tests.app.conftest import page
from ui.i18n import CATALOGUE, MASKS

PAGES = sorted(p.name for p in PAGES_DIR.glob("*.py"))
SOURCES = sorted(
    p.stem for p in (ROOT / "etl" / "sources").glob("*.toml") if p.stem != "agency_aliases"
)
QUARANTINE = ["missing_id", "missing_date", "unparseable_date", "missing_status", "unknown_status",
              "closed_before_created", "completed_before_submitted", "responded_before_created",
              "duplicate_id", "malformed_row", "unknown_region"]  # fmt: skip
CHANNELS = sorted(k.split(".", 1)[1] for k in CATALOGUE if k.startswith("channel."))
# ids that are also ordinary English words: a raw id only on Indonesian pages
ENGLISH_WORDS = {"app", "phone", "internal", "unknown", "generic", "web", "sms", "x", "email"}


def _texts_of_figure(spec: dict) -> list[str]:
    out = []
    layout = spec.get("layout", {})
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            out += [str(value.get("title", {}).get("text") or "")]
            out += [str(t) for t in value.get("ticktext") or []]
        if key == "title" and isinstance(value, dict):
            out.append(str(value.get("text") or ""))
        if key == "annotations":
            out += [str(a.get("text") or "") for a in value]
    for trace in spec.get("data", []):
        out.append(str(trace.get("name") or ""))
        for axis in ("x", "y", "text"):
            values = trace.get(axis)
            if isinstance(values, list):
                out += [v for v in values if isinstance(v, str)]
            elif isinstance(values, str):
                out.append(values)
        colorbar = (trace.get("marker") or {}).get("colorbar") or {}
        out.append(str((colorbar.get("title") or {}).get("text") or ""))
    return out


def page_text(at: AppTest) -> str:
    """Everything the run shows, as one text (HTML tags stripped, entities decoded)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                 "warning", "success", "error", "code"):  # fmt: skip
        parts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        parts += [m.label, str(m.value), str(m.proto.delta or ""), str(m.proto.help or "")]
    for w in [*at.selectbox, *at.radio]:
        parts += [w.label, *map(str, w.options), str(w.proto.help or "")]
    parts += [b.label for b in at.button] + [e.label for e in at.expander]
    parts += [str(b.proto.label) for b in at.get("download_button")]
    for df in at.dataframe:
        parts += [str(c) for c in df.value.columns]
        parts += [str(v) for v in df.value.astype(str).to_numpy().ravel()]
    for el in at.get("html"):
        body = re.sub(r"<style.*?</style>", " ", el.proto.body, flags=re.S)
        titles = re.findall(r'title="([^"]*)"', body)
        parts += [unescape(re.sub(r"<[^>]+>", " ", body))] + [unescape(t) for t in titles]
    for el in at.get("plotly_chart"):
        parts += _texts_of_figure(json.loads(el.proto.spec))
    return "\n".join(parts).replace("<br>", " ")


def raw_ids(warehouse, lang: str) -> set[str]:
    """Ids a reader must never see: sources, channels, quarantine reasons, reason codes and
    agency slugs."""
    ids = set(SOURCES) | set(CHANNELS) | set(QUARANTINE) | set(REASONS)
    agencies = warehouse.agencies()["agency_id"].tolist()  # "33.74:dinas-pekerjaan-umum"
    ids |= {a for a in agencies if "-" in a or a.endswith("unassigned")}
    ids |= {a.rsplit(":", 1)[-1] for a in agencies if "-" in a or a.endswith("unassigned")}
    if lang == "en":
        ids -= ENGLISH_WORDS
    # an id that is also a word of this language's own texts ("web" in "Situs web") is fine
    own = "\n".join(v[0 if lang == "id" else 1] for v in CATALOGUE.values())
    return {i for i in ids if not _has_token(own, i)}


def _has_token(text: str, token: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text) is not None


def _fragments(text: str) -> list[str]:
    """The literal parts of a catalogue text around its placeholders."""
    return [lit.strip() for lit, *_ in string.Formatter().parse(text) if lit and lit.strip()]


def other_language_texts(lang: str) -> set[str]:
    """Long literal fragments of the other language's catalogue and glossary that this
    language's texts do not share."""
    mine, other = (0, 1) if lang == "id" else (1, 0)
    pairs = list(CATALOGUE.values()) + [(d.label_id, d.label_en) for d in METRICS.values()]
    own = "\n".join(p[mine] for p in pairs)
    out = set()
    for pair in pairs:
        if pair[0] == pair[1]:
            continue
        for frag in _fragments(pair[other]):
            if len(frag) >= 12 and frag not in own:
                out.add(frag)
    return out


CASES = [(name, lang) for name in PAGES for lang in ("id", "en")]


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_every_word_comes_from_the_catalogue(demo_db, warehouse, name, lang):
    at = AppTest.from_file(page(name), default_timeout=180)
    at.query_params["lang"] = lang
    if name.startswith("4_"):  # every breakdown chart, channels included
        at.query_params["x_weeks"] = "12"
    at.run()
    assert not at.exception and not at.error
    text = page_text(at)
    assert len(text) > 200
    found = sorted(i for i in raw_ids(warehouse, lang) if _has_token(text, i))
    found += [m for m in MASKS if m in text]  # the ETL's mask placeholders, untranslated
    assert found == [], f"raw ids on {name} ({lang}): {found}"
    foreign = sorted(f for f in other_language_texts(lang) if f in text)
    assert foreign == [], f"{'English' if lang == 'id' else 'Indonesian'} text on {name}: {foreign}"


def test_the_checks_would_catch_a_raw_id_and_the_other_language(warehouse):
    """The two checks above fail on the defects they guard against."""
    assert "walk-in" in raw_ids(warehouse, "id") and "closed_before_created" in raw_ids(
        warehouse, "en"
    )
    assert "dinas-pekerjaan-umum" in raw_ids(warehouse, "id")
    assert "Weekly overview" in other_language_texts("id")
    assert "Ringkasan Mingguan" in other_language_texts("en")


def test_every_code_and_id_has_a_name_in_both_languages():
    for code in REASONS:
        assert f"reason.{code}" in CATALOGUE, code
    for reason in QUARANTINE:
        assert f"qreason.{reason}" in CATALOGUE, reason
    for source in SOURCES:
        assert f"source.{source}" in CATALOGUE, source
    # every channel a built-in mapping produces
    produced = set()
    for path in (ROOT / "etl" / "sources").glob("*.toml"):
        block = re.search(r"\[channel_values\](.*?)(?:\n\[|\Z)", path.read_text(), flags=re.S)
        if block:
            produced |= set(re.findall(r'=\s*"([a-z][a-z0-9_-]*)"', block.group(1)))
    assert produced and {c for c in produced if f"channel.{c}" not in CATALOGUE} == set()
