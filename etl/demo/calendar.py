"""The demo city's working-day calendar: weekends, national holidays and cuti bersama, Ramadan.

Agencies work Monday-Friday 08:00-16:00 outside holidays, so a delay drawn in *working days* is
mapped onto the calendar here. That is what makes Lebaran and cuti bersama slow responses down
without a special case, and keeps weekend complaints waiting until Monday.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np

OFFICE_START_H = 8.0
OFFICE_HOURS = 8.0


class WorkCalendar:
    """Working days between ``start`` and ``stop`` (dates), with vectorised conversions."""

    def __init__(self, start: dt.date, stop: dt.date, country: str = "ID") -> None:
        years = range(start.year, stop.year + 1)
        hol = holidays.country_holidays(
            country, years=years, categories=("public", "government"), language="en_US"
        )
        self.start = start
        n = (stop - start).days + 1
        self.days = np.arange(np.datetime64(start), np.datetime64(start) + n, dtype="datetime64[D]")
        dates = [start + dt.timedelta(days=i) for i in range(n)]
        self.is_holiday = np.array([d in hol for d in dates])
        weekday = np.array([d.weekday() for d in dates])
        self.weekday = weekday
        self.is_working = (weekday < 5) & ~self.is_holiday
        self.working_idx = np.flatnonzero(self.is_working)  # day offsets of working days
        eid = sorted(d for d, name in hol.items() if name == "Eid al-Fitr")
        self.is_ramadan = np.zeros(n, dtype=bool)
        for d in eid:
            lo, hi = (d - dt.timedelta(days=30) - start).days, (d - start).days
            self.is_ramadan[max(lo, 0) : max(min(hi, n), 0)] = True

    def day_offset(self, t: np.ndarray) -> np.ndarray:
        """Day offsets (from ``start``) of local datetime64 values."""
        return (t.astype("datetime64[D]") - np.datetime64(self.start)).astype(np.int64)

    def work_position(self, t: np.ndarray) -> np.ndarray:
        """Fractional working-day position of local times: index of the next working day plus
        the elapsed share of office hours when ``t`` falls on a working day."""
        off = self.day_offset(t)
        pos = np.searchsorted(self.working_idx, off).astype(float)
        hour = (t - t.astype("datetime64[D]")).astype("timedelta64[s]").astype(float) / 3600
        frac = np.clip((hour - OFFICE_START_H) / OFFICE_HOURS, 0.0, 1.0)
        return pos + np.where(self.is_working[np.clip(off, 0, len(self.days) - 1)], frac, 0.0)

    def add_working_days(self, t: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Local times ``days`` working days (fractional, office hours) after ``t``."""
        target = self.work_position(t) + days
        whole = np.floor(target).astype(np.int64)
        whole = np.clip(whole, 0, len(self.working_idx) - 1)
        frac = np.clip(target - np.floor(target), 0.0, 0.999)
        day = self.days[self.working_idx[whole]]
        secs = ((OFFICE_START_H + frac * OFFICE_HOURS) * 3600).astype(np.int64)
        out = day.astype("datetime64[s]") + secs.astype("timedelta64[s]")
        return np.maximum(out, t.astype("datetime64[s]") + np.timedelta64(60, "s"))
