"""The brief as one self-contained HTML page (inline CSS and SVG; nothing to fetch).

``region_html`` and ``agency_html`` turn a ``WeekContext`` into display strings (numbers and
dates through ``kpi.fmt`` in the reader's language) and fill the Jinja2 templates beside this
file (autoescaped: names and titles from the data are text, never markup).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kpi import fmt
from kpi.alerts import FAMILIES
from kpi.alerts.text import agency_label, describe
from kpi.brief import svg
from kpi.brief.data import TILES, TREND_WEEKS, WeekContext
from kpi.brief.text import metric_label, t
from kpi.calendar import utc_to_local

HERE = Path(__file__).resolve().parent
ENV = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(),
                  trim_blocks=True, lstrip_blocks=True)  # fmt: skip
RISE_GOOD = {"received": None, "response_sla_compliance": True, "resolution_sla_compliance": True,
             "backlog": False, "overdue_backlog": False, "score": True, "clearance_rate": True}  # fmt: skip
PER_FAMILY = {"spike": 6, "deteriorating": 8, "coming_due": 0, "stale": 6}


def status_of(value) -> str:
    """green | amber | red, else none (no score: NaN, None)."""
    return value if value in ("green", "amber", "red") else "none"


def value_text(name: str, value, lang: str) -> str:
    """A metric value by its unit: shares ``87,3%``, counts whole, score and days 2/1 decimals."""
    unit = "score" if name == "score" else _unit(name)
    if unit == "share":
        return fmt.pct(value, 1, lang)
    return fmt.num(value, {"count": 0, "days": 1, "rating": 2, "score": 2}.get(unit, 2), lang)


def _unit(name: str) -> str:
    from kpi.definitions import METRICS

    return METRICS[name].unit


def change_text(name: str, now, before, lang: str) -> tuple[str, str]:
    """(text, css class) of the change on last week: shares in points, counts as numbers."""
    if fmt.missing(now) or fmt.missing(before):
        return t("wow_none", lang), "neutral"
    delta = float(now) - float(before)
    unit = "score" if name == "score" else _unit(name)
    if unit == "share":
        text = fmt.signed(delta, 1, lang, as_pct=True) + (" poin" if lang == "id" else " pts")
    else:
        text = fmt.signed(delta, 2 if unit == "score" else 0, lang)
    good = RISE_GOOD.get(name)
    css = "neutral" if good is None or abs(delta) < 1e-9 else (
        "good" if (delta > 0) == good else "bad")  # fmt: skip
    return t("wow", lang, v=text), css


def _targets(settings) -> dict:
    out = {m.name: m.target for m in settings.scored_metrics()}
    out["score"] = settings.green
    return out


def tiles(cur: dict, prev: dict, settings, lang: str) -> list[dict]:
    targets = _targets(settings)
    out = []
    for name in TILES:
        change, css = change_text(name, cur.get(name), prev.get(name), lang)
        target = targets.get(name)
        out.append({
            "label": metric_label(name, lang),
            "value": value_text(name, cur.get(name), lang),
            "change": change, "css": css,
            "target": t("target", lang, v=value_text(name, target, lang)) if target else "",
        })  # fmt: skip
    return out


def header(ctx: WeekContext, lang: str, title_key: str, subtitle: str) -> dict:
    ref, wh = ctx.ref, ctx.wh
    as_of = wh.facts.get("data_as_of")
    zone = ctx.settings.timezone
    from zoneinfo import ZoneInfo

    local = utc_to_local(pd.Timestamp(as_of).to_pydatetime(), ZoneInfo(zone)) if as_of else None
    n = int(ref.label.split("W")[1])
    end = ref.end - pd.Timedelta(days=1).to_pytimedelta()
    return {
        "lang": lang,
        "title": t(title_key, lang),
        "subtitle": subtitle,
        "week": t("week", lang, n=n, start=fmt.day_month(ref.monday, lang), end=fmt.date(end, lang)),
        "as_of": t("as_of", lang, ts=fmt.datetime_local(local, lang), tz=ctx.settings.tz_label)
        if local else "",
        "in_progress": t("in_progress", lang) if ref.cut < ref.end_utc else "",
        "demo": t("demo", lang) if wh.facts.get("meta", {}).get("is_demo") == "true" else "",
    }  # fmt: skip


def alert_groups(ctx: WeekContext, alerts: list, lang: str, per_family: dict) -> list[dict]:
    out = []
    for family in FAMILIES:
        items = [a for a in alerts if a.family == family]
        limit = per_family.get(family, 6)
        if not items:
            continue
        if family == "coming_due" and limit == 0:
            lines = [_due_line(ctx, items, lang)]
        else:
            lines = [describe(a, lang, ctx.agency_names, ctx.name) for a in items[:limit]]
            if len(items) > limit:
                lines.append(t("alerts.more", lang, n=len(items) - limit))
        out.append({"title": t(f"family.{family}", lang), "family": family, "lines": lines})
    return out


def _due_line(ctx: WeekContext, items: list, lang: str) -> str:
    total = sum(a.figures["count"] for a in items)
    top = ", ".join(f"{agency_label(a, ctx.agency_names, ctx.name)} ({fmt.num(a.figures['count'], 0, lang)})"
                    for a in items[:3])  # fmt: skip
    days = items[0].figures["working_days"]
    if lang == "id":
        return f"{fmt.num(total, 0, lang)} aduan jatuh tempo dalam {days} hari kerja; terbanyak: {top}."
    return f"{fmt.num(total, 0, lang)} complaints come due in the next {days} working days; most at {top}."


def words(ctx: WeekContext, lang: str) -> list[str]:
    """The week in words: sentences from the tiles, the movers, the league and the alerts."""
    cur, prev = ctx.summary, ctx.previous
    targets = _targets(ctx.wh.settings)
    change, _ = change_text("received", cur["received"], prev.get("received"), lang)
    out = [t("words.received", lang, region=ctx.name, received=fmt.num(cur["received"], 0, lang),
             change=change.split(" ")[0]) if prev else
           t("words.received_flat", lang, region=ctx.name, received=fmt.num(cur["received"], 0, lang))]  # fmt: skip
    out.append(t("words.sla", lang, resp=fmt.pct(cur["response_sla_compliance"], 1, lang),
                 res=fmt.pct(cur["resolution_sla_compliance"], 1, lang),
                 t_resp=fmt.pct(targets.get("response_sla_compliance"), 0, lang),
                 t_res=fmt.pct(targets.get("resolution_sla_compliance"), 0, lang)))  # fmt: skip
    out.append(t("words.backlog", lang, backlog=fmt.num(cur["backlog"], 0, lang),
                 overdue=fmt.num(cur["overdue_backlog"], 0, lang)))  # fmt: skip
    status = t(f"status.{status_of(cur['score_status'])}", lang).lower()
    out.append(t("words.score", lang, score=value_text("score", cur["score"], lang), status=status))
    rising = ctx.movers[ctx.movers["change"] > 0]
    if len(rising):
        r = rising.iloc[0]
        out.append(t("words.top_mover", lang, category=r["category"],
                     change=fmt.signed(r["change"], 0, lang)))  # fmt: skip
    ranked = ctx.league[ctx.league["is_ranked"]]
    if len(ranked) > 1:
        out.append(t("words.best_worst", lang, best=ranked["name"].iloc[0],
                     worst=ranked["name"].iloc[-1]))  # fmt: skip
    n = len([a for a in ctx.alerts if a.family != "coming_due"])
    if n:
        out.append(t("words.alerts_one", lang) if n == 1 else t("words.alerts", lang, n=n))
    return out


def league_rows(ctx: WeekContext, lang: str) -> list[dict]:
    rows = []
    for r in ctx.league.to_dict("records"):
        move = r["rank_change"]
        rows.append({
            "rank": fmt.num(r["rank"], 0, lang) if r["is_ranked"] else t("not_ranked", lang),
            "name": r["name"],
            "score": value_text("score", r["score"], lang),
            "week_score": value_text("score", r["week_score"], lang),
            "status": status_of(r["score_status"]),
            "status_text": t(f"status.{status_of(r['score_status'])}", lang),
            "move": "" if move is None or pd.isna(move) or move == 0 else (
                f"▲ {int(move)}" if move > 0 else f"▼ {-int(move)}"),
            "obligations": fmt.num(r["n_obligations"], 0, lang),
        })  # fmt: skip
    return rows


def region_html(ctx: WeekContext, lang: str = "id") -> str:
    """The region brief: header, tiles, the week in words, alerts, trends, league, movers."""
    by = "region_code" if ctx.children else "agency_id"
    trend = ctx.trend
    weeks = list(trend["week_start"])
    flow = svg.bars(weeks, {"received": list(trend["received"]), "closed": list(trend["closed"])},
                    {"received": metric_label("received", lang), "closed": metric_label("closed", lang)},
                    t("chart.flow", lang), lang)  # fmt: skip
    backlog = svg.lines(weeks, {"backlog": list(trend["backlog"]),
                                "overdue_backlog": list(trend["overdue_backlog"])},
                        {"backlog": metric_label("backlog", lang),
                         "overdue_backlog": metric_label("overdue_backlog", lang)},
                        t("chart.backlog", lang), lang)  # fmt: skip
    movers = [{"category": r["category"], "now": fmt.num(r["received"], 0, lang),
               "before": fmt.num(r["previous"], 0, lang), "change": fmt.signed(r["change"], 0, lang),
               "css": "up" if r["change"] > 0 else "down"}
              for r in ctx.movers.to_dict("records")]  # fmt: skip
    page = {
        **header(ctx, lang, "title.region", ctx.name),
        "tiles": tiles(ctx.summary, ctx.previous, ctx.wh.settings, lang),
        "words": words(ctx, lang),
        "alerts": alert_groups(ctx, ctx.alerts, lang, PER_FAMILY),
        "trend_title": t("section.trend", lang, n=TREND_WEEKS),
        "charts": [flow, backlog],
        "league_title": t(f"section.league.{by}", lang),
        "league_note": t("league.note", lang, w=ctx.window, m=ctx.wh.settings.min_obligations),
        "league": league_rows(ctx, lang),
        "cols": {
            k: t(f"col.{k}", lang)
            for k in (
                "rank",
                "status",
                "move",
                "obligations",
                "week_score",
                "category",
                "this_week",
                "last_week",
                "change",
            )
        },  # fmt: skip
        "col_name": t(f"col.{by}", lang),
        "col_score": t("col.score_window", lang, w=ctx.window),
        "movers_title": t("section.movers", lang),
        "movers": movers,
        "t": lambda key, **kw: t(key, lang, **kw),
    }
    return ENV.get_template("region.html").render(**page)
