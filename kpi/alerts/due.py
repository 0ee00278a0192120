"""Coming due: open complaints whose resolution deadline falls in the next working days.

At the week's cut t (its end, or the data's as-of for a week still running), a complaint open at
t (``Warehouse.oldest_open``: valid, not yet closed, closing time exact or estimated) is coming
due when its resolution deadline (the source's own, else the SLA rule's) is at or after t and
no later than the end (23:59:59 local) of the ``working_days``-th working day counted from the
local date the week ends on (the Monday after it), on the region's working-day calendar. These
are the complaints an agency head can still resolve on time.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from kpi.alerts import Alert, Scope, WeekRef, cached, real_agencies, region_of
from kpi.calendar import holiday_dates, is_working_day, local_to_utc

COLUMNS = ["source", "complaint_id", "title", "agency_id", "category", "district",
           "created_at_local", "due_at_local", "working_days_left"]  # fmt: skip


_HORIZONS: dict[tuple, tuple] = {}


def horizon(settings, start: date, working_days: int) -> tuple[list[date], object]:
    """The first ``working_days`` working days from ``start`` (inclusive) and the naive-UTC end
    of the last one (kept per calendar: building a year's holidays costs more than the walk)."""
    key = (settings.country, settings.holiday_categories, settings.extra_non_working_days,
           settings.extra_working_days, settings.timezone, start, working_days)  # fmt: skip
    if key not in _HORIZONS:
        hol = holiday_dates(settings, range(start.year, start.year + 2))
        days, d = [], start
        while len(days) < working_days:
            if is_working_day(d, settings, hol):
                days.append(d)
            d += timedelta(days=1)
        end = local_to_utc(days[-1], time(23, 59, 59), ZoneInfo(settings.timezone))
        _HORIZONS[key] = (days, end)
    days, end = _HORIZONS[key]
    return list(days), end


def coming_due(wh, week: str, region: str | None = None, agency: str | None = None,
               working_days: int | None = None) -> pd.DataFrame:  # fmt: skip
    """The coming-due list of ``week``: one row per complaint (titles as stored: masked at
    ingestion), soonest deadline first, with the working days left (1 = due on the first)."""
    agency = wh.resolve_agency(agency) or agency if agency else None
    scope = Scope(wh, region_of(agency) if agency else region)
    return _list(scope, scope.week(week), agency, working_days)


def open_at(wh, ref: WeekRef, region: str | None) -> pd.DataFrame:
    """``Warehouse.oldest_open`` at the week's cut, every complaint of the region (kept)."""
    where = {"region": region} if region else None
    return cached(wh, ("open_at", ref.cut, region),
                  lambda: wh.oldest_open(ref.cut, where, limit=10**9))  # fmt: skip


def _list(scope: Scope, ref: WeekRef, agency: str | None, working_days: int | None):
    conf = scope.alerts_conf(scope.region, "coming_due")
    n = int(working_days or conf["working_days"])
    days, end = horizon(scope.settings, ref.end, n)
    open_ = open_at(scope.wh, ref, scope.region)
    if agency:
        open_ = open_[open_["agency_id"] == agency]
    due = open_["resolution_due_at"]
    df = open_[(due >= pd.Timestamp(ref.cut)) & (due <= pd.Timestamp(end))].copy()
    zone = scope.settings.timezone
    df["created_at_local"] = _local(df["created_at"], zone)
    df["due_at_local"] = _local(df["resolution_due_at"], zone)
    position = {d: i + 1 for i, d in enumerate(days)}
    df["working_days_left"] = [position.get(d, 1) for d in df["due_at_local"].dt.date]
    df = df.sort_values(["resolution_due_at", "agency_id", "complaint_id"])
    return df[COLUMNS].reset_index(drop=True)


def _local(col: pd.Series, zone: str) -> pd.Series:
    """Naive UTC → naive local wall time, column-wise."""
    return pd.to_datetime(col).dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)


def find(scope: Scope, ref: WeekRef) -> list[Alert]:
    """One alert per agency with at least ``min_count`` complaints coming due."""
    conf = scope.alerts_conf(scope.region, "coming_due")
    df = _list(scope, ref, None, None)
    df = real_agencies(df)
    out = []
    for agency_id, group in df.groupby("agency_id", sort=True):
        c = scope.alerts_conf(region_of(agency_id) or scope.region, "coming_due")
        if len(group) < int(c["min_count"]):
            continue
        figures = {"count": len(group), "working_days": int(conf["working_days"]),
                   "first_due": group["due_at_local"].min().isoformat(),
                   "due_first_day": int((group["working_days_left"] == 1).sum())}  # fmt: skip
        out.append(Alert("coming_due", "coming_due", ref.label, region_of(agency_id), agency_id,
                         {}, figures, float(len(group))))  # fmt: skip
    return out
