"""The figures of a brief, gathered from the KPI layer once per week and region.

``WeekContext`` holds what every brief of one week and region shares (the league's rolling
windows, the agencies' weekly figures, the alerts) so the briefs of all agencies of a city cost
one region's queries plus each agency's own. Every figure is a value a ``Warehouse`` method (or
``kpi.alerts``/``kpi.score``) returned; the only arithmetic is differences between two of them
(week-over-week change, rank change), as on the app's overview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from kpi.alerts import Scope, WeekRef, real_agencies, week_alerts
from kpi.alerts.agencies import agency_weeks, window_scores
from kpi.alerts.due import coming_due, open_at
from kpi.alerts.text import region_name
from kpi.score import rank, score_parts

TREND_WEEKS = 12
TILES = ["received", "response_sla_compliance", "resolution_sla_compliance", "backlog",
         "overdue_backlog", "score"]  # fmt: skip


class WeekContext:
    """One week of one region (None: the whole database), computed lazily and kept."""

    def __init__(self, wh, week: str, region: str | None = None):
        self.wh = wh
        self.scope = Scope(wh, region)
        self.region = region
        self.ref: WeekRef = self.scope.week(week)
        self.settings = self.scope.settings
        self.window = wh.settings.rank_window_weeks  # the league's rolling window

    @property
    def where(self) -> dict | None:
        return {"region": self.region} if self.region else None

    def prev(self, n: int = 1) -> WeekRef:
        return self.ref.shifted(-n, self.wh.facts.get("data_as_of"))

    @cached_property
    def agency_names(self) -> dict:
        df = self.wh.agencies()
        return dict(zip(df["agency_id"], df["name"], strict=True))

    @cached_property
    def name(self) -> str:
        return region_name(self.region, self.wh.settings.city_name) if self.region else (
            self.wh.settings.city_name)  # fmt: skip

    @cached_property
    def alerts(self) -> list:
        return week_alerts(self.wh, self.ref.label, self.region)

    @cached_property
    def summary(self) -> dict:
        return self.wh.summary(self.ref.label, None, self.where)

    @cached_property
    def trend(self) -> pd.DataFrame:
        """The last TREND_WEEKS weeks (the brief's charts; the previous week's tiles)."""
        start = self.prev(TREND_WEEKS - 1).label
        return self.wh.weekly(start, self.ref.label, None, self.where)

    @cached_property
    def previous(self) -> dict:
        rows = self.trend[self.trend["week"] == self.prev().label]
        return rows.iloc[0].to_dict() if len(rows) else {}

    @cached_property
    def covers_database(self) -> bool:
        """Whether every agency of the database is in this region (a city's own database)."""
        if not self.region:
            return True
        return all(a.split(":", 1)[0] == self.region or a.split(":", 1)[0].startswith(
            self.region + ".") for a in self.agency_names if ":" in a)  # fmt: skip

    @cached_property
    def children(self) -> list[str]:
        """The regions below this one that hold agencies (a province's kab/kota)."""
        if not self.region:
            return []
        codes = {a.split(":", 1)[0] for a in self.agency_names if ":" in a}
        return sorted(c for c in codes if c.startswith(self.region + "."))

    @cached_property
    def league(self) -> pd.DataFrame:
        """The league of the week: the kab/kota of a province, else the agencies."""
        return league(self)

    @cached_property
    def movers(self) -> pd.DataFrame:
        """Categories whose received count changed most on the week before (both directions)."""
        df = self.wh.weekly(self.prev().label, self.ref.label, "category", self.where)
        wide = df.pivot_table(index="category", columns="week", values="received",
                              aggfunc="sum", fill_value=0)  # fmt: skip
        wide = wide.reindex(columns=[self.prev().label, self.ref.label], fill_value=0)
        out = pd.DataFrame({"category": wide.index, "received": wide[self.ref.label].to_numpy(),
                            "previous": wide[self.prev().label].to_numpy()})  # fmt: skip
        out["change"] = out["received"] - out["previous"]
        out = out[out["change"] != 0].assign(_abs=out["change"].abs())
        out = out.sort_values(["_abs", "category"], ascending=[False, True]).head(6)
        return out.drop(columns="_abs").sort_values("change", ascending=False)

    def agency(self, agency_id: str) -> AgencyData:
        return agency_data(self, agency_id)


def league(ctx: WeekContext) -> pd.DataFrame:
    """Rank on the rolling window (ties share the best rank; fewer obligations than the
    settings' minimum: shown, not ranked), the window's score and status, the week's own score,
    and the rank change on the week before. For every agency of the database this is
    ``Warehouse.league`` itself (the app's league); for a region within a larger database (a
    kab/kota of a province) the same rule over that region's agencies; a province ranks its
    kab/kota."""
    by = "region_code" if ctx.children else "agency_id"
    if by == "agency_id" and ctx.covers_database:
        return _app_league(ctx)
    now = _window(ctx, ctx.ref, by)
    before = _window(ctx, ctx.prev(), by)[[by, "rank"]].rename(columns={"rank": "rank_before"})
    week = _week_scores(ctx, by)
    df = now.merge(week.rename(columns={"score": "week_score"}), on=by, how="left")
    df = df.merge(before, on=by, how="left")
    df["rank_change"] = [
        int(b) - int(r) if pd.notna(b) and pd.notna(r) else None
        for b, r in zip(df["rank_before"], df["rank"], strict=True)
    ]
    if by == "region_code":
        df["name"] = [region_name(c, c) for c in df["region_code"]]
    else:
        df["name"] = df["agency_id"].map(ctx.agency_names).fillna(df["agency_id"])
    df["id"] = df[by]
    df = df.sort_values(["is_ranked", "rank", "score", "name"],
                        ascending=[False, True, False, True], na_position="last")  # fmt: skip
    cols = ["id", "name", "rank", "is_ranked", "score", "score_status", "week_score",
            "rank_change", "n_obligations"]  # fmt: skip
    return df[cols].reset_index(drop=True)


def _app_league(ctx: WeekContext) -> pd.DataFrame:
    lg = ctx.wh.league(ctx.ref.label)
    df = lg.agencies.rename(columns={"agency_id": "id", "agency_name": "name",
                                     "status": "score_status"})  # fmt: skip
    df["rank"] = df["rank"].astype(object).where(df["rank"].notna(), None)
    df["rank_change"] = df["rank_change"].astype(object).where(df["rank_change"].notna(), None)
    cols = ["id", "name", "rank", "is_ranked", "score", "score_status", "week_score",
            "rank_change", "n_obligations"]  # fmt: skip
    return df[cols].reset_index(drop=True)


def _week_scores(ctx: WeekContext, by: str) -> pd.DataFrame:
    """The week's own score per agency (the alerts' weekly rows) or per region."""
    if by == "agency_id":
        k = int(ctx.scope.alerts_conf(ctx.region, "deteriorating")["rising_weeks"])
        df = agency_weeks(ctx.wh, ctx.ref, k, ctx.where)
        return df[df["week"] == ctx.ref.label][[by, "score"]]
    return ctx.wh.breakdown(ctx.ref.label, None, by, ctx.where)[[by, "score"]]


def _window(ctx: WeekContext, ref: WeekRef, by: str) -> pd.DataFrame:
    if by == "agency_id":
        df = window_scores(ctx.wh, ref, ctx.window, ctx.where)
    else:
        start = ref.shifted(-(ctx.window - 1)).label
        df = ctx.wh.breakdown(start, ref.label, by, ctx.where)
        df = df[df[by] != ctx.region][[by, "score", "score_status", "n_obligations"]]
    df = real_agencies(df, by)
    return rank(df, ctx.wh.settings)


@dataclass
class AgencyData:
    """One agency's brief: its week, score parts, league place, alerts and open complaints."""

    agency_id: str
    name: str
    summary: dict
    previous: dict
    parts: list[dict]
    place: dict
    alerts: list
    coming_due: pd.DataFrame
    overdue: pd.DataFrame
    n_ranked: int = 0
    extra: dict = field(default_factory=dict)


def agency_data(ctx: WeekContext, agency_id: str) -> AgencyData:
    """One agency's figures: its week (``Warehouse.summary``), the week before (the agencies'
    weekly rows the alerts read), its league place, alerts and open complaints."""
    wh = ctx.wh
    resolved = wh.resolve_agency(agency_id) or agency_id
    summary = wh.summary(ctx.ref.label, None, {"agency_id": resolved})
    k = int(ctx.scope.alerts_conf(ctx.region, "deteriorating")["rising_weeks"])
    weeks = agency_weeks(wh, ctx.ref, k, ctx.where)
    before = weeks[(weeks["agency_id"] == resolved) & (weeks["week"] == ctx.prev().label)]
    place_rows = ctx.league[ctx.league["id"] == resolved]
    open_ = open_at(wh, ctx.ref, ctx.region)
    open_ = open_[open_["agency_id"] == resolved]
    overdue = open_[open_["is_overdue"]].copy()
    overdue["days_overdue"] = (
        pd.Timestamp(ctx.ref.cut) - overdue["resolution_due_at"]
    ).dt.total_seconds() / 86400
    overdue = overdue.sort_values(["resolution_due_at", "complaint_id"]).reset_index(drop=True)
    return AgencyData(
        agency_id=resolved,
        name=ctx.agency_names.get(resolved, resolved),
        summary=summary,
        previous=before.iloc[0].to_dict() if len(before) else {},
        parts=score_parts(summary, wh.settings),
        place=place_rows.iloc[0].to_dict() if len(place_rows) else {},
        alerts=[a for a in ctx.alerts if a.agency_id == resolved],
        coming_due=coming_due(wh, ctx.ref.label, ctx.region, resolved),
        overdue=overdue,
        n_ranked=int(ctx.league["is_ranked"].sum()) if len(ctx.league) else 0,
    )
