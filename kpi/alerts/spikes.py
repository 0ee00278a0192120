"""Spikes: a cell's complaints far above its own recent baseline.

A cell is a category in one district, in one channel, or in the whole region (settings
``alerts.spike.cells``), always within one region. For the week W with count x and the mean μ of
the same cell over the ``baseline_weeks`` complete weeks before W (at least ``baseline_floor``,
so a cell that was empty does not make any count look infinitely unlikely), the rule fires when

    x ≥ min_count  and  x ≥ min_ratio × μ  and  P(X ≥ x | X ~ Poisson(μ)) < p_value.

``min_count`` keeps small cells quiet; the Poisson tail says how surprising x is for that cell.
Weeks before the first complaint in scope are not counted as zeros: with fewer than
``min_baseline_weeks`` weeks of history no spike is judged.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from kpi import queries
from kpi.alerts import Alert, Scope, WeekRef
from kpi.alerts.stats import poisson_upper_tail

# ``received`` (KPI.md: complaints with created_at in the period, rejected ones included) per
# cell and week. Grain: one row per week (pid) × region × category × cell kind × cell value.
CELL_COUNTS = f"""
WITH weeks AS (
    SELECT unnest($pid) AS pid, unnest($lo) AS lo, unnest($hi) AS hi
),
rows AS (
    SELECT w.pid, x.region_code, x.category, x.district, x.channel, x.agency_id
    FROM wh.complaints x JOIN weeks w ON x.created_at >= w.lo AND x.created_at < w.hi
    WHERE {queries.REGION_WHERE} AND x.category IS NOT NULL
        AND x.created_at >= $first AND x.created_at < $last
)
SELECT pid, region_code, category,
    CASE WHEN grouping(district) = 0 THEN 'district'
         WHEN grouping(channel) = 0 THEN 'channel' ELSE 'region' END AS kind,
    coalesce(CASE WHEN grouping(district) = 0 THEN district
                  WHEN grouping(channel) = 0 THEN channel ELSE '' END, '∅') AS cell,
    {{agency}} AS agency_id,
    count(*) AS n
FROM rows
GROUP BY GROUPING SETS (
    (pid, region_code, category, district{{by_agency}}),
    (pid, region_code, category, channel{{by_agency}}),
    (pid, region_code, category{{by_agency}})
)
"""

FIRST_CREATED = f"SELECT min(created_at) FROM wh.complaints WHERE {queries.REGION_WHERE}"


def _query(wh, sql: str, params: dict) -> pd.DataFrame:
    """Run on a cursor of the Warehouse connection (its own, so no lock is shared)."""
    cur = wh.con.cursor()
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()


def cell_counts(wh, region: str | None, weeks: list[WeekRef], by_agency: bool = False):
    """Complaints received per week × region × category × cell (district, channel, region).

    Columns: pid (index into ``weeks``), region_code, category, kind, cell, agency_id (None
    unless ``by_agency``), n. Each week counts up to its ``cut`` (the data's as-of).
    """
    sql = CELL_COUNTS.format(
        agency="agency_id" if by_agency else "CAST(NULL AS VARCHAR)",
        by_agency=", agency_id" if by_agency else "",
    )
    params = {
        "region": region,
        "pid": list(range(len(weeks))),
        "lo": [w.end_utc - timedelta(days=7) for w in weeks],
        "hi": [w.cut for w in weeks],
        "first": min(w.end_utc - timedelta(days=7) for w in weeks),
        "last": max(w.cut for w in weeks),
    }
    return _query(wh, sql, params)


def _history_weeks(scope: Scope, ref: WeekRef, n: int) -> list[WeekRef]:
    """The up to ``n`` complete weeks before ``ref`` that start on or after the first week with
    a complaint in scope (a week before the data began is not a week of zeros)."""
    first = _query(scope.wh, FIRST_CREATED, {"region": scope.region}).iloc[0, 0]
    as_of = scope.wh.facts.get("data_as_of")
    weeks = [ref.shifted(-k, as_of) for k in range(n, 0, -1)]
    if first is None or pd.isna(first):
        return []
    # the first week with data is usually partial: count whole weeks after it
    return [w for w in weeks if w.end_utc - timedelta(days=7) > pd.Timestamp(first)]


def find(scope: Scope, ref: WeekRef) -> list[Alert]:
    """The spike alerts of week ``ref`` in ``scope`` (each region with its own thresholds)."""
    conf = scope.alerts_conf(scope.region, "spike")
    history = _history_weeks(scope, ref, int(conf["baseline_weeks"]))
    if len(history) < int(conf["min_baseline_weeks"]):
        return []
    weeks = [*history, ref]
    counts = cell_counts(scope.wh, scope.region, weeks)
    if counts.empty:
        return []
    wide = counts.pivot_table(
        index=["region_code", "category", "kind", "cell"], columns="pid", values="n",
        aggfunc="sum", fill_value=0,
    ).reindex(columns=range(len(weeks)), fill_value=0)  # fmt: skip
    now = len(history)
    candidates = _candidates(scope, wide, now)
    if not candidates:
        return []
    top = _top_agencies(scope, ref)
    out = []
    for region, category, kind, cell, x, mu, p in candidates:
        agency, n_agency = top.get((region, category, kind, cell), (None, 0))
        subject = {"category": category}
        if kind != "region":
            subject[kind] = None if cell == "∅" else cell
        out.append(
            Alert(
                family="spike",
                rule=f"spike_{kind}",
                week=ref.label,
                region_code=region,
                agency_id=agency,
                subject=subject,
                figures={
                    "count": x,
                    "baseline": round(mu, 2),
                    "ratio": round(x / mu, 2),
                    "p_value": p,
                    "baseline_weeks": now,
                    "agency_count": n_agency,
                },
                strength=x / mu,
            )  # fmt: skip
        )
    return out


def _candidates(scope: Scope, wide: pd.DataFrame, now: int) -> list[tuple]:
    """The cells whose week ``now`` passes the rule, each region with its own thresholds
    (count and ratio tests on whole columns; the Poisson tail only where those pass)."""
    counts = wide.to_numpy()
    x = counts[:, now]
    mean = counts[:, :now].mean(axis=1)
    regions = wide.index.get_level_values("region_code")
    kinds = wide.index.get_level_values("kind")
    out = []
    for region in regions.unique():
        c = scope.alerts_conf(region, "spike")
        mu = np.maximum(mean, float(c["baseline_floor"]))
        keep = (regions == region) & kinds.isin(list(c["cells"]))
        keep &= (x >= int(c["min_count"])) & (x >= float(c["min_ratio"]) * mu)
        for i in np.flatnonzero(keep):
            p = poisson_upper_tail(int(x[i]), float(mu[i]))
            if p < float(c["p_value"]):
                out.append((*wide.index[i], int(x[i]), float(mu[i]), p))
    return out


def _top_agencies(scope: Scope, ref: WeekRef) -> dict:
    """Per cell of week ``ref``: the agency that received most of its complaints, and how many."""
    df = cell_counts(scope.wh, scope.region, [ref], by_agency=True)
    df = df[df["agency_id"].notna()].sort_values(["n", "agency_id"], ascending=[False, True])
    df = df.drop_duplicates(["region_code", "category", "kind", "cell"])
    return {
        (r.region_code, r.category, r.kind, r.cell): (r.agency_id, int(r.n))
        for r in df.itertuples()
    }
