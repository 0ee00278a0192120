"""Users & audit log (admins): who may use Kinerja with which role and scope, and what happened.

The users table (``app_user``): add or change one, disable one, import a CSV (all rows or none).
The audit log: sign-ins, refusals, uploads, user changes and downloads of complaint lists, with a
CSV download (formulas neutralised). Everything goes through ``ui.data_admin`` (admins only).
"""

import pandas as pd
import streamlit as st

from kinerja import regions
from kinerja.access import AUDIT, ROLES, USERS, AccessDenied
from kinerja.accessdb import EVENTS, UserError
from ui import data, data_admin, layout, state
from ui.i18n import fmt_num, t

st.set_page_config(page_title="Kinerja", page_icon=":material/monitoring:", layout="wide")
view = state.sidebar()
lang = view.lang
layout.page_header("admin.title")
if not data.may(USERS):
    layout.show_denied(AccessDenied("role_cannot", USERS))
    st.stop()


def region_label(code: str) -> str:
    if not code:
        return t("admin.no_region", lang)
    found = regions.get(code)
    return f"{code} · {found.name}" if found else code


def user_error(err: UserError) -> None:
    """A refused change in the reader's language, naming the row and column."""
    where = [t("upload.where.row", row=fmt_num(err.row))] if err.row else []
    where += [t("upload.where.column", column=err.column)] if err.column else []
    key = f"users.error.{err.code}"
    why = t(key) if t(key) != key else err.message
    st.error(t("admin.error", where=", ".join(where) or t("admin.error_here"), why=why))


def act(fn, *args, done=None) -> None:
    """Run a change; say what was done (``done(result)``), or why not (never a traceback)."""
    try:
        result = fn(*args)
    except UserError as err:
        user_error(err)
        return
    except AccessDenied as err:
        layout.show_denied(err)
        return
    st.session_state["_kj_admin_done"] = done(result) if done else ""
    st.rerun()


# ---- users ----
st.subheader(t("admin.users"))
st.caption(t("admin.users_help"))
if st.session_state.get("_kj_admin_done"):
    st.success(st.session_state.pop("_kj_admin_done"))
with layout.guard(stop=True):
    people = data_admin.users()
if not people:
    layout.empty_state("admin.no_users")
else:
    layout.table(
        pd.DataFrame(
            {
                "email": [u.email for u in people],
                "role": [t(f"role.{u.role}") for u in people],
                "region": [region_label(u.region or "") for u in people],
                "agency": [u.agency or "–" for u in people],
                "active": [t("admin.yes") if u.active else t("admin.no") for u in people],
                "changed": [f"{u.changed_by} · {u.changed_at}" for u in people],
            }
        ),
        {
            "email": "admin.col.email",
            "role": "admin.col.role",
            "region": "admin.col.region",
            "agency": "admin.col.agency",
            "active": "admin.col.active",
            "changed": "admin.col.changed",
        },
    )

codes = ["", *sorted(regions.registry())]
with st.form("admin_user", clear_on_submit=False):
    st.markdown(f"**{t('admin.edit')}**")
    email = st.text_input(t("admin.email"), key="admin_email")
    left, mid, right = st.columns(3)
    role = left.selectbox(
        t("admin.role"), ROLES, index=ROLES.index("viewer"), key="admin_role",
        format_func=lambda r: t(f"role.{r}", lang),
    )  # fmt: skip
    region = mid.selectbox(t("admin.region"), codes, key="admin_region", format_func=region_label)
    agency = right.text_input(t("admin.agency"), key="admin_agency", placeholder="33.74:dinas-pu")
    active = st.checkbox(t("admin.active"), value=True, key="admin_active")
    if st.form_submit_button(t("admin.save"), type="primary"):
        act(
            data_admin.save_user, email, role, region or None, agency or None, active,
            done=lambda u: t("admin.saved", email=u.email, role=t(f"role.{u.role}")),
        )  # fmt: skip

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('admin.disable')}**")
    active_ones = [u.email for u in people if u.active]
    if active_ones:
        who = st.selectbox(t("admin.email"), active_ones, key="admin_disable_email")
        if st.button(t("admin.disable_go"), key="admin_disable"):
            act(data_admin.disable_user, who, done=lambda u: t("admin.disabled", email=u.email))
with right:
    st.markdown(f"**{t('admin.import')}**")
    st.caption(t("admin.import_help"))
    sheet = st.file_uploader(t("admin.import"), type=["csv"], key="admin_import_file")
    if sheet is not None and st.button(t("admin.import_go"), key="admin_import"):
        act(
            lambda: len(data_admin.import_users(sheet.name, sheet.getvalue())),
            done=lambda n: t("admin.imported", n=fmt_num(n), file=sheet.name),
        )

# ---- audit log ----
st.subheader(t("admin.audit"))
st.caption(t("admin.audit_help"))
if data.may(AUDIT):
    event = st.selectbox(
        t("admin.audit_event"), ["", *EVENTS], key="admin_audit_event",
        format_func=lambda e: t(f"audit.event.{e}", lang) if e else t("admin.audit_all", lang),
    )  # fmt: skip
    with layout.guard():
        entries = data_admin.audit_log(limit=500, event=event or None)
        if not entries:
            layout.empty_state("admin.audit_empty")
        else:
            layout.table(
                pd.DataFrame(
                    {
                        "at": [e["at"] for e in entries],
                        "actor": [e["actor"] for e in entries],
                        "event": [t(f"audit.event.{e['event']}") for e in entries],
                        "outcome": [t(f"audit.outcome.{e['outcome']}") for e in entries],
                        "scope": [e["agency"] or e["region"] or "–" for e in entries],
                        "detail": [
                            ", ".join(f"{k}={v}" for k, v in e["detail"].items()) for e in entries
                        ],
                    }
                ),
                {
                    "at": "admin.col.at",
                    "actor": "admin.col.actor",
                    "event": "admin.col.event",
                    "outcome": "admin.col.outcome",
                    "scope": "admin.col.scope",
                    "detail": "admin.col.detail",
                },
                height=min(520, 38 + 35 * len(entries)),
            )
            st.download_button(
                t("admin.audit_download"),
                data_admin.audit_csv(entries, lang),
                file_name="kinerja-audit.csv",
                mime="text/csv",
                key="admin_audit_csv",
                on_click="ignore",
            )
