"""Periods: parse user input (local dates, ISO week labels) into half-open local-date ranges, and
turn them into the query parameters of the metric models (``period_params``): no shared
session tables, so queries run side by side without a lock."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from kpi.calendar import local_to_utc, utc_to_local

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
ONE_MICROSECOND = timedelta(microseconds=1)
# Dates a period may take: far wider than any data, narrow enough that converting a local
# midnight to UTC (and building the working-day calendar) cannot overflow.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


class PeriodError(ValueError):
    """A period argument is unusable; the message names it."""


def _in_range(d: date, what: str) -> date:
    if not FIRST_DAY <= d <= LAST_DAY:
        raise PeriodError(
            f"{what}{d.isoformat()} is outside the dates this tool reads "
            f"({FIRST_DAY.isoformat()} .. {LAST_DAY.isoformat()})"
        )
    return d


def week_label(d: date) -> str:
    """ISO week label of a date: ``2015-W10``."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(label: str) -> date:
    """Monday of an ISO week label; PeriodError for a malformed or impossible week."""
    m = WEEK_RE.match(label.strip())
    if not m:
        raise PeriodError(f"not an ISO week (expected e.g. 2015-W10): {label!r}")
    if not FIRST_DAY.year <= int(m.group(1)) <= LAST_DAY.year:
        raise PeriodError(
            f"{label.strip()} is outside the dates this tool reads "
            f"({FIRST_DAY.isoformat()} .. {LAST_DAY.isoformat()})"
        )
    try:
        return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError as exc:
        raise PeriodError(f"no such ISO week: {label!r}") from exc


def parse_day(value: str | date, what: str) -> date:
    """A local date from ``YYYY-MM-DD`` or a date object."""
    if isinstance(value, datetime):
        return _in_range(value.date(), f"{what}: ")
    if isinstance(value, date):
        return _in_range(value, f"{what}: ")
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise PeriodError(
            f"{what}: not a date (expected YYYY-MM-DD) or ISO week: {value!r}"
        ) from exc
    return _in_range(day, f"{what}: ")


def resolve_range(start, end) -> tuple[date, date]:
    """Half-open local-date range [start, end).

    A week label as ``start`` means its Monday; as ``end`` the week is included (its next
    Monday). ``end=None`` with a week label means that one week; with a date, one day.
    """
    if start is None:
        raise PeriodError("a period start is required")
    is_week = isinstance(start, str) and WEEK_RE.match(start.strip())
    lo = week_monday(start) if is_week else parse_day(start, "start")
    if end is None:
        hi = lo + timedelta(days=7 if is_week else 1)
    elif isinstance(end, str) and WEEK_RE.match(end.strip()):
        hi = week_monday(end) + timedelta(days=7)
    else:
        hi = parse_day(end, "end")
    if hi <= lo:
        raise PeriodError(f"the period end {hi} is not after its start {lo}")
    return lo, hi


def parse_as_of(value) -> datetime | None:
    """``as_of`` as naive UTC (a string is read as UTC: ``2015-03-09 12:00:00``)."""
    if value is None:
        return value
    if not isinstance(value, datetime):
        try:
            ts = pd.Timestamp(str(value))
        except (ValueError, OverflowError) as exc:
            raise PeriodError(f"as_of: not a timestamp: {value!r}") from exc
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        value = ts.to_pydatetime()
    _in_range(value.date(), "as_of: ")
    return value


def period_frames(
    ranges: list[tuple[date, date]], tz: str, data_as_of: datetime | None, as_of=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``periods`` and ``pmap`` tables for these local ranges.

    Each period's as_of is min(as_of or the data's as-of time, period end); ``cut`` is the
    exclusive upper bound min(end, as_of + 1 µs), ``t_d`` the local date of ``cut`` and
    ``is_partial`` whether ``cut`` falls inside that day (not at local midnight).
    """
    zone = ZoneInfo(tz)
    user = parse_as_of(as_of)
    limit = user if user is not None else data_as_of
    rows, days = [], []
    for pid, (lo, hi) in enumerate(ranges):
        start_utc = local_to_utc(lo, time(0), zone)
        end_utc = local_to_utc(hi, time(0), zone)
        eff = end_utc if limit is None else min(limit, end_utc)
        cut = min(end_utc, eff + ONE_MICROSECOND) if eff < end_utc else end_utc
        cut = max(cut, start_utc)
        t_local = utc_to_local(cut, zone)
        is_partial = t_local.time() != time(0)
        eff = max(eff, start_utc)
        rows.append((pid, lo, hi, start_utc, end_utc, eff, cut, t_local.date(), is_partial))
        d = lo
        while d < hi:
            days.append((d, pid, cut))
            d += timedelta(days=1)
    columns = [
        "pid",
        "start_d",
        "end_d",
        "start_utc",
        "end_utc",
        "as_of",
        "cut",
        "t_d",
        "is_partial",
    ]
    periods = pd.DataFrame(rows, columns=columns)
    pmap = pd.DataFrame(days, columns=["d", "pid", "cut"])
    return periods, pmap


FAR_FUTURE = datetime(9999, 1, 1)


def period_params(
    ranges: list[tuple[date, date]], zones, data_as_of: datetime | None, as_of=None
) -> dict:
    """The parameters of ``marts/complaint_metrics.sql`` for consecutive equal local ranges.

    ``$lo``, ``$step`` (days), ``$n``, ``$end_day``; ``$cut`` = as_of + 1 µs (the data's as-of
    time by default: nothing after it counts) and ``$cut_day``, the earliest local date of the
    cut in any of ``zones``: every event of an earlier local day happened before the cut.
    """
    lo, step, n = ranges[0][0], (ranges[0][1] - ranges[0][0]).days, len(ranges)
    for i, (a, b) in enumerate(ranges):
        if a != lo + timedelta(days=i * step) or (b - a).days != step:
            raise PeriodError(f"periods must be consecutive and of equal length: {ranges}")
    user = parse_as_of(as_of)
    limit = user if user is not None else data_as_of
    cut = FAR_FUTURE if limit is None else limit + ONE_MICROSECOND
    cut_day = min(
        (utc_to_local(cut, ZoneInfo(z)).date() if cut < FAR_FUTURE else cut.date()) for z in zones
    )
    return {
        "lo": lo,
        "step": step,
        "n": n,
        "end_day": lo + timedelta(days=n * step),
        "cut": cut,
        "cut_day": cut_day,
    }


def iso_weeks(lo: date, hi: date) -> list[tuple[date, date]]:
    """The ISO weeks overlapping [lo, hi), as whole weeks (Monday to next Monday)."""
    monday = lo - timedelta(days=lo.weekday())
    out = []
    while monday < hi:
        out.append((monday, monday + timedelta(days=7)))
        monday += timedelta(days=7)
    return out


def default_week(as_of_local: datetime) -> tuple[str, str]:
    """The week a page opens on when the reader has not chosen one, with its reason code.

    The latest week with data once its working days (Monday to Friday) are all in the data:
    from Saturday the week answers "how did this week go" and compares fairly with the one
    before (complaints and deadlines fall on working days). Before Saturday, the last complete
    week: on Monday morning, with hours of the new week loaded, the governor's question is last
    week. The latest week is still offered, marked in progress.
    """
    d = as_of_local.date()
    monday = d - timedelta(days=d.weekday())
    if d.weekday() >= 5:
        return week_label(monday), "latest_working_days_in"
    return week_label(monday - timedelta(days=7)), "latest_too_early"
