"""The weekly agency league (../shared/KPI.md, "Agency score" §4), as a pure function of three
agency score tables, and the undisposed complaints that the league leaves out.

Why a window: with one week, most agencies have fewer than ``min_obligations`` deadlines and
cannot be ranked; the league therefore ranks on the rolling window of ``rank_window_weeks`` ISO
weeks ending with the chosen week, and shows the week's own score beside it. The rank change
compares with the league of the previous week (its own window). Complaints never disposed to an
agency (agency ``unassigned``) are a city matter, not an agency's score: they are left out of the
league and reported as their own line.

Every "missing" value carries a reason code of ``kpi.reasons.REASONS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kpi.score import SCORE_TARGET, rank
from kpi.settings import Settings

UNASSIGNED = "unassigned"  # the slug of the ETL's agency for complaints never disposed: its id is
# "<region>:unassigned" (ARCHITECTURE §1), or "unassigned" in a database from before regions


def is_unassigned(agency_id: object) -> bool:
    """Whether an agency id is a region's (or the database's) undisposed complaints."""
    return str(agency_id).rsplit(":", 1)[-1] == UNASSIGNED


COLUMNS = [
    "agency_id",
    "agency_name",
    "rank",  # on the window; Int64 (ranks sort as numbers), <NA> when not ranked
    "score",  # on the window
    "status",
    "is_ranked",
    "n_obligations",  # due in the window
    "not_ranked_reason",
    "gap_to_target",  # score - 1.00
    "week_score",
    "week_status",
    "week_n_obligations",
    "week_score_reason",
    "week_gap_to_target",  # week_score - 1.00
    "prev_rank",
    "rank_change",  # prev_rank - rank: positive = moved up; <NA> with a reason
    "rank_change_reason",
]


@dataclass
class League:
    """The league of one week: one row per agency (``COLUMNS``) and the undisposed line."""

    week: str
    window: tuple[str, str]  # first and last ISO week of the ranking window
    n_weeks: int
    agencies: pd.DataFrame
    # received in the week, backlog and overdue backlog at its end, of the undisposed complaints
    undisposed: dict = field(default_factory=dict)

    @property
    def n_ranked(self) -> int:
        return int(self.agencies["is_ranked"].sum())


def build(
    window: pd.DataFrame,
    previous: pd.DataFrame | None,
    week: pd.DataFrame,
    names: dict[str, str],
    settings: Settings,
) -> pd.DataFrame:
    """The league rows from three score tables (agency_id, score, score_status, n_obligations):
    the ranking window, the previous week's window (None: the data has no previous week) and the
    chosen week alone. The ``unassigned`` agency is left out."""
    ranked = _ranked(window, settings)
    out = ranked.rename(columns={"score_status": "status"})
    out["not_ranked_reason"] = [
        None if ok else ("no_scored_metric" if pd.isna(s) else "few_obligations")
        for ok, s in zip(out["is_ranked"], out["score"], strict=True)
    ]
    out["gap_to_target"] = out["score"] - SCORE_TARGET
    wk = week.set_index("agency_id")
    out["week_score"] = out["agency_id"].map(wk["score"]).astype("float64")
    out["week_status"] = out["agency_id"].map(wk["score_status"])
    out["week_n_obligations"] = out["agency_id"].map(wk["n_obligations"]).fillna(0).astype(int)
    out["week_score_reason"] = [
        None if pd.notna(s) else "no_scored_metric" for s in out["week_score"]
    ]
    out["week_gap_to_target"] = out["week_score"] - SCORE_TARGET
    if previous is None:
        out["prev_rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        before = _ranked(previous, settings).set_index("agency_id")["rank"]
        out["prev_rank"] = out["agency_id"].map(before).astype("Int64")
    out["rank_change"] = (out["prev_rank"] - out["rank"]).astype("Int64")
    out["rank_change_reason"] = [
        None
        if pd.notna(change)
        else (
            "not_ranked"
            if not ok
            else "no_previous_week"
            if previous is None
            else "not_ranked_before"
        )
        for change, ok in zip(out["rank_change"], out["is_ranked"], strict=True)
    ]
    out["agency_name"] = [names.get(a, a) for a in out["agency_id"]]
    out = out.sort_values(
        ["is_ranked", "rank", "score", "agency_name"],
        ascending=[False, True, False, True],
        na_position="last",
    )
    return out[COLUMNS].reset_index(drop=True)


def _ranked(scores: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Agencies other than ``unassigned`` with is_ranked and an integer rank (KPI.md §4)."""
    df = scores[~scores["agency_id"].map(is_unassigned)]
    df = df[["agency_id", "score", "score_status", "n_obligations"]].copy()
    df["score"] = df["score"].astype("float64")
    df = rank(df, settings)
    df["rank"] = df["rank"].astype("Int64")
    return df.reset_index(drop=True)
