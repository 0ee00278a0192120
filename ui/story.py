"""Week-over-week tiles and "the week in words", from two KPI summaries (no metric computed here).

Why a module: the overview's tiles and its generated paragraph are plain functions of the KPI
layer's dicts, testable without Streamlit, and phrased from the one catalogue in either language.
The only arithmetic is the difference between two values the KPI layer returned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ui.charts import status_text
from ui.i18n import fmt_num, fmt_pct, fmt_signed, metric_label, reason_text, t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def escape_md(text: object) -> str:
    """Data text (category, district names) made inert for Markdown rendering."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _value(d: Mapping | None, key: str):
    if not d:
        return None
    v = d.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def diff(cur: Mapping | None, prev: Mapping | None, key: str) -> float | None:
    """``cur[key] - prev[key]``, or None when either is missing."""
    a, b = _value(cur, key), _value(prev, key)
    return None if a is None or b is None else a - b


def rel_change(cur: Mapping | None, prev: Mapping | None, key: str) -> float | None:
    """Relative change of a count (0.08 = +8%); None when the previous value is 0 or missing."""
    a, b = _value(cur, key), _value(prev, key)
    return None if a is None or not b else (a - b) / b


@dataclass(frozen=True)
class Tile:
    """One headline figure: label, formatted value, formatted change, st.metric delta colour."""

    key: str
    label: str
    value: str
    delta: str | None
    delta_color: str
    help: str | None = None


# metric, kind (count | share | score), whether a rise is good
TILES = [
    ("received", "count", None),
    ("response_sla_compliance", "share", True),
    ("resolution_sla_compliance", "share", True),
    ("backlog", "count", False),
    ("overdue_backlog", "count", False),
    ("score", "score", True),
]


def tiles(cur: Mapping, prev: Mapping | None, lang: str, level: str | None = None) -> list[Tile]:
    """The six overview tiles with week-over-week change coloured by whether it is good.

    ``received`` has no good direction (grey); a rising backlog is bad (``inverse``). ``level``:
    the region's (province, kabupaten, kota), which names the score tile ("Skor provinsi").
    """
    out = []
    for key, kind, rise_good in TILES:
        value, change = _value(cur, key), diff(cur, prev, key)
        if kind == "share":
            shown = fmt_pct(value, 1, lang)
            delta = (
                None if change is None else t("unit.pp", lang, x=fmt_signed(change * 100, 1, lang))
            )
        elif kind == "score":
            shown = fmt_num(value, 2, lang)
            delta = None if change is None else fmt_signed(change, 2, lang)
        else:
            shown = fmt_num(value, 0, lang)
            delta = None if change is None else fmt_signed(change, 0, lang)
            pct = rel_change(cur, prev, key)
            if delta is not None and pct is not None:
                delta += f" ({fmt_signed(pct, 0, lang, pct=True)})"
        color = "off" if rise_good is None else ("normal" if rise_good else "inverse")
        score_key = f"tile.score.{level}" if level in ("province", "kabupaten") else None
        label = (
            t(score_key or "overview.tile.score", lang)
            if key == "score"
            else metric_label(key, lang)
        )
        reason = (cur.get("unavailable") or {}).get(key)
        help_text = (
            t("layout.unavailable", lang, reason=reason_text(reason, lang)) if reason else None
        )
        out.append(Tile(key, label, shown, delta, color, help_text))
    return out


def week_in_words(
    cur: Mapping,
    prev: Mapping | None,
    lang: str,
    top_mover: tuple[str, float] | None = None,
    best_worst: tuple[str, str] | None = None,
) -> str:
    """A short paragraph: "1.234 aduan masuk (+8% dibanding minggu lalu), ..." (Markdown-safe)."""
    pct = rel_change(cur, prev, "received")
    parts = [
        t(
            "overview.story.received" if pct is not None else "overview.story.received_first",
            lang,
            received=fmt_num(_value(cur, "received"), 0, lang),
            pct=fmt_signed(pct, 0, lang, pct=True),
            closed=fmt_num(_value(cur, "closed"), 0, lang),
        ),
        t(
            "overview.story.sla",
            lang,
            resp=fmt_pct(_value(cur, "response_sla_compliance"), 1, lang),
            resol=fmt_pct(_value(cur, "resolution_sla_compliance"), 1, lang),
        ),
    ]
    change = diff(cur, prev, "backlog")
    direction = "flat" if not change else ("up" if change > 0 else "down")
    parts.append(
        t(
            "overview.story.backlog",
            lang,
            direction=t(f"overview.story.{direction}", lang),
            backlog=fmt_num(_value(cur, "backlog"), 0, lang),
            overdue=fmt_num(_value(cur, "overdue_backlog"), 0, lang),
        )
    )
    if _value(cur, "score") is not None:
        status = status_text(cur.get("score_status"), lang)
        parts.append(
            t("overview.story.score", lang, score=fmt_num(cur["score"], 2, lang), status=status)
        )
    if top_mover and top_mover[1] and top_mover[1] > 0:
        name, rise = top_mover
        parts.append(
            t("overview.story.mover", lang, name=escape_md(name), change=fmt_signed(rise, 0, lang))
        )
    if best_worst:
        best, worst = best_worst
        parts.append(
            t("overview.story.best_worst", lang, best=escape_md(best), worst=escape_md(worst))
        )
    return " ".join(parts)
