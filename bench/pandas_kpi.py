"""The usual way: the weekly KPI table written in pandas, as most dashboards do it.

Read the complaints into a DataFrame, convert to local time, compute the working-day deadlines
with numpy's business-day calendar, and group by ISO week × agency. It is an independent
implementation of docs/KPI.md, so it doubles as a check of the KPI layer's numbers: the
benchmark compares both before it compares their speed.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import duckdb
import holidays
import numpy as np
import pandas as pd

READ_SQL = """
SELECT agency_id, category, status, created_at, first_response_at, closed_at,
       response_due_at, resolution_due_at
FROM wh.complaints
"""
WEEK = pd.Timedelta(days=7)


@dataclass
class Rules:
    """What the deadlines need: zone, holiday calendar and SLA days (from the city settings)."""

    timezone: str = "Asia/Jakarta"
    country: str = "ID"
    holiday_categories: tuple[str, ...] = ("public", "government")
    extra_non_working_days: tuple[str, ...] = ()
    response_days: int = 5
    default_days: int = 14
    category_days: dict[str, int] = field(default_factory=dict)


def rules_from(settings) -> Rules:
    """The same rules the KPI layer uses, taken from its ``kpi.settings.Settings``."""
    return Rules(
        timezone=settings.timezone,
        country=settings.country,
        holiday_categories=settings.holiday_categories,
        extra_non_working_days=settings.extra_non_working_days,
        response_days=settings.response_days,
        default_days=settings.default_resolution_days,
        category_days=settings.resolution_days_by_category(),
    )


def read(db: str) -> pd.DataFrame:
    """All complaints of the warehouse file as a DataFrame (timestamps naive UTC)."""
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [db])
    frame = con.sql(READ_SQL).df()
    con.close()
    return frame


def _local(series: pd.Series, tz: str) -> pd.Series:
    return series.dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)


def _due(local_created: pd.Series, days: np.ndarray, rules: Rules) -> pd.Series:
    """End (23:59:59 local) of the N-th working day after each local creation date."""
    years = range(local_created.min().year, local_created.max().year + 3)
    cal = holidays.country_holidays(rules.country, years=years, categories=rules.holiday_categories)
    off = [np.datetime64(d) for d in cal] + [np.datetime64(d) for d in rules.extra_non_working_days]
    dates = local_created.to_numpy().astype("datetime64[D]")
    due = np.busday_offset(dates, days, roll="backward", holidays=np.array(off, "datetime64[D]"))
    return pd.Series(
        due.astype("datetime64[s]") + np.timedelta64(86399, "s"), index=local_created.index
    )


def prepare(frame: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Local times and deadlines (the source's own deadline wins, as in KPI.md)."""
    df = frame.copy()
    for col in (
        "created_at",
        "first_response_at",
        "closed_at",
        "response_due_at",
        "resolution_due_at",
    ):
        df[col] = _local(df[col].astype("datetime64[us]"), rules.timezone)
    res_days = df["category"].map(rules.category_days).fillna(rules.default_days).to_numpy("int64")
    df["response_due_at"] = df["response_due_at"].fillna(
        _due(df["created_at"], np.full(len(df), rules.response_days), rules)
    )
    df["resolution_due_at"] = df["resolution_due_at"].fillna(
        _due(df["created_at"], res_days, rules)
    )
    df["valid"] = df["status"] != "rejected"
    df["resolved"] = df["status"] == "resolved"
    return df


def _week(ts: pd.Series) -> pd.Series:
    day = ts.dt.normalize()
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D")


def weekly(df: pd.DataFrame, as_of: dt.datetime) -> pd.DataFrame:
    """One row per ISO week × agency (weeks from the first complaint to the as-of week).

    ``as_of`` is the data's as-of time in local wall time; each week's own as-of is the earlier
    of it and the week's end (KPI.md, Periods).
    """
    as_of = pd.Timestamp(as_of)
    weeks = pd.date_range(
        _week(df["created_at"]).min(), _week(pd.Series([as_of])).iloc[0], freq="7D"
    )
    grid = pd.MultiIndex.from_product(
        [weeks, sorted(df["agency_id"].unique())], names=["week_start", "agency_id"]
    )
    week_end = grid.get_level_values(0) + WEEK
    period_as_of = np.minimum(week_end, as_of)

    def count(mask: pd.Series, when: str) -> pd.Series:
        sub = df[mask]
        keys = [_week(sub[when]).rename("week_start"), sub["agency_id"]]
        return sub.groupby(keys).size().reindex(grid, fill_value=0)

    valid = df["valid"]
    out = pd.DataFrame(index=grid)
    out["received"] = count(pd.Series(True, index=df.index), "created_at")
    out["rejected"] = count(~valid, "created_at")
    out["valid_received"] = out["received"] - out["rejected"]
    # A period is half-open: a response at next Monday 00:00 belongs to the next week.
    responded_by_week_end = df["first_response_at"] < _week(df["created_at"]) + WEEK
    responded_by_week_end &= df["first_response_at"] <= as_of
    out["responded"] = count(valid & responded_by_week_end, "created_at")
    out["closed"] = count(valid & df["resolved"] & df["closed_at"].notna(), "closed_at")
    for kind, done in (
        ("response", df["first_response_at"] <= df["response_due_at"]),
        ("resolution", df["resolved"] & (df["closed_at"] <= df["resolution_due_at"])),
    ):
        due = df[f"{kind}_due_at"]
        in_time = valid & (due <= as_of)
        out[f"{kind}_due"] = count(in_time, f"{kind}_due_at")
        out[f"{kind}_met"] = count(in_time & done.fillna(False), f"{kind}_due_at")
    for kind, when in (("respond", "first_response_at"), ("resolve", "closed_at")):
        sub = df[valid & (df["resolved"] if kind == "resolve" else True) & df[when].notna()]
        days = (sub[when] - sub["created_at"]).dt.total_seconds() / 86400
        keys = [_week(sub[when]).rename("week_start"), sub["agency_id"]]
        grouped = days.groupby(keys)
        out[f"median_days_to_{kind}"] = grouped.median().reindex(grid)
        out[f"p90_days_to_{kind}"] = grouped.quantile(0.9).reindex(grid)
    opened = out.groupby(level="agency_id")["valid_received"].cumsum()
    closed = out.groupby(level="agency_id")["closed"].cumsum()
    out["backlog"] = opened - closed
    out["rejected_share"] = _ratio(out["rejected"], out["received"])
    out["response_rate"] = _ratio(out["responded"], out["valid_received"])
    out["clearance_rate"] = _ratio(out["closed"], out["valid_received"])
    out["response_sla_compliance"] = _ratio(out["response_met"], out["response_due"])
    out["resolution_sla_compliance"] = _ratio(out["resolution_met"], out["resolution_due"])
    out["as_of"] = period_as_of
    return out.reset_index()


def backlog_series(df: pd.DataFrame, as_of: dt.datetime) -> pd.DataFrame:
    """City-wide backlog and overdue backlog at each week's end (or at as_of, if earlier).

    backlog(t) = #(created < t) − #(max(created, resolved) < t); overdue likewise with the
    resolution deadline: #(max(created, due) < t) − #(max(created, due, resolved) < t).
    """
    as_of = pd.Timestamp(as_of)
    v = df[df["valid"]]
    resolved = v["closed_at"].where(v["resolved"])
    due = np.maximum(v["created_at"], v["resolution_due_at"])
    start = _week(df["created_at"]).min()
    ends = pd.date_range(start + WEEK, _week(pd.Series([as_of])).iloc[0] + WEEK, freq="7D")
    t = np.minimum(ends, as_of + pd.Timedelta(microseconds=1)).to_numpy()

    def before(values: pd.Series) -> np.ndarray:
        arr = np.sort(values.dropna().to_numpy())
        return np.searchsorted(arr, t, side="left")

    backlog = before(v["created_at"]) - before(np.maximum(v["created_at"], resolved))
    overdue = before(due) - before(np.maximum(due, resolved))
    return pd.DataFrame({"week_end": ends, "backlog": backlog, "overdue_backlog": overdue})


# KPI.md: backlog(t) split by age t − created_at in whole days.
AGE_BUCKETS = [("0-3", 3), ("4-7", 7), ("8-14", 14), ("15-30", 30), ("31-60", 60), ("60+", None)]


def backlog_ages(df: pd.DataFrame, t: dt.datetime) -> pd.DataFrame:
    """Valid complaints open at ``t`` (local wall time) per agency and age bucket (rows with
    none are left out): created before t and not resolved, or resolved at or after t."""
    t = pd.Timestamp(t)
    v = df[df["valid"]]
    open_ = v[(v["created_at"] < t) & ~(v["resolved"] & (v["closed_at"] < t))]
    age = np.floor((t - open_["created_at"]).dt.total_seconds() / 86400)
    edges = [-1] + [hi for _, hi in AGE_BUCKETS[:-1]] + [np.inf]
    bucket = pd.cut(age, edges, labels=[name for name, _ in AGE_BUCKETS])
    out = open_.groupby([open_["agency_id"], bucket], observed=True).size()
    return out.rename("n").reset_index().rename(columns={"created_at": "bucket"})


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype("float64")


def timed(db: str, rules: Rules, as_of: dt.datetime):
    """The whole pandas path, phases timed: read, prepare (zones, deadlines), weekly, backlog.

    Returns (weekly table, backlog series, backlog ages at as_of, seconds per phase).
    """
    marks = [(time.perf_counter(), time.process_time())]
    frame = read(db)
    marks.append((time.perf_counter(), time.process_time()))
    df = prepare(frame, rules)
    marks.append((time.perf_counter(), time.process_time()))
    table = weekly(df, as_of)
    marks.append((time.perf_counter(), time.process_time()))
    series = backlog_series(df, as_of)
    marks.append((time.perf_counter(), time.process_time()))
    ages = backlog_ages(df, as_of)
    marks.append((time.perf_counter(), time.process_time()))
    times = {}
    for i, key in enumerate(("read", "prepare", "weekly", "backlog_series", "backlog_ages")):
        times[key] = marks[i + 1][0] - marks[i][0]
        times[f"cpu_{key}"] = marks[i + 1][1] - marks[i][1]
    times["total"] = marks[-1][0] - marks[0][0]
    return table, series, ages, times
