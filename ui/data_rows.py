"""The boundary's complaint rows and files, alerts, the brief and the data page's load log.

Part of the one data-access boundary (``ui.data`` re-exports every function here; pages call
``data.fix_first(...)`` as before): each call is checked with ``ui.data``'s principal and scope
rules. Lists of complaints (titles) go to roles that may see them, an agency head's only of their
agency; a download or a brief with lists is checked while the page is drawn and recorded in the
audit log when clicked, before the file is made.
"""

from __future__ import annotations

from collections.abc import Callable

from kinerja import access
from kinerja.access import (
    AGENCY_DETAIL,
    COMPLAINT_ROWS,
    DATA_OPS,
    DOWNLOAD,
    FIGURES,
    LEAGUE,
)
from kinerja.regions import in_scope
from ui import auth, warehouse
from ui.data import _scope, _stamp, principal


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
    """The latest loads of the reader's region, newest first (a load without a region, from a
    database of before regions, only for a reader of every region)."""
    region = _scope(DATA_OPS).get("region")
    loads = warehouse.load_history(_stamp(), limit)
    if region is None:
        return loads
    return loads[[in_scope(r, region) for r in loads["region_code"]]].reset_index(drop=True)


def quarantine_summary():
    """Quarantined rows per source and reason, of the principal's region."""
    return warehouse.quarantine_summary(_stamp(), _scope(DATA_OPS).get("region"))


# ---- alerts and the brief (kpi.alerts, kpi.brief) --------------------------------------------


def alert_lines(week: str, lang: str, agency: str | None = None) -> list[dict]:
    """The week's alerts (of one agency) in words: family, rule, page, link params, text."""
    kind = AGENCY_DETAIL if agency else LEAGUE
    scope = _scope(kind, {"agency_id": agency} if agency else None)
    return warehouse.alert_lines(_stamp(), week, scope.get("agency_id"), lang, scope.get("region"))


def coming_due(week: str, agency: str):
    """An agency's complaints whose resolution deadline falls in the next working days."""
    checked = _scope(COMPLAINT_ROWS, {"agency_id": agency})
    return warehouse.coming_due(_stamp(), week, checked["agency_id"])


def brief_download(week: str, agency: str | None, lang: str) -> Callable[[], bytes]:
    """The "Unduh PDF" button's data: the week's brief of the reader's region, or of an agency
    (whose brief lists complaints: a download of complaint rows, audited on click). Checked now;
    the PDF is made on the click, outside the page's run."""
    stamp = _stamp()
    if agency:
        checked = _scope(DOWNLOAD, {"agency_id": agency})
        return download(
            f"brief-{week}-{checked['agency_id']}.pdf", checked,
            lambda: warehouse.brief_pdf(stamp, week, checked["agency_id"], lang, None),
        )  # fmt: skip
    region = _scope(LEAGUE).get("region")
    return lambda: warehouse.brief_pdf(stamp, week, None, lang, region)
