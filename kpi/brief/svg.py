"""Small vector charts for the brief, written as SVG text (no JavaScript, no fonts fetched).

Why by hand: a printed page needs two plain charts, and plotly's static export needs a browser
round trip per figure (seconds) and formats ticks in English. Here every tick and label goes
through ``kpi.fmt`` (``1.234``, ``16 Nov``) and the result prints as vectors.
"""

from __future__ import annotations

import math
from html import escape

from kpi import fmt

COLORS = {"received": "#0072B2", "closed": "#009E73", "backlog": "#0072B2",
          "overdue_backlog": "#D55E00", "grid": "#d9d9d9", "text": "#333333"}  # fmt: skip
W, H = 330, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 22, 30


def nice_ticks(top: float, n: int = 4) -> list[float]:
    """0 and round steps up to at least ``top`` (1, 2, 2.5 or 5 × a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / n
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    count = math.ceil(top / step)
    return [i * step for i in range(count + 1)]


def _frame(ticks: list[float], lang: str, title: str) -> list[str]:
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" '
           f'height="{H}" role="img" aria-label="{escape(title)}">',
           f'<text x="{LEFT}" y="12" font-size="10" font-weight="bold" '
           f'fill="{COLORS["text"]}">{escape(title)}</text>']  # fmt: skip
    top = ticks[-1] or 1
    for t in ticks:
        y = _y(t, top)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{COLORS["grid"]}" stroke-width="0.5"/>')  # fmt: skip
        decimals = 0 if float(t).is_integer() else 1
        out.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="8" text-anchor="end" '
                   f'fill="{COLORS["text"]}">{fmt.num(t, decimals, lang)}</text>')  # fmt: skip
    return out


def _y(value: float, top: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - value / top)


def _x_labels(labels: list[str], xs: list[float]) -> list[str]:
    step = max(1, math.ceil(len(labels) / 6))
    out = []
    for i, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if (len(labels) - 1 - i) % step == 0:  # evenly spaced, ending on the latest week
            out.append(f'<text x="{x:.1f}" y="{H - BOTTOM + 11}" font-size="8" '
                       f'text-anchor="middle" fill="{COLORS["text"]}">{escape(label)}</text>')  # fmt: skip
    return out


def _legend(items: list[tuple[str, str]]) -> list[str]:
    out, x = [], LEFT
    for color, text in items:
        out.append(f'<rect x="{x}" y="{H - 11}" width="8" height="8" fill="{color}"/>')
        out.append(f'<text x="{x + 11}" y="{H - 4}" font-size="8" fill="{COLORS["text"]}">'
                   f"{escape(text)}</text>")  # fmt: skip
        x += 16 + 5.2 * len(text)
    return out


def bars(weeks: list, series: dict[str, list], names: dict[str, str], title: str, lang: str):
    """Grouped bars per week (e.g. received and resolved); ``weeks`` are week-start dates."""
    values = [v for s in series.values() for v in s if v is not None]
    ticks = nice_ticks(max(values, default=0))
    out = _frame(ticks, lang, title)
    n, k = len(weeks), len(series)
    slot = (W - LEFT - RIGHT) / max(n, 1)
    width = slot * 0.8 / max(k, 1)
    xs = []
    for i in range(n):
        x0 = LEFT + slot * i + slot * 0.1
        xs.append(x0 + width * k / 2)
        for j, (key, vals) in enumerate(series.items()):
            v = vals[i] or 0
            y = _y(v, ticks[-1])
            out.append(f'<rect x="{x0 + j * width:.1f}" y="{y:.1f}" width="{width:.1f}" '
                       f'height="{_y(0, ticks[-1]) - y:.1f}" fill="{COLORS.get(key, "#999")}"/>')  # fmt: skip
    out += _x_labels([fmt.day_month(w, lang) for w in weeks], xs)
    out += _legend([(COLORS.get(key, "#999"), names[key]) for key in series])
    return "\n".join(out + ["</svg>"])


def lines(weeks: list, series: dict[str, list], names: dict[str, str], title: str, lang: str):
    """One line per series over the weeks (e.g. backlog and overdue backlog)."""
    values = [v for s in series.values() for v in s if v is not None]
    ticks = nice_ticks(max(values, default=0))
    out = _frame(ticks, lang, title)
    n = len(weeks)
    slot = (W - LEFT - RIGHT) / max(n, 1)
    xs = [LEFT + slot * (i + 0.5) for i in range(n)]
    for key, vals in series.items():
        pts = " ".join(
            f"{x:.1f},{_y(v or 0, ticks[-1]):.1f}" for x, v in zip(xs, vals, strict=True)
        )
        color = COLORS.get(key, "#999")
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.6"/>')
        for x, v in zip(xs, vals, strict=True):
            out.append(f'<circle cx="{x:.1f}" cy="{_y(v or 0, ticks[-1]):.1f}" r="1.6" '
                       f'fill="{color}"/>')  # fmt: skip
    out += _x_labels([fmt.day_month(w, lang) for w in weeks], xs)
    out += _legend([(COLORS.get(key, "#999"), names[key]) for key in series])
    return "\n".join(out + ["</svg>"])
