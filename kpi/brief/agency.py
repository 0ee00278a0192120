"""The agency brief (kepala OPD): score and its parts, league place, own alerts, the
coming-due list and the complete overdue list (titles masked at ingestion), as HTML."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from kpi import fmt
from kpi.brief.data import WeekContext
from kpi.brief.html import ENV, alert_groups, header, tiles, value_text
from kpi.brief.text import masked, metric_label, t
from kpi.calendar import utc_to_local

TILE_ORDER = ["score", "received", "response_sla_compliance", "resolution_sla_compliance",
              "backlog", "overdue_backlog"]  # fmt: skip


def _place(ctx: WeekContext, data, lang: str) -> str:
    p = data.place
    if p and p.get("is_ranked"):
        return t("agency.place", lang, rank=fmt.num(p["rank"], 0, lang),
                 n=fmt.num(data.n_ranked, 0, lang), w=ctx.window,
                 score=value_text("score", p["score"], lang))  # fmt: skip
    return t("agency.unranked", lang, m=ctx.wh.settings.min_obligations, w=ctx.window)


def _parts(data, lang: str) -> list[dict]:
    rows = []
    for p in data.parts:
        rows.append({
            "metric": metric_label(p["metric"], lang),
            "value": value_text(p["metric"], p["value"], lang),
            "target": value_text(p["metric"], p["target"], lang),
            "attainment": fmt.num(p["attainment"], 2, lang),
            "weight": fmt.num(p["weight"], 1, lang),
            "share": fmt.num(p["share_of_score"], 2, lang),
        })  # fmt: skip
    return rows


def _local(ts, zone: ZoneInfo):
    return utc_to_local(pd.Timestamp(ts).to_pydatetime(), zone)


def _due_rows(df: pd.DataFrame, lang: str) -> list[dict]:
    return [{"id": r["complaint_id"], "due": fmt.date(r["due_at_local"], lang, False),
             "left": fmt.num(r["working_days_left"], 0, lang), "category": r["category"] or "–",
             "district": r["district"] or "–", "title": masked(r["title"], lang)}
            for r in df.to_dict("records")]  # fmt: skip


def _overdue_rows(df: pd.DataFrame, zone: ZoneInfo, lang: str) -> list[dict]:
    return [{"id": r["complaint_id"], "received": fmt.date(_local(r["created_at"], zone), lang, False),
             "due": fmt.date(_local(r["resolution_due_at"], zone), lang, False),
             "late": fmt.num(r["days_overdue"], 0, lang), "category": r["category"] or "–",
             "district": r["district"] or "–", "title": masked(r["title"], lang)}
            for r in df.to_dict("records")]  # fmt: skip


def agency_html(ctx: WeekContext, agency_id: str, lang: str = "id") -> str:
    """The brief of one agency for the week of ``ctx``."""
    data = ctx.agency(agency_id)
    zone = ZoneInfo(ctx.settings.timezone)
    cut_local = utc_to_local(ctx.ref.cut, zone)
    all_tiles = {
        tile["label"]: tile for tile in tiles(data.summary, data.previous, ctx.wh.settings, lang)
    }
    ordered = [all_tiles[metric_label(name, lang)] for name in TILE_ORDER]
    days = int(ctx.scope.alerts_conf(ctx.region, "coming_due")["working_days"])
    page = {
        **header(ctx, lang, "title.agency", data.name),
        "region": ctx.name,
        "place": _place(ctx, data, lang),
        "tiles": ordered,
        "parts": _parts(data, lang),
        "score_total": value_text("score", data.summary.get("score"), lang),
        "alerts": alert_groups(ctx, [a for a in data.alerts if a.family != "coming_due"], lang, {}),
        "due_title": t("section.due", lang, n=fmt.num(len(data.coming_due), 0, lang), d=days),
        "due_none": t("due.none", lang, d=days),
        "due": _due_rows(data.coming_due, lang),
        "overdue_title": t("section.overdue", lang, n=fmt.num(len(data.overdue), 0, lang)),
        "overdue_note": t("overdue.note", lang, ts=fmt.datetime_local(cut_local, lang)),
        "overdue": _overdue_rows(data.overdue, zone, lang),
        "t": lambda key, **kw: t(key, lang, **kw),
    }
    return ENV.get_template("agency.html").render(**page)
