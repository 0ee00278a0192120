"""The one data-access boundary of the app: typed functions, each checked against who asks.

Every page reads figures, lists and files only through these functions. Each takes the request
(period, scope) from the page, reads the access principal from one place (``ui.auth.current``:
``st.user`` and the ``app_user`` table, never session state), intersects the request's scope with
the principal's (``kinerja.access.scope_for``: a ``?region=``/``?agency=`` in the URL, a widget or
a crafted call can narrow it, never widen it), and refuses what the role may not see with
``AccessDenied`` (recorded in the audit log; ``ui.layout.guard`` shows it politely). Then it calls
the cached reader of ``ui.warehouse`` (one per ``kpi.Warehouse`` method).

The region the sidebar chose (``ui.state.region_picker`` → ``set_region``) is part of each
request, so no page shows the whole province by forgetting to pass it; like a ``?region=`` it can
only narrow what the principal may see. A request for a region wider than the principal's, or
beside it, is refused, not silently narrowed (a page naming the province must not show one
kab/kota's figures under that name). A KPI call that takes no scope (a city-wide score breakdown)
runs only for a principal whose region holds every region of the database; rows that carry
their agency or region (the league, agencies, loads) are also filtered to the principal's.

Upload, users and the audit log: ``ui.data_admin``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from kinerja import access
from kinerja.access import (
    AGENCY_DETAIL,
    FIGURES,
    LEAGUE,
    REGION_LEAGUE,
    AccessDenied,
    Principal,
)
from kinerja.regions import in_scope
from ui import auth, warehouse
from ui.warehouse import (
    DataUnavailable,
    clear_cache,
    clear_results,
    db_path,
    db_stamp,
    describe_error,
)

__all__ = ["AccessDenied", "DataUnavailable", "clear_cache", "clear_results", "db_path",
           "db_stamp", "describe_error"]  # fmt: skip
_DENIED_KEY = "_kj_audited_denials"
_REGION_STATE = "_kinerja_region"


def principal() -> Principal | None:
    """Who asks (None: nobody may see anything): the one place the boundary reads it from."""
    return auth.current()


def may(kind: str) -> bool:
    """Whether the current principal's role allows ``kind`` (``kinerja.access`` kinds): for
    pages that offer a section only to those who may see it (the boundary checks again)."""
    return access.may(principal(), kind)


def set_region(code: str | None) -> None:
    """The region the sidebar chose (None: none chosen); part of every request below."""
    st.session_state[_REGION_STATE] = code


def current_region() -> str | None:
    """The region the sidebar chose, or None."""
    return st.session_state.get(_REGION_STATE)


def _scope(kind: str, scope: dict | None = None, p: Principal | None = None) -> dict:
    """The request (``scope`` within the sidebar's region; a page may name its own region)
    checked against the principal's scope; ``AccessDenied`` (audited)."""
    region = current_region()
    request = scope if region is None else {"region": region, **(scope or {})}
    return _checked(kind, request, p)


def _checked(kind: str, scope: dict | None, p: Principal | None = None) -> dict:
    """``scope`` intersected with the principal's: never wider (``kinerja.access.scope_for``),
    and a region wider than the principal's refused rather than narrowed."""
    p = p or principal()
    try:
        got = access.scope_for(p, kind, scope)
        asked = (scope or {}).get("region")
        if asked and got.get("region") != asked and not in_scope(asked, got.get("region")):
            raise AccessDenied("outside_region", kind, scope)
        return got
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
    """The settings in force for the reader's region (``kpi.settings.Settings``)."""
    return warehouse.settings(_stamp(), _scope(FIGURES).get("region"))


def info() -> dict:
    """City (or region) name, demo flag, zone, counts, ``data_as_of`` and
    ``last_complete_week``, of the reader's region."""
    region = _scope(FIGURES).get("region")
    out = dict(warehouse.info(_stamp()))
    if region is not None:  # the region's name, zone and count head every page
        own, rows = settings(), warehouse.regions(_stamp())
        mine = rows[[in_scope(c, region) for c in rows["region_code"]]]
        out.update(city_name=own.city_name, timezone=own.timezone, tz_label=own.tz_label)
        out["n_complaints"] = int(mine["n_complaints"].sum())
    return out


def regions():
    """The database's regions the reader may choose (with their complaint counts), and for a
    regional head the province whose region league they may see."""
    p = access.check(principal(), FIGURES)
    frame = warehouse.regions(_stamp())
    if p.region is None:
        return frame
    parent = access.parent_province(p.region) if access.may(p, REGION_LEAGUE) else None
    keep = [access.in_principal_region(p, c) or c == parent for c in frame["region_code"]]
    return frame[keep].reset_index(drop=True)


def region_visible(code: str) -> bool:
    """Whether the reader may see the figures of region ``code`` (the sidebar offers it)."""
    return access.in_principal_region(principal(), code)


def province_code(regions_frame) -> str | None:
    """The province whose kab/kota the database holds (``kpi.region_league.default_parent``)."""
    from kpi.region_league import default_parent

    return default_parent(regions_frame)


def region_league(week: str):
    """The kab/kota of the database's province ranked like agencies (``kpi.region_league``):
    for whom may compare the regions of that province (a governor, their regional heads)."""
    province = province_code(warehouse.regions(_stamp()))
    _checked(REGION_LEAGUE, {"region": province} if province else None)
    return warehouse.region_league(_stamp(), week, province)


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


def league(week: str):
    """The weekly league (``kpi.league.League``) of one government's agencies: the sidebar's
    region, within the reader's."""
    p = principal()
    table = warehouse.league(_stamp(), week, _scope(LEAGUE, None, p).get("region"))
    if p.region is not None:  # the SQL is scoped already; rows of another region never pass
        keep = table.agencies["agency_id"].map(lambda a: _agency_in_region(p, a))
        table.agencies = table.agencies[keep].reset_index(drop=True)
    return table


def agency_scores(start, end, as_of=None):
    """The agency league table of a period: score, status, rank, obligations, metric values."""
    return warehouse.agency_scores(_stamp(), start, end, as_of, _scope(LEAGUE))


def agencies():
    """agency_id, name, region_code of every agency of the reader's region."""
    p = principal()
    frame = warehouse.agencies(_stamp(), _scope(LEAGUE, None, p).get("region"))
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
    """The distinct values of a dimension in the reader's region; agencies only those whose
    details the principal may filter on."""
    values = warehouse.dimension_values(_stamp(), dim, _scope(FIGURES).get("region"))
    return detail_agencies(values) if dim == "agency_id" else values


def score_breakdown(start, end, agency_id: str | None = None):
    """How the score is made: metric, value, target, attainment, weight, share."""
    if agency_id is None:
        _whole_database(FIGURES)
    else:
        agency_id = _scope(AGENCY_DETAIL, {"agency_id": agency_id})["agency_id"]
    return warehouse.score_breakdown(_stamp(), start, end, agency_id)


# ---- complaint rows, downloads, alerts and the brief, the data page: ui/data_rows.py ----------

from ui.data_rows import (  # noqa: E402  (they use the checks above)
    alert_lines,
    brief_download,
    coming_due,
    download,
    fix_first,
    freshness,
    load_history,
    oldest_open,
    quarantine_summary,
)

__all__ += ["alert_lines", "brief_download", "coming_due", "download", "fix_first", "freshness",
            "load_history", "oldest_open", "quarantine_summary"]  # fmt: skip
