"""Who is using the app: sign-in through the identity provider, then Kinerja's own decision.

Sign-in is Streamlit's OpenID Connect support (``st.login``/``st.user``/``st.logout``, configured
by ``[auth]`` in ``.streamlit/secrets.toml``; docs/SIGN_IN.md): no password or cookie of our own.
The signed-in e-mail is looked up in ``app_user`` (``kinerja.accessdb``) on every script run, so
a disabled user loses access at their next click; unknown or inactive is denied (deny by default).

Without ``[auth]`` the app opens without sign-in only on the demo database (synthetic data) or
for a request from the same machine (``kinerja.access.is_local_request``; off with
``KINERJA_LOCAL_ACCESS=off``); anyone else gets a page saying how to configure sign-in.

The principal is computed from ``st.user`` and the store on each call, never kept in session
state, so nothing a browser sends can change it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from kinerja import access
from kinerja.access import DEMO_PRINCIPAL, LOCAL_PRINCIPAL, Principal
from kinerja.accessdb import AccessStore
from kinerja.regions import get as region
from ui import warehouse
from ui.i18n import t

_SIGNED_IN_KEY = "_kj_audited_sign_in"


@dataclass(frozen=True)
class Verdict:
    """The principal of this request, or why there is none (a code: ``access.gate.<reason>``)."""

    principal: Principal | None
    reason: str | None = None
    email: str | None = None


def _secrets(section: str) -> dict:
    """A section of ``.streamlit/secrets.toml`` as a dict ({} without the file or section)."""
    try:
        found = st.secrets.get(section)
    except Exception:  # no secrets file at all
        return {}
    return dict(found) if found else {}


def auth_configured() -> bool:
    """Whether sign-in is configured (``[auth]`` in the secrets)."""
    return bool(_secrets("auth"))


def options() -> dict:
    """Kinerja's own sign-in options (``[kinerja]`` in the secrets; docs/SIGN_IN.md)."""
    return _secrets("kinerja")


def providers() -> list[str]:
    """The named providers (``[auth.NAME]``); [] when ``[auth]`` itself names one."""
    auth = _secrets("auth")
    return [] if "client_id" in auth else sorted(k for k, v in auth.items() if hasattr(v, "keys"))


def store() -> AccessStore:
    """The access store beside the database writers use (``<db>.access.sqlite``)."""
    return AccessStore()


def local_allowed() -> bool:
    return os.environ.get("KINERJA_LOCAL_ACCESS", "").strip().lower() not in ("off", "0", "no")


def resolve() -> Verdict:
    """Who is asking, by the rules in the module docstring."""
    if auth_configured():
        return _signed_in()
    if is_open_demo():
        return Verdict(DEMO_PRINCIPAL)
    if local_allowed() and access.is_local_request(st.context.ip_address, st.context.headers):
        return Verdict(LOCAL_PRINCIPAL)
    return Verdict(None, "no_sign_in")


def _signed_in() -> Verdict:
    opts = options()
    email, why = access.signed_in_email(
        st.user.to_dict(), opts.get("email_claim", "email"), opts.get("allowed_domains", ())
    )
    if why:
        return Verdict(None, why, email)
    try:
        user = store().user(email)
    except Exception:  # the store cannot be read: deny, and say so
        return Verdict(None, "store_unavailable", email)
    if user is None:
        return Verdict(None, "unknown_user", email)
    if not user.active:
        return Verdict(None, "inactive_user", email)
    return Verdict(user.principal(), None, email)


def is_open_demo() -> bool:
    """The database is the synthetic demo (``meta.is_demo``) with no load after it was built,
    so no real export was added to it."""
    try:
        stamp = warehouse.db_stamp()
        meta = warehouse.meta(stamp)
    except Exception:  # a missing or broken database: the page header explains it
        return False
    if meta.get("is_demo") != "true":
        return False
    built = meta.get("demo_generated_at")
    loads = warehouse.load_history(stamp, 1)
    if not built or len(loads) == 0:
        return bool(built)
    last = loads["finished_at"].iloc[0]
    return last is None or str(last)[:19] <= built


def current() -> Principal | None:
    """The principal of this request (None: nobody may see anything)."""
    return resolve().principal


def require() -> Principal:
    """The principal of this request; otherwise draw the sign-in or refusal page and stop.

    The first run of a signed-in session records ``sign_in`` in the audit log; a refused
    identity records ``sign_in_denied`` once per session.
    """
    verdict = resolve()
    if verdict.principal is not None:
        _audit_once(verdict, "sign_in", "ok")
        return verdict.principal
    if verdict.email:
        _audit_once(verdict, "sign_in_denied", "denied")
    gate_page(verdict)
    st.stop()


def _audit_once(verdict: Verdict, event: str, outcome: str) -> None:
    p = verdict.principal
    if p is not None and p.mode != access.USER:
        return  # no identity to hold to account (demo) or the machine's own user (local)
    key = f"{event}:{verdict.email}"
    if st.session_state.get(_SIGNED_IN_KEY) == key:
        return
    try:
        store().log(
            verdict.email or "", p.role if p else None, event, outcome,
            p.region if p else None, p.agency if p else None,
            **({"reason": verdict.reason} if verdict.reason else {}),
        )  # fmt: skip
    except Exception:
        return  # a full disk must not lock everyone out; the next run tries again
    st.session_state[_SIGNED_IN_KEY] = key


def gate_page(verdict: Verdict) -> None:
    """The page for someone who may not see the data: sign in, whom to ask, or how to set up."""
    st.title(t("app.title"))
    reason = verdict.reason or "not_signed_in"
    if reason == "not_signed_in":
        st.write(t("access.gate.not_signed_in"))
        named = providers()
        for name in named or [None]:
            label = t("access.sign_in_with", name=name.title()) if name else t("access.sign_in")
            st.button(label, key=f"sign_in_{name}", on_click=st.login, args=(name,) if name else ())
        return
    if reason == "no_sign_in":
        st.warning(t("access.gate.no_sign_in"), icon=":material/lock:")
        st.code("docs/SIGN_IN.md", language=None)
        return
    st.warning(t(f"access.gate.{reason}", email=verdict.email or ""), icon=":material/lock:")
    st.write(t("access.ask", who=_contact()))
    st.button(t("access.sign_out"), key="sign_out_denied", on_click=st.logout)


def _contact() -> str:
    """Whom to ask for access: ``[kinerja] access_contact``, else the active admins."""
    given = options().get("access_contact")
    if given:
        return str(given)
    try:
        admins = store().admins()
    except Exception:
        admins = []
    return ", ".join(admins[:3]) if admins else t("access.ask_admin")


def role_text(p: Principal) -> str:
    """``Gubernur · Provinsi Jawa Tengah`` for the sidebar."""
    where = p.agency or (region(p.region).name if p.region and region(p.region) else p.region)
    return f"{t(f'role.{p.role}')} · {where or t('access.everywhere')}"


def sign_out() -> None:
    """Button callback: record the sign-out, then end the Streamlit sign-in."""
    verdict = resolve()
    p = verdict.principal
    if p is not None and p.mode == access.USER:
        try:
            store().log(p.email, p.role, "sign_out", "ok", p.region, p.agency)
        except Exception:
            pass
    st.session_state.pop(_SIGNED_IN_KEY, None)
    st.logout()


def account_box(p: Principal) -> None:
    """Who is signed in, with what role and scope, and the sign-out button (sidebar)."""
    if p.mode == access.DEMO:
        st.sidebar.caption(t("access.mode.demo"))
        return
    if p.mode == access.LOCAL:
        st.sidebar.caption(t("access.mode.local"))
        return
    st.sidebar.caption(t("access.signed_in_as", email=p.email, role=role_text(p)))
    st.sidebar.button(t("access.sign_out"), key="sign_out", on_click=sign_out)
