"""Stale data: a source whose newest export is older than its usual interval allows.

Per source and load region (``loads``: successful loads only, a region's own loads and those of
the regions above it, e.g. a provincial channel), the freshness of a source at the end of the
week T is the newest export time at or before T (``exported_at``; else the newest record in the
file, ``period_end``; else when it was loaded). Its usual interval is the median gap between its
last ``recent_exports`` distinct export times (``default_interval_days`` with fewer than two).
The rule fires when

    T − newest export > max(factor × usual interval, min_days).

So a figure never looks good only because a desk stopped sending its exports. A source that had
no export before T is not judged.
"""

from __future__ import annotations

import pandas as pd

from kpi.alerts import Alert, Scope, WeekRef


def _in_scope(code: str | None, scope: str | None) -> bool:
    """A load region covers the scope when it is the scope, below it, or above it."""
    if scope is None or code is None:
        return True
    return code == scope or code.startswith(scope + ".") or scope.startswith(code + ".")


def export_times(wh, region: str | None, t) -> pd.DataFrame:
    """source, region_code, seen_at: one row per distinct successful export at or before t."""
    loads = wh.load_history(limit=1_000_000)
    if loads.empty:
        return pd.DataFrame(columns=["source", "region_code", "seen_at"])
    loads = loads[loads["outcome"] == "loaded"].copy()
    loads = loads[[_in_scope(c, region) for c in loads["region_code"]]]
    seen = loads["exported_at"].fillna(loads["period_end"]).fillna(loads["finished_at"])
    loads["seen_at"] = seen
    loads = loads[loads["seen_at"].notna() & (loads["seen_at"] <= pd.Timestamp(t))]
    out = loads[["source", "region_code", "seen_at"]].drop_duplicates()
    return out.sort_values(["source", "region_code", "seen_at"]).reset_index(drop=True)


def find(scope: Scope, ref: WeekRef) -> list[Alert]:
    """The stale-source alerts at the end of week ``ref``."""
    t = pd.Timestamp(ref.end_utc)
    out = []
    for (source, region), group in export_times(scope.wh, scope.region, t).groupby(
        ["source", "region_code"], dropna=False, sort=True
    ):
        region = None if pd.isna(region) else region
        c = scope.alerts_conf(region or scope.region, "stale")
        times = list(group["seen_at"])[-int(c["recent_exports"]) :]
        gaps = [(b - a).total_seconds() / 86400 for a, b in zip(times, times[1:], strict=False)]
        usual = float(pd.Series(gaps).median()) if gaps else float(c["default_interval_days"])
        limit = max(float(c["factor"]) * usual, float(c["min_days"]))
        age = (t - times[-1]).total_seconds() / 86400
        if age > limit:
            figures = {"last_export": times[-1].isoformat(), "age_days": round(age, 2),
                       "usual_days": round(usual, 2), "limit_days": round(limit, 2)}  # fmt: skip
            out.append(Alert("stale", "stale_source", ref.label, region, None,
                             {"source": source}, figures, age / limit))  # fmt: skip
    return out
