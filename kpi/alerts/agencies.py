"""Deteriorating agencies: three rules over the KPI layer's weekly figures per agency.

- ``overdue_rising``: the overdue backlog at the end of each of the last ``rising_weeks`` weeks
  is higher than a week before, and higher than ``rising_weeks`` weeks ago by ≥ ``min_rise``;
- ``score_fell``: on the league's rolling window (``score_window_weeks`` weeks ending with the
  week), the score's status is amber or red and worse than the week before, the score fell by
  ≥ ``score_min_drop``, with ≥ ``score_min_obligations`` obligations in the window;
- ``response_drop``: response SLA compliance fell by ≥ ``response_min_drop`` (a share) on the
  week before, with ≥ ``response_min_due`` deadlines in each week, and the one-sided
  two-proportion test gives p < ``response_p_value``.

The pseudo-agency of undisposed complaints (``…:unassigned``) is not an agency and is skipped.
"""

from __future__ import annotations

import pandas as pd

from kpi.alerts import Alert, Scope, WeekRef, cached, is_unassigned, real_agencies, region_of
from kpi.alerts.stats import proportion_drop_p

STATUS_ORDER = {"green": 2, "amber": 1, "red": 0}


def find(scope: Scope, ref: WeekRef) -> list[Alert]:
    """The deteriorating-agency alerts of week ``ref`` in ``scope``."""
    conf = scope.alerts_conf(scope.region, "deteriorating")
    where = {"region": scope.region} if scope.region else None
    weekly = agency_weeks(scope.wh, ref, int(conf["rising_weeks"]), where)
    weekly = real_agencies(weekly)
    out = _overdue_rising(scope, ref, weekly)
    out += _response_drop(scope, ref, weekly)
    out += _score_fell(scope, ref, where)
    return out


def agency_weeks(wh, ref: WeekRef, k: int, where: dict | None) -> pd.DataFrame:
    """``Warehouse.weekly`` by agency for the ``k`` weeks before ``ref`` and ``ref`` (kept)."""
    start = ref.shifted(-k, wh.facts.get("data_as_of")).label
    region = (where or {}).get("region")
    return cached(wh, ("weekly_agency", start, ref.label, region),
                  lambda: wh.weekly(start, ref.label, by="agency_id", scope=where))  # fmt: skip


def _conf(scope: Scope, agency_id: str) -> dict:
    return scope.alerts_conf(region_of(agency_id) or scope.region, "deteriorating")


def _alert(rule: str, ref: WeekRef, agency_id: str, figures: dict, strength: float) -> Alert:
    return Alert("deteriorating", rule, ref.label, region_of(agency_id), agency_id, {}, figures,
                 strength)  # fmt: skip


def _overdue_rising(scope: Scope, ref: WeekRef, weekly: pd.DataFrame) -> list[Alert]:
    wide = weekly.pivot_table(
        index="agency_id", columns="week_start", values="overdue_backlog", fill_value=0
    ).sort_index(axis=1)
    out = []
    for agency_id, row in wide.iterrows():
        c = _conf(scope, agency_id)
        series = [int(v) for v in row.tolist()[-(int(c["rising_weeks"]) + 1) :]]
        if len(series) < int(c["rising_weeks"]) + 1:
            continue
        rising = all(b > a for a, b in zip(series, series[1:], strict=False))
        rise = series[-1] - series[0]
        if rising and rise >= int(c["min_rise"]):
            figures = {"overdue_backlog": series[-1], "weeks": len(series) - 1,
                       "rise": rise, "series": series}  # fmt: skip
            out.append(_alert("overdue_rising", ref, agency_id, figures, rise / max(series[0], 1)))
    return out


def _response_drop(scope: Scope, ref: WeekRef, weekly: pd.DataFrame) -> list[Alert]:
    last_two = sorted(weekly["week_start"].unique())[-2:]
    if len(last_two) < 2 or last_two[-1] != ref.monday:
        return []
    cols = ["agency_id", "n_response_due", "n_response_met", "response_sla_compliance"]
    before = weekly[weekly["week_start"] == last_two[0]][cols]
    now = weekly[weekly["week_start"] == last_two[1]][cols]
    both = now.merge(before, on="agency_id", suffixes=("", "_prev"))
    out = []
    for r in both.to_dict("records"):
        c = _conf(scope, r["agency_id"])
        n0, n1 = int(r["n_response_due_prev"]), int(r["n_response_due"])
        if min(n0, n1) < int(c["response_min_due"]):
            continue
        drop = r["response_sla_compliance_prev"] - r["response_sla_compliance"]
        if drop < float(c["response_min_drop"]):
            continue
        p = proportion_drop_p(int(r["n_response_met_prev"]), n0, int(r["n_response_met"]), n1)
        if p < float(c["response_p_value"]):
            figures = {"now": r["response_sla_compliance"], "before": r["response_sla_compliance_prev"],
                       "n_due": n1, "n_due_before": n0, "p_value": p}  # fmt: skip
            out.append(_alert("response_drop", ref, r["agency_id"], figures, drop))
    return out


def window_scores(wh, ref: WeekRef, window: int, where: dict | None) -> pd.DataFrame:
    """Score, status and obligations per agency on the ``window`` weeks ending with ``ref``
    (``Warehouse.breakdown``: the league's rolling window)."""
    start = ref.shifted(-(window - 1), wh.facts.get("data_as_of")).label
    region = (where or {}).get("region")

    def compute():
        df = wh.breakdown(start, ref.label, "agency_id", where)
        return df[["agency_id", "score", "score_status", "n_obligations"]]

    return cached(wh, ("window_agency", start, ref.label, region), compute)


def _score_fell(scope: Scope, ref: WeekRef, where: dict | None) -> list[Alert]:
    conf = scope.alerts_conf(scope.region, "deteriorating")
    window = int(conf["score_window_weeks"])
    wh = scope.wh
    now = window_scores(wh, ref, window, where)
    before = window_scores(wh, ref.shifted(-1, wh.facts.get("data_as_of")), window, where)
    both = now.merge(before, on="agency_id", suffixes=("", "_prev"))
    out = []
    for r in both.to_dict("records"):
        if is_unassigned(r["agency_id"]) or r["score_status"] not in ("amber", "red"):
            continue
        prev = r["score_status_prev"]
        if prev not in STATUS_ORDER or STATUS_ORDER[r["score_status"]] >= STATUS_ORDER[prev]:
            continue
        c = _conf(scope, r["agency_id"])
        drop = float(r["score_prev"]) - float(r["score"])
        if drop >= float(c["score_min_drop"]) - 1e-9 and r["n_obligations"] >= int(
            c["score_min_obligations"]
        ):
            figures = {"score": float(r["score"]), "before": float(r["score_prev"]),
                       "status": r["score_status"], "status_before": prev,
                       "window_weeks": window, "n_obligations": int(r["n_obligations"])}  # fmt: skip
            out.append(_alert("score_fell", ref, r["agency_id"], figures, drop))
    return out
