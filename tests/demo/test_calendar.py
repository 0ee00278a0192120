"""Working-day arithmetic, the default end date and the LAPOR! export schedule."""

from __future__ import annotations

import datetime as dt

import numpy as np

from etl.demo.build import default_end
from etl.demo.calendar import WorkCalendar
from etl.demo.files import export_dates
from etl.demo.params import DemoParams


def _add(cal: WorkCalendar, when: str, days: float) -> str:
    out = cal.add_working_days(np.array([np.datetime64(when, "s")]), np.array([days]))
    return str(out[0])


def test_working_days_skip_weekends_and_lebaran():
    cal = WorkCalendar(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # Friday 15:00 + half a working day (4 office hours): 1 hour on Friday, 3 on Monday.
    assert _add(cal, "2026-01-09T15:00:00", 0.5) == "2026-01-12T11:00:00"
    # Nyepi (19 Mar), Idul Fitri with cuti bersama (20-24 Mar) and a weekend: next is 25 Mar.
    assert _add(cal, "2026-03-19T10:00:00", 0.5) == "2026-03-25T12:00:00"
    assert cal.is_ramadan[(dt.date(2026, 3, 1) - cal.start).days]
    assert not cal.is_ramadan[(dt.date(2026, 4, 1) - cal.start).days]


def test_default_end_is_the_last_complete_iso_week():
    assert default_end(dt.date(2026, 11, 28)) == dt.date(2026, 11, 22)  # Saturday
    assert default_end(dt.date(2026, 11, 23)) == dt.date(2026, 11, 22)  # Monday
    assert default_end(dt.date(2026, 11, 22)) == dt.date(2026, 11, 15)  # Sunday: week not over


def test_lapor_exports_monthly_then_weekly():
    first, end = dt.date(2026, 1, 5), dt.date(2026, 3, 29)  # 12 weeks
    dates = export_dates(first, end, DemoParams(lapor_every_weeks=4, lapor_weekly_recent_weeks=8))
    assert dates == [dt.date(2026, 2, 2)] + [
        dt.date(2026, 2, 9) + dt.timedelta(weeks=k) for k in range(8)
    ]
    assert dates[-1] == end + dt.timedelta(days=1)
