"""The boundary's write side: upload an export (operators), manage users and read the audit log
(admins). Checked like ``ui.data``: the principal from ``ui.auth``, the rules of
``kinerja.access``; every action is recorded in the audit log.

An upload goes through ``etl.upload.load_upload`` (the public, tested path to ``etl.load``),
into the database writers use, with the uploader's e-mail in ``loads.loaded_by`` and their region
as the region every row must lie in.
"""

from __future__ import annotations

from collections.abc import Callable

from kinerja import access
from kinerja.access import AUDIT, UPLOAD, USERS, AccessDenied
from kinerja.accessdb import User
from ui import auth, data


def _check(kind: str, scope: dict | None = None):
    p = data.principal()
    return p, data._scope(kind, scope, p)


# ---- upload (operators) ----------------------------------------------------------------------


def upload_limits() -> tuple[int, tuple[str, ...]]:
    """(largest file in MB, file types) an upload accepts."""
    from etl.upload import FILE_TYPES, MAX_UPLOAD_MB

    return MAX_UPLOAD_MB, FILE_TYPES


def upload_sources() -> list[dict]:
    """The built-in mappings an upload can use: name, title, target, file types."""
    _check(UPLOAD)
    from etl.mapping import list_mappings

    return [
        {"name": m.name, "title": m.title, "target": m.target, "file_types": list(m.file_types)}
        for m in list_mappings()
    ]


def upload_regions() -> list[str]:
    """Region codes an uploader may name as the file's default region: theirs and below."""
    p, _ = _check(UPLOAD)
    from kinerja import regions

    codes = sorted(regions.registry())
    return [c for c in codes if access.in_principal_region(p, c)]


def guess_upload(name: str, content: bytes) -> dict:
    """What the file's first lines say: ``{"source": ..., "region": ...}`` (None: unknown)."""
    _check(UPLOAD)
    from etl.upload import guess

    found = guess(name, content)
    return {"source": found.source, "region": found.region}


def upload(
    name: str,
    content: bytes,
    source: str,
    region: str | None,
    progress: Callable[[str], None] | None = None,
):
    """Load an uploaded export; returns the ``LoadSummary``. ``LoadError`` (naming file, row,
    column) leaves every table as it was. Audited as ``upload`` either way."""
    p, scope = _check(UPLOAD, {"region": region} if region else None)
    from etl.errors import LoadError
    from etl.upload import load_upload

    where = scope.get("region")
    try:
        summary = load_upload(
            name, content, source, where, p.actor, region_scope=p.region, progress=progress
        )
    except LoadError as err:
        _log(p, "upload", "failed", where, file=name, source=source, error=str(err))
        raise
    _log(
        p, "upload", "ok", where, file=summary.file, source=source, load_id=summary.load_id,
        read=summary.read, inserted=summary.inserted, updated=summary.updated,
        unchanged=summary.unchanged, quarantined=summary.quarantined,
    )  # fmt: skip
    return summary


def _log(p, event: str, outcome: str, region: str | None, **detail) -> None:
    if p.mode == access.DEMO:
        return
    auth.store().log(p.actor, p.role, event, outcome, region, p.agency, **detail)


# ---- users and the audit log (admins) --------------------------------------------------------


def users() -> list[User]:
    """Every ``app_user`` row."""
    _check(USERS)
    return auth.store().users()


def save_user(email, role, region=None, agency=None, active=True) -> User:
    """Add or change a user (``UserError`` names the column); audited as ``user_change``."""
    p, _ = _check(USERS)
    if access.normalise_email(email) == p.email and (role != "admin" or not active):
        raise AccessDenied("own_account", USERS, {"user": email})  # never lock oneself out
    return auth.store().put_user(email, role, region, agency, active, by=p.actor)


def disable_user(email: str) -> User:
    """Stop a user from signing in (kept for the audit log)."""
    p, _ = _check(USERS)
    if access.normalise_email(email) == p.email:
        raise AccessDenied("own_account", USERS, {"user": email})  # never lock oneself out
    return auth.store().disable(email, by=p.actor)


def import_users(name: str, content: bytes) -> list[User]:
    """Add or change users from a CSV file: all or none (``UserError`` names row and column)."""
    p, _ = _check(USERS)
    from kinerja.accessdb import UserError

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("unreadable", f"{name}: not UTF-8 text") from None
    return auth.store().import_text(text, by=p.actor, name=name)


def audit_log(limit: int = 500, event: str | None = None, actor: str | None = None) -> list[dict]:
    """The newest audit entries first."""
    _check(AUDIT)
    return auth.store().audit(limit=limit, event=event, actor=actor)


def audit_csv(entries: list[dict], lang: str) -> bytes:
    """The audit entries as a CSV for Excel in ``lang`` (formulas neutralised)."""
    _check(AUDIT)
    from kinerja.accessdb import AUDIT_COLUMNS, audit_rows
    from ui.exports import to_csv

    return to_csv(list(AUDIT_COLUMNS), audit_rows(entries), lang)
