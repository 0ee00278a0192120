"""How many complaints arrive, when, where and through which channel.

Expected counts per (day, district, category) combine population, the weekday pattern, holidays
(fewer complaints), and rainy-season surges of flood, drainage and road complaints that hit the
low-lying districts hardest; the channel mix shifts linearly from a start mix to an end mix.
"""

from __future__ import annotations

import numpy as np

from etl.demo.calendar import WorkCalendar
from etl.demo.params import CATEGORY_SHARE, RAIN_AMPLITUDE, DemoParams


def channel_probabilities(params: DemoParams, channels: list[str], frac: np.ndarray) -> np.ndarray:
    """Per-row channel probabilities, shifting linearly from the start mix to the end mix."""
    a = np.array([params.channel_mix_start[c] for c in channels])
    b = np.array([params.channel_mix_end[c] for c in channels])
    p = a[None, :] + (b - a)[None, :] * frac[:, None]
    return p / p.sum(axis=1, keepdims=True)


def choose(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw from a (rows x options) probability matrix."""
    cum = probs.cumsum(axis=1)
    return (rng.random(len(probs))[:, None] > cum).sum(axis=1).clip(0, probs.shape[1] - 1)


def rain_intensity(days: np.ndarray, params: DemoParams) -> np.ndarray:
    """0..1 rainy-season intensity per date, peaking at ``rain_peak_doy`` (Nov-Mar season)."""
    doy = (days - days.astype("datetime64[Y]")).astype(np.int64)
    dist = np.abs(doy - params.rain_peak_doy)
    dist = np.minimum(dist, 365 - dist)
    return np.exp(-0.5 * (dist / params.rain_width_days) ** 2)


def expected_counts(
    cal: WorkCalendar,
    first: int,
    districts: list[str],
    pop: dict[str, float],
    low_lying: set[str],
    categories: list[str],
    params: DemoParams,
    rng: np.random.Generator,
) -> np.ndarray:
    """Expected complaints per (day, district, category) from ``first`` day offset on."""
    days = cal.days[first:]
    dow = np.array(params.weekday_factor)[cal.weekday[first:]]
    hol = np.where(cal.is_holiday[first:], params.holiday_volume_factor, 1.0)
    rain = rain_intensity(days, params)
    storm = np.where(
        (rng.random(len(days)) < params.storm_day_probability) & (rain > 0.2),
        params.storm_multiplier,
        1.0,
    )
    share = np.array([CATEGORY_SHARE.get(c, 2.0) for c in categories])
    share = share / share.sum()
    amp = np.array([RAIN_AMPLITUDE.get(c, 0.0) for c in categories])
    exposure = np.array([1.0 if d in low_lying else params.rain_offseason_share for d in districts])
    popv = np.array([pop.get(d, 0.0) for d in districts]) / 1e5
    base = params.complaints_per_100k_week / 7 * (dow * hol)[:, None, None]
    surge = 1 + amp[None, None, :] * (rain * storm)[:, None, None] * exposure[None, :, None]
    return base * popv[None, :, None] * share[None, None, :] * surge
