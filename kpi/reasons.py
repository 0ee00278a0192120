"""Reason codes: why a figure is missing ("–"), why an agency is not ranked, why a rank change or
a default week is what it is.

The KPI layer returns these codes, never prose, so that the app can say why in the reader's
language (its catalogue has one entry ``reason.<code>`` per code, checked by a test) and scripts
can test for them. The English sentence beside each code documents it; ``describe`` gives it to
command-line users.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # a metric without a value (Warehouse.summary()["unavailable"])
    "no_complaints": "no complaints in this scope",
    "no_response_times": (
        "the source(s) in scope do not report first-response times (e.g. LAPOR!, Boston 311)"
    ),
    "no_closing_times": (
        "the source(s) in scope do not report closing times (e.g. SP4N-LAPOR!); a closing time"
        " estimated from the weekly exports is not precise enough here"
    ),
    "no_ratings": "the source(s) in scope do not collect satisfaction ratings (e.g. Boston 311)",
    "no_status_history": (
        "the source(s) in scope do not report closing times and no export shows when these"
        " complaints closed (no status history)"
    ),
    "services_no_category": "service applications have no complaint category",
    "no_scored_metric": "none of the scored metrics has a value in this period",
    "zero_denominator": "zero denominator: nothing to count in this period",
    # the league (Warehouse.league)
    "few_obligations": "fewer obligations due in the ranking window than the minimum for a rank",
    "not_ranked": "the agency is not ranked this week",
    "not_ranked_before": "the agency was not ranked in the previous week's league",
    "no_previous_week": "the data has no week before this one",
    # the default week (Warehouse.info()["default_week_reason"])
    "latest_working_days_in": (
        "the latest week with data: its working days (Monday to Friday) are all in the data"
    ),
    "latest_too_early": (
        "the last complete week: the latest week has data for less than its working days"
    ),
}


def describe(code: str | None) -> str | None:
    """The English sentence for a reason code (the code itself when unknown)."""
    if code is None:
        return None
    return REASONS.get(code, code)
