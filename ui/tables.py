"""Tables as plain HTML (``st.html``): every row on the page, text that wraps, colour with a word.

Why not ``st.dataframe`` for these: its grid is a canvas in a scroll box, so a league of 35
agencies shows ten rows, cuts a column ("Sesuai targe") and prints only what is on screen. An HTML
table shows every row without a box, wraps long names, hides the least needed columns on a phone
(class ``kj-opt``), prints whole (``ui.layout.STYLE``) and can be checked by a browser test (a
header's scroll width against its client width). Every value is HTML-escaped: data text is shown,
never interpreted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from ui.charts import STATUS_SYMBOL
from ui.i18n import fmt_num, reason_text, t, tn


@dataclass(frozen=True)
class Column:
    """One column: its key in the rows, header text, numeric (right-aligned), optional on a
    phone (hidden below 640 px)."""

    key: str
    header: str
    num: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Cell:
    """A cell with more than text: a link, a CSS class for the text, a title (tooltip)."""

    text: str
    href: str | None = None
    css: str | None = None
    title: str | None = None


def _esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _cell(value: object) -> str:
    if not isinstance(value, Cell):
        return _esc(value)
    body = _esc(value.text)
    if value.css:
        body = f'<span class="{_esc(value.css)}">{body}</span>'
    if value.href:
        body = f'<a href="{_esc(value.href)}" target="_self">{body}</a>'
    if value.title:
        body = f'<span title="{_esc(value.title)}">{body}</span>'
    return body


def render(
    columns: Sequence[Column],
    rows: Sequence[dict],
    row_classes: Sequence[str | None] | None = None,
    table_id: str | None = None,
    caption: str | None = None,
) -> str:
    """The HTML of a table: ``rows`` are dicts of column key → text or ``Cell``."""

    def cls(col: Column) -> str:
        names = [n for n, on in (("num", col.num), ("kj-opt", col.optional)) if on]
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f'<th{cls(c)} scope="col">{_esc(c.header)}</th>' for c in columns)
    body = []
    for i, row in enumerate(rows):
        rc = row_classes[i] if row_classes else None
        tr = f'<tr class="{_esc(rc)}">' if rc else "<tr>"
        body.append(tr + "".join(f"<td{cls(c)}>{_cell(row.get(c.key))}</td>" for c in columns))
    ident = f' id="{_esc(table_id)}"' if table_id else ""
    cap = f'<caption class="kj-note">{_esc(caption)}</caption>' if caption else ""
    return (
        f'<div class="kj-table-wrap"><table class="kj-table"{ident}>{cap}<thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def show(html_text: str) -> None:
    """Put a rendered table on the page."""
    import streamlit as st

    st.html(html_text)


def status_cell(status: str | None, lang: str | None = None) -> Cell:
    """A traffic light: symbol, word and colour (``✔ Sesuai target`` on green)."""
    key = status if status in STATUS_SYMBOL else "none"
    symbol = STATUS_SYMBOL.get(status, "–")
    return Cell(f"{symbol} {t('status.' + key, lang)}", css=f"kj-status kj-status-{key}")


def rank_change_cell(change, reason: str | None, lang: str | None = None) -> Cell:
    """``▲ 2`` (moved up two places), ``▼ 1``, ``=``, or "–" with its reason as a tooltip and a
    word ("baru" for an agency new in the ranking)."""
    if change is None or pd.isna(change):
        if reason == "not_ranked_before":
            return Cell(t("league.new", lang), title=reason_text(reason, lang))
        return Cell("–", title=reason_text(reason, lang) or None)
    up = int(change)
    if up == 0:
        return Cell("=", title=t("league.same", lang))
    arrow, css = ("▲", "kj-up") if up > 0 else ("▼", "kj-down")
    return Cell(f"{arrow} {abs(up)}", css=css)


def page_link(page: str, lang: str, week: str | None = None, **params: str) -> str:
    """A relative link to another page keeping the reader's language, chosen week (a week
    that follows the data stays out of the link) and, where the database has several regions,
    the region: an agency's own (its id carries it), else the one the reader chose."""
    query = dict(params)
    agency, region = params.get("agency"), _chosen_region()  # None: a single-region database
    if region and agency and ":" in agency:
        region = agency.split(":", 1)[0]
    if region and "region" not in query:
        query["region"] = region
    if lang != "id":
        query["lang"] = lang
    if week:
        query["week"] = week
    return f"{page}?{urlencode(query, safe=':')}" if query else page  # ids: "33.74:dinas-pu"


def _chosen_region() -> str | None:
    from ui import data

    try:
        return data.current_region()
    except Exception:  # outside a Streamlit session (a unit test of the HTML)
        return None


def _ranking_columns(name: Column, lang: str, window: str) -> list[Column]:
    """The columns every league starts with: rank, the ranked one's name, status, the rolling
    score, the week's score and the change in rank."""
    return [
        Column("rank", t("col.rank", lang), num=True),
        name,
        Column("status", t("col.status", lang)),
        Column("score", t("league.col.score", lang, window=window), num=True),
        Column("week_score", t("league.col.week_score", lang), num=True, optional=True),
        Column("change", t("col.rank_change", lang), num=True),
    ]


def _ranking_cells(r, lang: str, min_obligations: int, window: str) -> dict:
    """The cells of those columns (but the name) for one row of a league; an unranked row's
    rank is a dash whose tooltip says why."""
    return {
        "rank": fmt_num(r.rank, 0, lang)
        if bool(r.is_ranked)
        else Cell(
            "–", title=reason_text(r.not_ranked_reason, lang, n=min_obligations, weeks=window)
        ),
        "status": status_cell(r.status, lang),
        "score": fmt_num(r.score, 2, lang),
        "week_score": fmt_num(r.week_score, 2, lang),
        "change": rank_change_cell(r.rank_change, r.rank_change_reason, lang),
    }


def region_league(rl, lang: str, min_obligations: int, week_param: str | None = None) -> str:
    """The region league (``kpi.region_league.RegionLeague``) as an HTML table: every kab/kota
    and the provincial OPD, ranked ones first; each name opens that region's overview."""
    window = tn("weeks.n", rl.n_weeks, lang)
    columns = _ranking_columns(Column("region", t("col.region", lang)), lang, window) + [
        Column("received", t("col.received_week", lang), num=True, optional=True),
        Column("per_10k", t("col.per_10k", lang), num=True),
        Column("backlog", t("col.backlog_end", lang), num=True, optional=True),
        Column("overdue", t("col.overdue_end", lang), num=True, optional=True),
    ]
    rows, classes = [], []
    for r in rl.regions.itertuples(index=False):
        name = t("province.own_opd", lang) if r.region_code == rl.parent else str(r.region_name)
        rows.append(
            _ranking_cells(r, lang, min_obligations, window)
            | {
                "region": Cell(
                    name, href=page_link("ringkasan", lang, week_param, region=r.region_code)
                ),
                "received": fmt_num(r.received, 0, lang),
                "per_10k": fmt_num(r.per_10k, 2, lang),
                "backlog": fmt_num(r.backlog, 0, lang),
                "overdue": fmt_num(r.overdue_backlog, 0, lang),
            }
        )
        classes.append(None if bool(r.is_ranked) else "kj-unranked")
    return render(columns, rows, classes, table_id="kj-region-league")


def league(lg, lang: str, min_obligations: int, week_param: str | None = None) -> str:
    """The weekly league (``kpi.league.League``) as an HTML table: every agency, ranked ones
    first; each name opens that agency's scorecard."""
    window = tn("weeks.n", lg.n_weeks, lang)
    columns = _ranking_columns(Column("agency", t("col.agency", lang)), lang, window) + [
        Column("n", t("col.n_obligations", lang), num=True, optional=True),
    ]
    rows, classes = [], []
    for r in lg.agencies.itertuples(index=False):
        rows.append(
            _ranking_cells(r, lang, min_obligations, window)
            | {
                "agency": Cell(
                    str(r.agency_name),
                    href=page_link("rapor", lang, week_param, agency=str(r.agency_id)),
                ),
                "n": fmt_num(r.n_obligations, 0, lang),
            }
        )
        classes.append(None if bool(r.is_ranked) else "kj-unranked")
    return render(columns, rows, classes, table_id="kj-league")
