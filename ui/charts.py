"""Plotly figure builders with one colour-blind-safe palette (Okabe-Ito) and localised numbers.

Why: every chart on every page looks and reads the same way, numbers follow the chosen language
(``layout.separators``), and traffic lights never rely on colour alone (each status also has a
symbol and a word). Builders take ready data (from ``ui.data``) and labels; they compute no metric.
Every text a builder puts on a chart (categories, bar texts, legend names, titles, hover text)
passes through ``ui.escape.plain``: plotly renders tags such as ``<a href>`` in text otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.escape import Plain, plain
from ui.i18n import fmt_num, plotly_separators, t

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
SERIES = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple")]
NEUTRAL = "#8C8C8C"

# Traffic lights: colour + symbol + word (KPI.md: green ≥ 1.00, amber ≥ 0.85, red below).
STATUS_COLOR = {"green": OKABE_ITO["green"], "amber": OKABE_ITO["orange"], "red": "#D55E00"}
# Not ▲/▼: those mean "moved up/down" in the league's rank change.
STATUS_SYMBOL = {"green": "✔", "amber": "⚠", "red": "✖"}
# Sequential scale for counts (light to dark blue), readable in greyscale too.
SEQUENTIAL = ["#F7FBFF", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B"]


def status_text(status: str | None, lang: str | None = None) -> str:
    """A traffic light as text: ``✔ Sesuai target`` / ``⚠ Waspada`` / ``✖ Di bawah target``."""
    if status not in STATUS_SYMBOL:
        return "– " + t("status.none", lang)
    return f"{STATUS_SYMBOL[status]} {t('status.' + status, lang)}"


# The chart frame: no plotly toolbar (on a phone it covers the chart's title and a tap opens
# it), no zoom by scrolling or dragging (a finger scrolls the page, not the axes).
CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False}


def show(fig: go.Figure, key: str, where=None, **kwargs) -> object:
    """Draw ``fig`` full width with the app's chart frame (``CONFIG``); ``where`` is a column or
    container (default: the page). Extra arguments go to ``st.plotly_chart`` (selections)."""
    import streamlit as st

    target = where if where is not None else st
    return target.plotly_chart(fig, width="stretch", key=key, config=CONFIG, **kwargs)


def texts(values: Sequence) -> list:
    """Chart values with every text escaped for plotly (numbers and dates unchanged)."""
    return [plain(v) if isinstance(v, str) else v for v in values]


def style(
    fig: go.Figure, title: str | None = None, height: int = 340, hovermode: str = "x unified"
) -> go.Figure:
    """Apply the shared look: localised separators, palette, compact margins, legend under the
    title. ``hovermode`` "closest" for bars that can be clicked: "x unified" would make a click
    select the bar whose value is nearest the pointer, not the bar under it."""
    legend = (
        any(getattr(tr, "showlegend", None) is not False for tr in fig.data) and len(fig.data) > 1
    )
    fig.update_layout(
        title={"text": plain(title), "x": 0, "y": 0.98, "yanchor": "top", "font": {"size": 15}}
        if title
        else None,
        separators=plotly_separators(),
        colorway=SERIES,
        height=height,
        margin={"l": 10, "r": 10, "t": (40 if title else 8) + (28 if legend else 0), "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        hovermode=hovermode,
        dragmode=False,
        template="plotly_white",
    )
    return fig


def week_x(fig: go.Figure) -> go.Figure:
    """A time axis of weeks: labels level, about seven of them whatever the range (a phone
    cannot show 26 dates side by side; the hover names every week)."""
    fig.update_xaxes(tickangle=0, nticks=7, automargin=True)
    return fig


def count_axis(fig: go.Figure, axis: str, values: Sequence) -> go.Figure:
    """Whole counts on ``axis`` ("x" or "y") in the reader's digits (``2.000``, never ``2k``),
    and no fractional ticks (``0,5``) when the counts are small."""
    nums = [float(v) for v in values if v is not None and not pd.isna(v)]
    top = max([abs(v) for v in nums], default=0)
    spec = {"tickformat": ",d", "rangemode": "tozero"}
    if top <= 6:
        spec.update(dtick=1, tick0=0)
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**spec)
    return fig


def _is_counts(values: Sequence) -> bool:
    nums = [v for v in values if v is not None and not pd.isna(v)]
    return bool(nums) and all(float(v).is_integer() for v in nums)


def lines(
    df: pd.DataFrame,
    x: str,
    ys: Mapping[str, str],
    title: str | None = None,
    percent: bool = False,
    target: float | None = None,
) -> go.Figure:
    """One line per column of ``ys`` ({column: legend label}); optional dashed target line."""
    fig = go.Figure()
    for i, (col, label) in enumerate(ys.items()):
        fig.add_trace(
            go.Scatter(
                x=texts(df[x]),
                y=df[col],
                name=plain(label),
                mode="lines+markers",
                line={"color": SERIES[i % len(SERIES)], "width": 2},
                marker={"size": 5, "symbol": ["circle", "square", "diamond", "triangle-up"][i % 4]},
            )
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"dash": "dash", "color": OKABE_ITO["black"], "width": 1},
            annotation_text=t("chart.target"),
            annotation_position="top left",
        )
    if percent:
        fig.update_yaxes(tickformat=".0%")
    elif _is_counts([v for col in ys for v in df[col]]):
        count_axis(fig, "y", [v for col in ys for v in df[col]])
    fig.update_yaxes(rangemode="tozero")
    week_x(fig)
    return style(fig, title)


def flow_bars(
    df: pd.DataFrame, x: str, received: str, closed: str, title: str | None = None
) -> go.Figure:
    """Inflow vs resolved per week as grouped bars (received blue, resolved green)."""
    fig = go.Figure(
        [
            go.Bar(
                x=texts(df[x]), y=df[received], name=t("chart.received"), marker_color=SERIES[0]
            ),
            go.Bar(
                x=texts(df[x]),
                y=df[closed],
                name=t("chart.closed"),
                marker_color=OKABE_ITO["green"],
                marker_pattern_shape="/",
            ),
        ]
    )
    fig.update_layout(barmode="group", bargap=0.15)
    count_axis(fig, "y", [*df[received], *df[closed]])
    week_x(fig)
    return style(fig, title)


def backlog_area(
    df: pd.DataFrame, x: str, backlog: str, overdue: str, title: str | None = None
) -> go.Figure:
    """Backlog as a filled area with its overdue part as a darker line on top."""
    fig = go.Figure(
        [
            go.Scatter(
                x=texts(df[x]),
                y=df[backlog],
                name=t("chart.backlog"),
                fill="tozeroy",
                line={"color": OKABE_ITO["sky"]},
            ),
            go.Scatter(
                x=texts(df[x]),
                y=df[overdue],
                name=t("chart.overdue_backlog"),
                fill="tozeroy",
                fillcolor="rgba(213, 94, 0, 0.75)",
                line={"color": OKABE_ITO["vermillion"], "dash": "dot"},
            ),
        ]
    )
    count_axis(fig, "y", [*df[backlog], *df[overdue]])
    week_x(fig)
    return style(fig, title)


def bars(
    labels: Sequence,
    values: Sequence,
    title: str | None = None,
    horizontal: bool = False,
    colors: Sequence[str] | None = None,
    text: Sequence[str] | None = None,
) -> go.Figure:
    """Simple bars (vertical or horizontal), optionally coloured per bar and labelled."""
    labels = texts(labels)
    kw = (
        {"y": labels, "x": values, "orientation": "h"} if horizontal else {"x": labels, "y": values}
    )
    fig = go.Figure(
        go.Bar(
            **kw,
            marker_color=list(colors) if colors is not None else SERIES[0],
            text=texts(text) if text is not None else None,
            textposition="outside",  # beside the bar, level: never turned sideways in a thin bar
            textangle=0,
            cliponaxis=False,
        )
    )
    value_axis = "x" if horizontal else "y"
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    if _is_counts(values):
        count_axis(fig, value_axis, values)
    nums = [float(v) for v in values if v is not None and not pd.isna(v)]
    if nums and text is not None:  # room for the labels beside the longest bars
        lo, hi = min(0.0, min(nums)), max(0.0, max(nums))
        pad = (hi - lo) * 0.18 or 1.0
        rng = [lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0)]
        (fig.update_xaxes if horizontal else fig.update_yaxes)(range=rng)
    fig.update_layout(showlegend=False)
    height = max(300, 26 * len(labels) + 80) if horizontal else 340
    return style(fig, title, height=height, hovermode="closest")


def score_bars(
    names: Sequence[str], scores: Sequence, statuses: Sequence, title: str | None = None
) -> go.Figure:
    """Horizontal score bars coloured by status, each labelled with its symbol; target at 1.00."""
    colors = [STATUS_COLOR.get(s, NEUTRAL) for s in statuses]
    text = [
        f"{STATUS_SYMBOL.get(s, '–')} {_num(v)}" if pd.notna(v) else "–"
        for v, s in zip(scores, statuses, strict=True)
    ]
    fig = bars(names, scores, title, horizontal=True, colors=colors, text=text)
    fig.add_vline(x=1.0, line={"dash": "dash", "color": OKABE_ITO["black"], "width": 1})
    return fig


def _num(v: float) -> str:
    return fmt_num(v, 2)


def heatmap(
    matrix: pd.DataFrame, title: str | None = None, x_title: str = "", y_title: str = ""
) -> go.Figure:
    """A count heatmap (rows × columns of ``matrix``) on a light-to-dark blue scale."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[plain(c) for c in matrix.columns],
            y=[wrap_label(str(i)) for i in matrix.index],
            customdata=[[plain(i)] * len(matrix.columns) for i in matrix.index],
            hovertemplate="%{customdata}<br>%{x}: %{z:,}<extra></extra>",
            colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
            text=matrix.to_numpy(),
            texttemplate="%{text:,}",
            hoverongaps=False,
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed", title=y_title, tickfont={"size": 11})
    fig.update_xaxes(side="top", title=x_title, tickfont={"size": 11})
    return style(fig, title, height=max(320, 34 * len(matrix.index) + 100), hovermode="closest")


def wrap_label(text: str, width: int = 22, lines: int = 2) -> Plain:
    """A long name on at most ``lines`` lines of about ``width`` characters (plotly ``<br>``),
    so that axis labels leave room for the chart on a phone; the rest ends in "…". Each line is
    escaped (``plain``): the builders then take the label as it is."""
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return Plain("<br>".join(plain(line) for line in out))


def age_bars(ages: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The backlog ageing buckets (``kpi`` ``backlog_ages``: bucket, n) as labelled bars."""
    return bars(
        [t(f"bucket.{b}") for b in ages["bucket"]],
        ages["n"].tolist(),
        title,
        text=[fmt_num(n) for n in ages["n"]],
    )
