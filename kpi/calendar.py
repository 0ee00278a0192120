"""The working-day calendar and SLA deadlines.

A working day is Monday–Friday minus the country's holidays (for Indonesia the ``public``
national holidays and the ``government`` category, i.e. *cuti bersama*) minus configured extra
non-working days, plus configured extra working days. The calendar is materialised as a small
table (one row per local date) so that deadlines are SQL joins:

- ``wd_cum``: the number of working days up to and including the date;
- the N-th working day after date d is the working day w with ``wd_cum(w) = wd_cum(d) + N``;
- a deadline is the end (23:59:59 local) of that day, stored as ``day_end_utc`` (naive UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pandas as pd

from kpi.settings import Settings, SettingsError


def holiday_dates(settings: Settings, years: range) -> dict[date, str]:
    """Holidays of the settings' country and categories for ``years`` (date → name)."""
    try:
        hol = holidays.country_holidays(
            settings.country, years=list(years), categories=settings.holiday_categories
        )
    except NotImplementedError as exc:
        raise SettingsError(
            f"calendar.holiday_categories: {settings.holiday_categories} not available for "
            f"country {settings.country!r}"
        ) from exc
    return dict(hol.items())


def is_working_day(d: date, settings: Settings, hol: dict[date, str]) -> bool:
    """Apply the working-day rule to one date (see the module docstring)."""
    if d.isoformat() in settings.extra_working_days:
        return True
    if d.isoformat() in settings.extra_non_working_days:
        return False
    return d.weekday() < 5 and d not in hol


def build_calendar(settings: Settings, first_year: int, last_year: int) -> pd.DataFrame:
    """One row per local date from Jan 1 of ``first_year`` to Dec 31 of ``last_year``.

    Columns: d, is_working, wd_cum, day_end_utc, day_start_utc (local midnight in UTC).
    """
    zone = ZoneInfo(settings.timezone)
    hol = holiday_dates(settings, range(first_year, last_year + 1))
    rows = []
    cum = 0
    d = date(first_year, 1, 1)
    while d.year <= last_year:
        working = is_working_day(d, settings, hol)
        cum += int(working)
        rows.append(
            (
                d,
                working,
                cum,
                local_to_utc(d, time(23, 59, 59), zone),
                local_to_utc(d, time(0), zone),
            )
        )
        d += timedelta(days=1)
    return pd.DataFrame(rows, columns=["d", "is_working", "wd_cum", "day_end_utc", "day_start_utc"])


def local_to_utc(d: date, t: time, zone: ZoneInfo) -> datetime:
    """Local wall time on date d → naive UTC datetime (the warehouse convention)."""
    return datetime.combine(d, t, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(ts: datetime, zone: ZoneInfo) -> datetime:
    """Naive UTC datetime → naive local wall time."""
    return ts.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def add_working_days(created_utc: datetime, n: int, settings: Settings) -> datetime:
    """Deadline of ``n`` working days from ``created_utc`` (naive UTC), as naive UTC.

    The end (23:59:59 local) of the n-th working day after the timestamp's local date. This is
    the reference implementation; the warehouse computes the same by a join on the calendar.
    """
    zone = ZoneInfo(settings.timezone)
    d = utc_to_local(created_utc, zone).date()
    hol = holiday_dates(settings, range(d.year, d.year + 2 + n // 200))
    found = 0
    while found < n:
        d += timedelta(days=1)
        found += int(is_working_day(d, settings, hol))
    return local_to_utc(d, time(23, 59, 59), zone)


def fixed_offset(settings: Settings, first_year: int, last_year: int) -> timedelta | None:
    """The zone's UTC offset if it is constant over the years (no DST), else None.

    A constant offset lets SQL compute local dates by adding an interval, which is much faster
    than a per-row ICU conversion on millions of rows.
    """
    zone = ZoneInfo(settings.timezone)
    offsets = set()
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            offsets.add(datetime(year, month, 1, tzinfo=zone).utcoffset())
            offsets.add(datetime(year, month, 15, tzinfo=zone).utcoffset())
    return offsets.pop() if len(offsets) == 1 else None


def local_date_sql(column: str, offset: timedelta | None) -> str:
    """SQL for the local date of a naive-UTC column (``column`` is a trusted identifier).

    With a fixed offset: ``CAST(col + INTERVAL n SECOND AS DATE)``; otherwise ICU with the zone
    passed as the ``$tz`` parameter.
    """
    if offset is not None:
        return f"CAST({column} + INTERVAL {int(offset.total_seconds())} SECOND AS DATE)"
    return f"CAST(timezone($tz, {column} AT TIME ZONE 'UTC') AS DATE)"
