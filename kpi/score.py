"""The agency score, after Boston's CityScore (docs/KPI.md, "Agency score").

attainment = actual / target (lower-is-better: target / actual), capped at ``cap``; the score is
the weighted mean of the attainments of the metrics that have a value, rounded to 2 decimals.
A metric without a value is left out, never counted as 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kpi.settings import Settings

SCORE_TARGET = 1.0  # a score of 1.00 means exactly on target (KPI.md, "Agency score" §2)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def attainment(value, target: float, higher_is_better: bool, cap: float) -> float | None:
    """Attainment of one metric, or None when the metric has no value."""
    if _missing(value):
        return None
    value = float(value)
    if higher_is_better:
        raw = value / target
    else:
        raw = cap if value == 0 else target / value
    return min(raw, cap)


def score_parts(values: dict, settings: Settings) -> list[dict]:
    """One row per scored metric: value, target, direction, attainment, weight, share."""
    rows = []
    for m in settings.scored_metrics():
        value = values.get(m.name)
        value = None if _missing(value) else float(value)
        att = attainment(value, m.target, m.higher_is_better, settings.cap)
        rows.append(
            {
                "metric": m.name,
                "value": value,
                "target": m.target,
                "higher_is_better": m.higher_is_better,
                "attainment": att,
                "weight": m.weight if att is not None else 0.0,
            }
        )
    total = sum(r["weight"] for r in rows)
    for r in rows:
        r["share_of_score"] = (
            r["attainment"] * r["weight"] / total if r["attainment"] is not None and total else None
        )
    return rows


def score(values: dict, settings: Settings) -> float | None:
    """Weighted mean of the available attainments, rounded to 2 decimals (None if none)."""
    parts = score_parts(values, settings)
    total = sum(r["weight"] for r in parts)
    if not total:
        return None
    return round(
        sum(r["attainment"] * r["weight"] for r in parts if r["attainment"] is not None) / total, 2
    )


def status(value: float | None, settings: Settings) -> str | None:
    """green ≥ settings.green, amber ≥ settings.amber, red below; None without a score."""
    if _missing(value):
        return None
    if value >= settings.green:
        return "green"
    if value >= settings.amber:
        return "amber"
    return "red"


def add_scores(df: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Add ``score`` and ``score_status`` columns: the same rule as ``score``, column-wise."""
    num = np.zeros(len(df))
    den = np.zeros(len(df))
    for m in settings.scored_metrics():
        if m.name not in df.columns:
            continue
        v = pd.to_numeric(df[m.name], errors="coerce").to_numpy(dtype=float)
        if m.higher_is_better:
            att = v / m.target
        else:
            with np.errstate(divide="ignore"):
                att = np.where(v == 0, settings.cap, m.target / v)
        att = np.minimum(att, settings.cap)
        ok = ~np.isnan(att)
        num += np.where(ok, att * m.weight, 0.0)
        den += np.where(ok, m.weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = num / den
    scores = [round(float(x), 2) if d > 0 else None for x, d in zip(raw, den, strict=True)]
    out = df.copy()
    out["score"] = pd.Series(
        [np.nan if v is None else v for v in scores], index=df.index, dtype="float64"
    )
    out["score_status"] = [status(v, settings) for v in scores]
    return out


def rank(df: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Add is_ranked (n_obligations ≥ min_obligations and a score) and rank (1 = best; ties
    share the best rank; None for unranked rows)."""
    out = df.copy()
    has_score = out["score"].map(lambda v: not _missing(v))
    out["is_ranked"] = (out["n_obligations"] >= settings.min_obligations) & has_score
    ranked = out.loc[out["is_ranked"], "score"].astype(float)
    ranks = ranked.rank(method="min", ascending=False).astype(int)
    out["rank"] = pd.Series([None] * len(out), index=out.index, dtype="object")
    for idx, r in ranks.items():
        out.at[idx, "rank"] = int(r)
    return out
