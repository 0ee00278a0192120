"""Who may see and do what: roles, the access principal, and scope intersection (no Streamlit).

Why a pure module: the rules are the product's security boundary, so they are plain functions
tested for every role × every kind of data (``tests/test_access.py``), and ``ui/data.py`` applies
them to every request below the pages. The identity provider only says who someone is
(``st.user``); what they may do is Kinerja's decision, from the ``app_user`` table
(``kinerja.accessdb``), deny by default.

A principal's ``region`` is a Kemendagri code or None (every region); a request's scope is
intersected with it (``kinerja.regions.in_scope``: a province covers its kab/kota), never widened.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from kinerja.regions import in_scope

ROLES = ("governor", "regional_head", "agency_head", "operator", "viewer", "admin")

# Kinds of data and actions a request asks for.
FIGURES = "figures"  # aggregate figures of a region: tiles, trends, maps, breakdowns
LEAGUE = "league"  # the agency league and per-agency aggregates
AGENCY_DETAIL = "agency_detail"  # one agency's figures (its scorecard)
COMPLAINT_ROWS = "complaint_rows"  # complaint titles and lists (what to fix first, oldest open)
DOWNLOAD = "download"  # files of complaint rows
DATA_OPS = "data_ops"  # load history and quarantine of the data page
UPLOAD = "upload"  # loading an export through the browser
REGION_LEAGUE = "region_league"  # kab/kota compared within their province
USERS = "users"  # managing app_user
AUDIT = "audit"  # reading the audit log
KINDS = (FIGURES, LEAGUE, AGENCY_DETAIL, COMPLAINT_ROWS, DOWNLOAD, DATA_OPS, UPLOAD,
         REGION_LEAGUE, USERS, AUDIT)  # fmt: skip

_READ = {FIGURES, LEAGUE, AGENCY_DETAIL}
GRANTS: dict[str, frozenset[str]] = {
    "governor": frozenset(_READ | {COMPLAINT_ROWS, DOWNLOAD, DATA_OPS, REGION_LEAGUE}),
    "regional_head": frozenset(_READ | {COMPLAINT_ROWS, DOWNLOAD, DATA_OPS, REGION_LEAGUE}),
    "agency_head": frozenset(_READ | {COMPLAINT_ROWS, DOWNLOAD}),
    "operator": frozenset(_READ | {DATA_OPS, UPLOAD}),
    "viewer": frozenset(_READ),
    "admin": frozenset(KINDS),
}

# How a principal came to be: signed in through the identity provider, the demo database opened
# without sign-in, or a request from the same machine without an identity provider configured.
USER, DEMO, LOCAL = "user", "demo", "local"


@dataclass(frozen=True)
class Principal:
    """Who is asking: e-mail (empty without sign-in), role, region scope, agency, how."""

    email: str
    role: str
    region: str | None = None  # None: every region
    agency: str | None = None  # the agency of an agency_head
    mode: str = USER

    @property
    def actor(self) -> str:
        """The name the audit log records: the e-mail, or ``demo``/``local``."""
        return self.email or self.mode


DEMO_PRINCIPAL = Principal("", "governor", None, None, DEMO)
LOCAL_PRINCIPAL = Principal("", "admin", None, None, LOCAL)


class AccessDenied(Exception):
    """A request the principal may not make; ``reason`` is a code the app translates
    (catalogue ``access.denied.<reason>``) and the audit log records."""

    def __init__(self, reason: str, kind: str, scope: Mapping | None = None):
        self.reason = reason
        self.kind = kind
        self.scope = dict(scope or {})
        super().__init__(f"{kind}: {reason} {self.scope}".strip())


def may(p: Principal | None, kind: str) -> bool:
    """Whether the principal's role allows ``kind`` at all (scope aside)."""
    return p is not None and kind in GRANTS.get(p.role, frozenset())


def check(p: Principal | None, kind: str, scope: Mapping | None = None) -> Principal:
    """The principal, when it may ask for ``kind``; else ``AccessDenied``."""
    if p is None:
        raise AccessDenied("not_signed_in", kind, scope)
    if not may(p, kind):
        raise AccessDenied("role_cannot", kind, scope)
    return p


def parent_province(code: str | None) -> str | None:
    """The province code of a kab/kota code (``33.74`` → ``33``); None for a province."""
    return code.split(".", 1)[0] if code and "." in code and code[:2].isdigit() else None


def region_of_agency(agency_id: str | None) -> str | None:
    """The region an agency id carries (``33.74:dinas-pu`` → ``33.74``); None without one."""
    if not agency_id or ":" not in agency_id:
        return None
    return agency_id.split(":", 1)[0]


def effective_region(p: Principal, kind: str, requested: str | None) -> str | None:
    """The intersection of the requested region with the principal's: the narrower of the two;
    ``AccessDenied("outside_region")`` when they do not overlap. A regional head may compare
    the regions of their own province (``REGION_LEAGUE``), not see inside them."""
    mine = p.region
    if requested is None or requested == "":
        return mine
    if mine is None or in_scope(requested, mine):
        return requested
    if in_scope(mine, requested):
        if kind == REGION_LEAGUE and p.role == "regional_head":
            return requested if requested == parent_province(mine) else mine
        return mine  # a wider request is narrowed to the principal's region
    raise AccessDenied("outside_region", kind, {"region": requested})


def scope_for(p: Principal | None, kind: str, scope: Mapping | None = None) -> dict:
    """The scope a request may run with: ``scope`` (region, agency_id, category, district,
    channel) intersected with the principal's, so it can never be widened; raises
    ``AccessDenied`` for a role that may not see ``kind`` or a scope outside the principal's.

    An agency filter makes a request an agency's details: an agency head may only name their
    own agency, and a complaint list or download of an agency head is always their agency's.
    """
    scope = {k: v for k, v in dict(scope or {}).items() if v not in (None, "")}
    asked = {k: v for k, v in scope.items()}
    agency = scope.get("agency_id")
    if agency:
        kind = AGENCY_DETAIL if kind in (FIGURES, LEAGUE) else kind
    p = check(p, kind, asked)
    region = effective_region(p, kind, scope.get("region"))
    if region is not None:
        scope["region"] = region
    if p.role == "agency_head" and p.agency:
        if agency and agency != p.agency:
            raise AccessDenied("other_agency", kind, asked)
        if kind in (COMPLAINT_ROWS, DOWNLOAD):
            scope["agency_id"] = p.agency
    if agency and region is not None:
        own = region_of_agency(agency)
        if own is not None and not in_scope(own, region):
            raise AccessDenied("outside_region", kind, asked)
    return scope


def agency_visible(p: Principal | None, agency_id: str, kind: str = AGENCY_DETAIL) -> bool:
    """Whether the principal may see ``kind`` (details, lists) of ``agency_id``."""
    try:
        scope_for(p, kind, {"agency_id": agency_id})
    except AccessDenied:
        return False
    return True


def in_principal_region(p: Principal | None, region_code: str | None) -> bool:
    """Whether a row of ``region_code`` lies in the principal's region."""
    return p is not None and in_scope(region_code, p.region)


def covers(p: Principal | None, region_codes: Iterable[str]) -> bool:
    """Whether the principal's region holds every one of ``region_codes`` (a database's)."""
    return p is not None and all(in_scope(code, p.region) for code in region_codes)


# ---- requests from the same machine (no identity provider configured) ----------------------

PROXY_HEADERS = ("x-forwarded-for", "x-forwarded-host", "x-real-ip", "forwarded", "via")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _loopback_host(host: str | None) -> bool:
    if not host:
        return False
    name = host.strip().strip("[]").lower().rstrip(".")
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_of(value: str) -> str | None:
    try:
        return urlsplit(value if "//" in value else f"//{value}").hostname
    except ValueError:
        return None


def is_local_request(ip: str | None, headers: Mapping[str, str] | None) -> bool:
    """Whether a browser session comes from this machine, by its request, not by trust.

    Local: the connection's address is loopback (Streamlit reports None for 127.0.0.1/::1), the
    request names a loopback host, any Origin is loopback too, and no proxy header is present
    (behind a reverse proxy every connection is loopback, but the Host/Origin the browser used,
    or the proxy's forwarding headers, are not). No headers at all (no browser request: tests,
    bare runs) is not local.
    """
    if ip is not None and not _loopback_host(ip):
        return False
    h = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    if not h or any(name in h for name in PROXY_HEADERS):
        return False
    if not _loopback_host(_host_of(h.get("host", ""))):
        return False
    origin = h.get("origin")
    return origin is None or _loopback_host(_host_of(origin))


# ---- who signed in ---------------------------------------------------------------------------

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(value: object) -> str:
    """E-mail addresses compare case-insensitively, without surrounding space."""
    return str(value or "").strip().lower()


def signed_in_email(
    user: Mapping, email_claim: str = "email", allowed_domains: Iterable[str] = ()
) -> tuple[str | None, str | None]:
    """(e-mail, None) of a signed-in identity, or (None, reason code) when it cannot be used:
    not signed in, no e-mail claim, an e-mail the provider says it has not verified, or a domain
    outside ``allowed_domains`` (when given)."""
    if user.get("is_logged_in") is not True:
        return None, "not_signed_in"
    email = normalise_email(user.get(email_claim))
    if not EMAIL_RE.match(email):
        return None, "no_email"
    if user.get("email_verified") is False:
        return email, "unverified_email"
    domains = {normalise_email(d).lstrip("@") for d in allowed_domains}
    if domains and email.rsplit("@", 1)[1] not in domains:
        return email, "domain_not_allowed"
    return email, None
