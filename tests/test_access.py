"""The permission rules of kinerja.access: every role × every kind of data, scope intersection
(a URL's region or agency can narrow a request, never widen it), same-machine requests and the
signed-in identity. Pure functions: no Streamlit, no database."""

from __future__ import annotations

import pytest

from kinerja import access
from kinerja.access import (
    AGENCY_DETAIL,
    AUDIT,
    COMPLAINT_ROWS,
    DATA_OPS,
    DOWNLOAD,
    FIGURES,
    KINDS,
    LEAGUE,
    REGION_LEAGUE,
    UPLOAD,
    USERS,
    AccessDenied,
    Principal,
)

PU = "33.74:dinas-pekerjaan-umum"
HEALTH = "33.74:dinas-kesehatan"
CILACAP_PU = "33.01:dinas-pekerjaan-umum"
PEOPLE = {
    "governor": Principal("gub@jatengprov.go.id", "governor", "33"),
    "regional_head": Principal("walikota@semarangkota.go.id", "regional_head", "33.74"),
    "agency_head": Principal("kadis@semarangkota.go.id", "agency_head", "33.74", PU),
    "operator": Principal("operator@semarangkota.go.id", "operator", "33.74"),
    "viewer": Principal("tamu@semarangkota.go.id", "viewer", "33.74"),
    "admin": Principal("admin@jatengprov.go.id", "admin", None),
}
Y, N = True, False
# role: what each kind gives (the table), in the order of KINDS:
#        figures league detail rows  download data_ops upload region_league users audit
GRANTS = {
    "governor": (Y, Y, Y, Y, Y, Y, N, Y, N, N),
    "regional_head": (Y, Y, Y, Y, Y, Y, N, Y, N, N),
    "agency_head": (Y, Y, Y, Y, Y, N, N, N, N, N),
    "operator": (Y, Y, Y, N, N, Y, Y, N, N, N),
    "viewer": (Y, Y, Y, N, N, N, N, N, N, N),
    "admin": (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
}
CASES = [
    (role, kind, allowed)
    for role, row in GRANTS.items()
    for kind, allowed in zip(KINDS, row, strict=True)
]


def test_kinds_are_the_table_columns():
    assert KINDS == (FIGURES, LEAGUE, AGENCY_DETAIL, COMPLAINT_ROWS, DOWNLOAD, DATA_OPS, UPLOAD,
                     REGION_LEAGUE, USERS, AUDIT)  # fmt: skip
    assert set(GRANTS) == set(access.ROLES)


@pytest.mark.parametrize(("role", "kind", "allowed"), CASES)
def test_every_role_and_kind(role, kind, allowed):
    """The home request of each role (its own region, and its agency for an agency head) is
    allowed exactly when the table says so; otherwise refused as role_cannot."""
    p = PEOPLE[role]
    scope = {"agency_id": PU} if kind == AGENCY_DETAIL else None
    assert access.may(p, kind) is allowed
    if allowed:
        got = access.scope_for(p, kind, scope)
        expected = {} if p.region is None else {"region": p.region}
        if kind == AGENCY_DETAIL or (role == "agency_head" and kind in (COMPLAINT_ROWS, DOWNLOAD)):
            expected["agency_id"] = PU
        assert got == expected
    else:
        with pytest.raises(AccessDenied) as err:
            access.scope_for(p, kind, scope)
        assert (err.value.reason, err.value.kind) == ("role_cannot", kind)


@pytest.mark.parametrize("kind", KINDS)
def test_nobody_signed_in_sees_nothing(kind):
    assert access.may(None, kind) is False
    with pytest.raises(AccessDenied) as err:
        access.scope_for(None, kind)
    assert err.value.reason == "not_signed_in"


@pytest.mark.parametrize("role", [r for r in GRANTS if r not in ("governor", "admin")])
@pytest.mark.parametrize("kind", [FIGURES, LEAGUE, COMPLAINT_ROWS, DATA_OPS, UPLOAD])
def test_another_kab_kota_is_refused(role, kind):
    """?region=33.01 for someone of 33.74: refused, whatever the kind."""
    p = PEOPLE[role]
    if not access.may(p, kind):
        return
    with pytest.raises(AccessDenied) as err:
        access.scope_for(p, kind, {"region": "33.01"})
    assert err.value.reason == "outside_region"
    with pytest.raises(AccessDenied) as err:
        access.scope_for(p, kind, {"agency_id": CILACAP_PU})
    assert err.value.reason in ("outside_region", "other_agency")


@pytest.mark.parametrize("kind", [FIGURES, LEAGUE, COMPLAINT_ROWS, DOWNLOAD, DATA_OPS])
def test_a_province_covers_its_kab_kota(kind):
    gov = PEOPLE["governor"]
    assert access.scope_for(gov, kind, {"region": "33.01"}) == {"region": "33.01"}
    assert access.scope_for(gov, kind, {"agency_id": CILACAP_PU}) == {
        "region": "33",
        "agency_id": CILACAP_PU,
    }
    with pytest.raises(AccessDenied):
        access.scope_for(gov, kind, {"region": "35.78"})  # Surabaya: another province
    with pytest.raises(AccessDenied):
        access.scope_for(gov, kind, {"region": "3"})  # not a parent of 33: no prefix games


@pytest.mark.parametrize("role", ["regional_head", "operator", "viewer", "agency_head"])
def test_a_wider_region_is_narrowed_to_the_principals(role):
    """?region=33 (the province) for someone of 33.74 gives 33.74's figures, never the province's."""
    assert access.scope_for(PEOPLE[role], FIGURES, {"region": "33"})["region"] == "33.74"


def test_a_regional_head_compares_the_regions_of_their_province_only():
    head = PEOPLE["regional_head"]
    assert access.scope_for(head, REGION_LEAGUE, {"region": "33"}) == {"region": "33"}
    assert access.scope_for(head, REGION_LEAGUE, None) == {"region": "33.74"}
    with pytest.raises(AccessDenied):
        access.scope_for(head, REGION_LEAGUE, {"region": "35"})
    # the league of regions, not their complaint lists
    with pytest.raises(AccessDenied):
        access.scope_for(head, COMPLAINT_ROWS, {"region": "33.01"})


def test_an_agency_head_sees_the_league_but_details_and_lists_of_their_agency_only():
    head = PEOPLE["agency_head"]
    assert access.scope_for(head, LEAGUE, None) == {"region": "33.74"}  # every agency's score
    assert access.scope_for(head, FIGURES, {"category": "Jalan"}) == {
        "region": "33.74",
        "category": "Jalan",
    }  # city figures
    for kind in (FIGURES, LEAGUE, AGENCY_DETAIL, COMPLAINT_ROWS, DOWNLOAD):
        with pytest.raises(AccessDenied) as err:
            access.scope_for(head, kind, {"agency_id": HEALTH})
        assert err.value.reason == "other_agency"
        assert err.value.kind == (AGENCY_DETAIL if kind in (FIGURES, LEAGUE) else kind)
    # a list without an agency is their agency's list
    assert access.scope_for(head, COMPLAINT_ROWS, {"district": "Tugu"}) == {
        "region": "33.74",
        "agency_id": PU,
        "district": "Tugu",
    }
    assert access.agency_visible(head, PU) and not access.agency_visible(head, HEALTH)


def test_everyone_else_sees_the_details_of_every_agency_of_their_region():
    for role in ("governor", "regional_head", "operator", "viewer", "admin"):
        p = PEOPLE[role]
        assert access.agency_visible(p, HEALTH), role
        assert access.agency_visible(p, CILACAP_PU) is (role in ("governor", "admin")), role


def test_empty_values_in_a_request_never_widen_it():
    viewer = PEOPLE["viewer"]
    assert access.scope_for(viewer, FIGURES, {"region": "", "agency_id": None}) == {
        "region": "33.74"
    }


def test_demo_and_local_principals():
    assert access.DEMO_PRINCIPAL.role == "governor" and access.DEMO_PRINCIPAL.region is None
    assert not access.may(access.DEMO_PRINCIPAL, UPLOAD)
    assert not access.may(access.DEMO_PRINCIPAL, USERS)
    assert access.may(access.LOCAL_PRINCIPAL, USERS)
    assert access.LOCAL_PRINCIPAL.actor == "local"


def test_covers_every_region_of_a_database():
    assert access.covers(PEOPLE["regional_head"], {"33.74"})
    assert not access.covers(PEOPLE["regional_head"], {"33", "33.74", "33.01"})
    assert access.covers(PEOPLE["governor"], {"33", "33.74", "33.01"})
    assert access.covers(PEOPLE["admin"], {"33", "35.78"})
    assert not access.covers(None, {"33"})


# ---- the same machine ------------------------------------------------------------------------

LOCAL = {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}


@pytest.mark.parametrize(
    ("ip", "headers", "local"),
    [
        (None, LOCAL, True),
        (None, {"Host": "localhost:8501", "Origin": "http://localhost:8501"}, True),
        (None, {"host": "[::1]:8501"}, True),
        ("127.0.0.1", LOCAL, True),
        ("10.1.2.3", LOCAL, False),  # another machine
        (None, {}, False),  # no browser request at all (tests, bare runs): not proven local
        (None, None, False),
        (None, {"Host": "kinerja.semarangkota.go.id"}, False),  # a proxy passing the host
        (None, {"Host": "127.0.0.1:8501", "Origin": "https://kinerja.go.id"}, False),
        (None, {**LOCAL, "X-Forwarded-For": "36.66.1.2"}, False),  # a reverse proxy
        (None, {**LOCAL, "Forwarded": "for=36.66.1.2"}, False),
        (None, {**LOCAL, "X-Real-IP": "36.66.1.2"}, False),
        (None, {"Host": "127.0.0.1.evil.example:8501"}, False),
    ],
)
def test_is_local_request(ip, headers, local):
    assert access.is_local_request(ip, headers) is local


# ---- who signed in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"is_logged_in": True, "email": " Gub@JatengProv.go.id "}, ("gub@jatengprov.go.id", None)),
        ({"is_logged_in": True, "email": "a@b.id", "email_verified": True}, ("a@b.id", None)),
        (
            {"is_logged_in": True, "email": "a@b.id", "email_verified": False},
            ("a@b.id", "unverified_email"),
        ),  # fmt: skip
        ({"is_logged_in": False, "email": "a@b.id"}, (None, "not_signed_in")),
        ({"email": "test@example.com"}, (None, "not_signed_in")),  # no sign-in configured
        ({"is_logged_in": "true", "email": "a@b.id"}, (None, "not_signed_in")),
        ({"is_logged_in": True}, (None, "no_email")),
        ({"is_logged_in": True, "email": "not an address"}, (None, "no_email")),
    ],
)
def test_signed_in_email(user, expected):
    assert access.signed_in_email(user) == expected


def test_email_claim_and_allowed_domains():
    entra = {"is_logged_in": True, "preferred_username": "Kadis@SemarangKota.go.id"}
    assert access.signed_in_email(entra) == (None, "no_email")
    assert access.signed_in_email(entra, "preferred_username") == ("kadis@semarangkota.go.id", None)
    ok = access.signed_in_email(entra, "preferred_username", ["semarangkota.go.id"])
    assert ok == ("kadis@semarangkota.go.id", None)
    other = {"is_logged_in": True, "email": "x@gmail.com"}
    assert access.signed_in_email(other, allowed_domains=["@semarangkota.go.id"]) == (
        "x@gmail.com",
        "domain_not_allowed",
    )
