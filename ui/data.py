"""The one data-access boundary of the app: typed functions, each checked against who asks.

Every page reads figures, lists and files only through these functions. Each takes the request
(period, scope) from the page, reads the access principal from one place (``ui.auth.current``:
``st.user`` and the ``app_user`` table, never session state), intersects the request's scope with
the principal's (``kinerja.access.scope_for``: a ``?region=``/``?agency=`` in the URL, a widget or
a crafted call can narrow it, never widen it), and refuses what the role may not see with
``AccessDenied`` (recorded in the audit log; ``ui.layout.guard`` shows it politely). Then it calls
the cached reader of ``ui.warehouse`` (one per ``kpi.Warehouse`` method).

A KPI call that takes no scope (a city-wide score breakdown) runs only for a principal whose
region holds every region of the database; rows that carry their agency or region (the league,
agencies, loads) are also filtered to the principal's.

Upload, users and the audit log: ``ui.data_admin``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from kinerja import access
from kinerja.access import (
    AGENCY_DETAIL,
    COMPLAINT_ROWS,
    DATA_OPS,
    DOWNLOAD,
    FIGURES,
    LEAGUE,
    AccessDenied,
    Principal,
)
from ui import auth, warehouse
from ui.warehouse import DataUnavailable, clear_cache, clear_results, db_path, describe_error

__all__ = ["AccessDenied", "DataUnavailable", "clear_cache", "clear_results", "db_path",
           "describe_error"]  # fmt: skip
_DENIED_KEY = "_kj_audited_denials"


def principal() -> Principal | None:
    """Who asks (None: nobody may see anything): the one place the boundary reads it from."""
    return auth.current()


def may(kind: str) -> bool:
    """Whether the current principal's role allows ``kind`` (``kinerja.access`` kinds): for
    pages that offer a section only to those who may see it (the boundary checks again)."""
    return access.may(principal(), kind)


def _scope(kind: str, scope: dict | None = None, p: Principal | None = None) -> dict:
    """The request's scope intersected with the principal's; ``AccessDenied`` (audited)."""
    p = p or principal()
    try:
        return access.scope_for(p, kind, scope)
    except AccessDenied as err:
        denied(err, p)
        raise


def denied(err: AccessDenied, p: Principal | None) -> None:
    """Record a refused request in the audit log, once per session and request."""
    if p is None or p.mode == access.DEMO:
        return
    key = (err.kind, err.reason, tuple(sorted(err.scope.items())))
    seen = st.session_state.setdefault(_DENIED_KEY, set())
    if key in seen:
        return
    try:
        auth.store().log(
            p.actor, p.role, "denied", "denied", err.scope.get("region"),
            err.scope.get("agency_id"), kind=err.kind, reason=err.reason,
            scope={k: str(v) for k, v in err.scope.items()},
        )  # fmt: skip
        seen.add(key)
    except Exception:
        pass  # refused either way


def _whole_database(kind: str, p: Principal | None = None) -> Principal:
    """The principal, when its region holds every region of the database (for KPI calls that
    take no region scope); ``AccessDenied("needs_region_scope")`` otherwise."""
    p = p or principal()
    _scope(kind, None, p)
    if p.region is not None and not access.covers(p, _database_regions()):
        err = AccessDenied("needs_region_scope", kind, {"region": p.region})
        denied(err, p)
        raise err
    return p


def _database_regions() -> set[str]:
    """The regions the database's agencies belong to (every complaint has an agency)."""
    ids = warehouse.agencies(_stamp())["agency_id"]
    return {access.region_of_agency(a) or "" for a in ids}


def _stamp() -> tuple[str, int]:
    return warehouse.db_stamp()


def _kind_of(by: str | None) -> str:
    return LEAGUE if by == "agency_id" else FIGURES


# ---- facts about the database --------------------------------------------------------------


def check_database() -> None:
    """Open the database (no figure returned, so no access check): ``DataUnavailable`` when it
    is missing or cannot be read, which the page says before anything else."""
    warehouse.meta(_stamp())


def settings():
    """The city settings in force (``kpi.settings.Settings``)."""
    _scope(FIGURES)
    return warehouse.settings(_stamp())


def info() -> dict:
    """City name, demo flag, zone, counts, ``data_as_of`` and ``last_complete_week``."""
    _scope(FIGURES)
    return warehouse.info(_stamp())


def weeks():
    """All ISO weeks with data: week, week_start, week_end."""
    _scope(FIGURES)
    return warehouse.weeks(_stamp())


def week_cut(week_end: dt.date) -> dt.datetime:
    """The instant (naive UTC, as the KPI layer takes ``t``) that closes a week ending at local
    midnight ``week_end``, but never after the data's as-of time — the same cut ``summary`` uses,
    so a backlog split by age adds up to the week's backlog tile."""
    facts = info()
    zone = ZoneInfo(facts.get("timezone") or "Asia/Jakarta")
    local_end = dt.datetime.combine(week_end, dt.time(0), zone)
    cut = local_end.astimezone(dt.UTC).replace(tzinfo=None)
    as_of = facts.get("data_as_of")
    if as_of is not None:
        cut = min(cut, pd.Timestamp(as_of).to_pydatetime() + dt.timedelta(microseconds=1))
    return cut


# ---- figures (aggregates) --------------------------------------------------------------------


def summary(start, end, scope: dict | None = None, as_of=None) -> dict:
    """Every metric of KPI.md for a period and scope, plus score and unavailable reasons."""
    return warehouse.summary(_stamp(), start, end, _scope(FIGURES, scope), as_of)


def weekly(start, end, by: str | None = None, scope: dict | None = None):
    """One row per ISO week (× ``by`` group) with every metric and the score."""
    return warehouse.weekly(_stamp(), start, end, by, _scope(_kind_of(by), scope))


def backlog_series(start, end, scope: dict | None = None):
    """Backlog and overdue backlog at each week end."""
    return warehouse.backlog_series(_stamp(), start, end, _scope(FIGURES, scope))


def backlog_ages(t, by: str | None = None, scope: dict | None = None):
    """Backlog at ``t`` split into the KPI.md age buckets."""
    return warehouse.backlog_ages(_stamp(), t, by, _scope(_kind_of(by), scope))


def breakdown(start, end, dim: str, scope: dict | None = None):
    """One row per value of ``dim`` with the metrics."""
    return warehouse.breakdown(_stamp(), start, end, dim, _scope(_kind_of(dim), scope))


def district_metrics(start, end, scope: dict | None = None):
    """Per district: received, backlog, overdue, SLA compliance, per 10k residents."""
    return warehouse.district_metrics(_stamp(), start, end, _scope(FIGURES, scope))


def village_metrics(start, end, scope: dict | None = None):
    """Per village (kelurahan): the same metrics as ``district_metrics``."""
    return warehouse.village_metrics(_stamp(), start, end, _scope(FIGURES, scope))


def services_summary(start, end, scope: dict | None = None) -> dict:
    """The services_* metrics of KPI.md."""
    return warehouse.services_summary(_stamp(), start, end, _scope(FIGURES, scope))


def movers(start, end, dim: str, n: int = 5, scope: dict | None = None):
    """The values of ``dim`` whose received count rose most on the previous period."""
    return warehouse.movers(_stamp(), start, end, dim, n, _scope(FIGURES, scope))


def services_breakdown(start, end, by: str = "service_type", scope: dict | None = None):
    """Service metrics per service type or agency."""
    return warehouse.services_breakdown(_stamp(), start, end, by, _scope(_kind_of(by), scope))


# ---- agencies and the league -----------------------------------------------------------------


def league(week: str, scope: dict | None = None):
    """The weekly league (``kpi.league.League``) of the agencies in the principal's region,
    ranked among themselves."""
    p = principal()
    table = warehouse.league(_stamp(), week, _scope(LEAGUE, scope, p))
    if p.region is not None:  # the SQL is scoped already; rows of another region never pass
        keep = table.agencies["agency_id"].map(lambda a: _agency_in_region(p, a))
        table.agencies = table.agencies[keep].reset_index(drop=True)
    return table


def agencies():
    """agency_id, name of every agency in the principal's region."""
    p = principal()
    _scope(LEAGUE, None, p)
    frame = warehouse.agencies(_stamp())
    if p.region is None:
        return frame
    return frame[frame["agency_id"].map(lambda a: _agency_in_region(p, a))].reset_index(drop=True)


def _agency_in_region(p: Principal, agency_id: str) -> bool:
    return access.in_principal_region(p, access.region_of_agency(agency_id))


def detail_agencies(ids) -> list[str]:
    """Of ``ids``, the agencies whose details (scorecard) the principal may open: an agency
    head's own, everyone else's every agency of their region."""
    p = principal()
    return [a for a in ids if access.agency_visible(p, str(a))]


def home_agency() -> str | None:
    """The agency of an agency head (their scorecard opens on it), else None."""
    p = principal()
    return p.agency if p is not None else None


def resolve_agency(agency_id: str | None) -> str | None:
    """The agency id for an id without its region (a bookmark from before regions)."""
    _scope(FIGURES)
    return warehouse.resolve_agency(_stamp(), agency_id)


def dimension_values(dim: str) -> list[str]:
    """The distinct values of a dimension; agencies only those whose details the principal
    may filter on."""
    _scope(FIGURES)
    values = warehouse.dimension_values(_stamp(), dim)
    return detail_agencies(values) if dim == "agency_id" else values


def score_breakdown(start, end, agency_id: str | None = None):
    """How the score is made: metric, value, target, attainment, weight, share."""
    if agency_id is None:
        _whole_database(FIGURES)
    else:
        agency_id = _scope(AGENCY_DETAIL, {"agency_id": agency_id})["agency_id"]
    return warehouse.score_breakdown(_stamp(), start, end, agency_id)


# ---- complaint rows (titles, lists) and their downloads --------------------------------------


def fix_first(agency_id: str, as_of=None, limit: int | None = None):
    """Every overdue open complaint of an agency at ``as_of``, ordered by what it costs the
    score (``limit``: the first n): for roles that may see complaint lists of that agency."""
    scope = _scope(COMPLAINT_ROWS, {"agency_id": agency_id})
    return warehouse.fix_first(_stamp(), scope["agency_id"], as_of, limit)


def oldest_open(t=None, scope: dict | None = None, limit: int = 20):
    """The oldest complaints still open at ``t`` in the principal's scope (an agency head:
    their agency's)."""
    return warehouse.oldest_open(_stamp(), t, _scope(COMPLAINT_ROWS, scope), limit)


def download(what: str, scope: dict, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download button's data callable for complaint rows: checked now (``DOWNLOAD``), and
    recorded in the audit log when clicked (before the file is made: no record, no file)."""
    p = principal()
    checked = _scope(DOWNLOAD, scope, p)

    def produce() -> bytes:
        if p.mode != access.DEMO:
            auth.store().log(
                p.actor, p.role, "download", "ok", checked.get("region"),
                checked.get("agency_id"), what=what,
            )  # fmt: skip
        return make()

    return produce


# ---- the data page ---------------------------------------------------------------------------


def freshness():
    """Per source: last_loaded_at, data_as_of, n_rows of the principal's region."""
    return warehouse.freshness(_stamp(), _scope(FIGURES).get("region"))


def load_history(limit: int = 50):
    """The latest loads of the principal's region, newest first."""
    p = principal()
    _scope(DATA_OPS, None, p)
    loads = warehouse.load_history(_stamp(), limit)
    if p.region is None:
        return loads
    mine = loads["region_code"].map(lambda r: access.in_principal_region(p, r))
    return loads[mine].reset_index(drop=True)


def quarantine_summary():
    """Quarantined rows per source and reason, of the principal's region."""
    return warehouse.quarantine_summary(_stamp(), _scope(DATA_OPS).get("region"))
