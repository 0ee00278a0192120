"""What needs attention in a week ("Perlu perhatian"): the four alert families of issue 13.

1. ``spike``: complaints of a category in a district, a channel or the whole region far above
   that cell's own recent baseline (Poisson upper tail, minimum count) — ``kpi.alerts.spikes``;
2. ``deteriorating``: an agency whose overdue backlog rose several weeks in a row, whose score
   fell into amber or red, or whose response SLA compliance dropped sharply — ``.agencies``;
3. ``coming_due``: complaints whose resolution deadline falls in the next working days, per
   agency (what an agency head can still save) — ``.due``;
4. ``stale``: a source with no fresh export for longer than its usual interval — ``.stale``.

Every rule, threshold and reason is in the glossary (``kpi.definitions.ALERTS``) and every
threshold is a setting (``[alerts.*]`` in ``config/cities/default.toml``), resolved per region
with ``Settings.for_region``. Figures come from the KPI layer (``Warehouse`` methods); the only
query of its own counts the ``received`` metric per cell (see ``spikes``), and a test checks it
adds up to ``Warehouse.weekly``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd

from kpi.calendar import local_to_utc
from kpi.periods import ONE_MICROSECOND, week_label, week_monday

FAMILIES = ("spike", "deteriorating", "coming_due", "stale")
# the app page that explains an alert (ui maps these keys to page files)
PAGES = {"spike": "explore", "deteriorating": "scorecard", "coming_due": "scorecard",
         "stale": "data"}  # fmt: skip


@dataclass(frozen=True)
class Alert:
    """One alert of one week: which rule fired, for what, with the figures behind it."""

    family: str  # spike | deteriorating | coming_due | stale
    rule: str  # a key of kpi.definitions.ALERTS
    week: str
    region_code: str | None
    agency_id: str | None = None
    subject: dict = field(default_factory=dict)  # category/district/channel/source it is about
    figures: dict = field(default_factory=dict)  # the numbers the sentence quotes
    strength: float = 0.0  # for ordering within a family: larger is more urgent

    @property
    def page(self) -> str:
        return PAGES[self.family]

    @property
    def key(self) -> str:
        """A stable identity (the same alert in a rerun has the same key)."""
        parts = [self.rule, self.week, self.region_code or "", self.agency_id or ""]
        parts += [f"{k}={v}" for k, v in sorted(self.subject.items())]
        return "|".join(parts)

    def link_params(self) -> dict:
        """The query parameters of the app page that explains it (see ``PAGES``)."""
        out = {"week": self.week}
        if self.family == "spike":
            out |= {f"x_{k}": v for k, v in self.subject.items() if v is not None}
        elif self.agency_id:
            out["agency"] = self.agency_id
        return out

    def to_dict(self) -> dict:
        out = asdict(self)
        out["page"], out["key"] = self.page, self.key
        return out


@dataclass(frozen=True)
class WeekRef:
    """One ISO week in a zone: its label, local dates and the instants figures are cut at."""

    label: str
    monday: date
    end: date  # the next Monday (local)
    end_utc: datetime  # local Monday 00:00 after the week, naive UTC
    cut: datetime  # min(end_utc, data as-of + 1 µs): what the week's figures can see
    timezone: str

    def shifted(self, weeks: int, data_as_of: datetime | None = None) -> WeekRef:
        """The week ``weeks`` later (negative: earlier)."""
        return week_ref(week_label(self.monday + timedelta(weeks=weeks)), self.timezone,
                        data_as_of)  # fmt: skip


def week_ref(label: str, timezone: str, data_as_of: datetime | None = None) -> WeekRef:
    """The WeekRef of an ISO week label in ``timezone``; ``cut`` stops at the data's as-of."""
    monday = week_monday(label)
    end = monday + timedelta(days=7)
    end_utc = local_to_utc(end, time(0), ZoneInfo(timezone))
    cut = end_utc
    if data_as_of is not None and data_as_of < end_utc:
        cut = max(data_as_of + ONE_MICROSECOND, local_to_utc(monday, time(0), ZoneInfo(timezone)))
    return WeekRef(week_label(monday), monday, end, end_utc, cut, timezone)


class Scope:
    """The region an alert run covers and the settings of each region in it (cached)."""

    def __init__(self, wh, region: str | None):
        self.wh = wh
        self.region = region
        self.settings = wh.settings.for_region(region) if region else wh.settings
        self._for = lru_cache(maxsize=None)(self._settings_of)

    def _settings_of(self, code: str | None):
        try:
            return self.wh.settings.for_region(code) if code else self.wh.settings
        except Exception:  # a region code the registry does not know: the database's settings
            return self.wh.settings

    def alerts_conf(self, code: str | None, family: str) -> dict:
        """The ``[alerts.<family>]`` settings in force for region ``code``."""
        return dict(self._for(code).raw.get("alerts", {}).get(family, {}))

    def week(self, label: str) -> WeekRef:
        return week_ref(label, self.settings.timezone, self.wh.facts.get("data_as_of"))


def cached(wh, key: tuple, compute):
    """``compute()`` once per open Warehouse and key: the briefs of one week share the league's
    windows and the agencies' weekly figures with the alert rules (a few hundred entries kept)."""
    store = wh.facts.setdefault("alert_cache", OrderedDict())
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > 256:
        store.popitem(last=False)
    return value


def region_of(agency_id: str | None) -> str | None:
    """The region part of an agency id (``33.74:dinas-pu`` → ``33.74``)."""
    if not agency_id or ":" not in agency_id:
        return None
    return agency_id.split(":", 1)[0]


def is_unassigned(agency_id: str | None) -> bool:
    """The pseudo-agency of complaints never disposed (not an agency to alert about)."""
    from kpi.league import is_unassigned as undisposed

    return isinstance(agency_id, str) and undisposed(agency_id)


def real_agencies(df, column: str = "agency_id"):
    """The rows of ``df`` that name an agency (not the undisposed pseudo-agency, not empty)."""
    keep = [isinstance(a, str) and not is_unassigned(a) for a in df[column]]
    return df.loc[pd.Series(keep, index=df.index, dtype=bool)]


def week_alerts(wh, week: str, region: str | None = None, agency: str | None = None,
                families=FAMILIES) -> list[Alert]:  # fmt: skip
    """Every alert of ``week`` in ``region`` (None: the whole database), ordered by family and
    urgency; with ``agency``, only that agency's (its own deteriorating and coming-due alerts,
    and the spikes it received most of)."""
    from kpi.alerts import agencies, due, spikes, stale

    scope = Scope(wh, region)
    ref = scope.week(week)
    runs = {"spike": spikes.find, "deteriorating": agencies.find, "coming_due": due.find,
            "stale": stale.find}  # fmt: skip
    out: list[Alert] = []
    for family in FAMILIES:
        if family in families:
            out += runs[family](scope, ref)
    if agency:
        wanted = wh.resolve_agency(agency) or agency
        out = [a for a in out if a.agency_id == wanted]
    order = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(out, key=lambda a: (order[a.family], -a.strength, a.key))
