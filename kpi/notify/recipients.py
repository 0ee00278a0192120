"""Who receives the Monday brief: a recipients file now, the sign-in's user table later.

A recipient with an ``agency`` gets that agency's brief and alerts; without one, the brief and
alerts of their ``region``. Files: TOML (``[[recipient]]`` tables) or CSV with the header
``email,role,region,agency,language``. Users of the app (``app_user``: email, role, region,
agency, active — issue 12) are read by ``from_app_user`` when the warehouse has that table.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

FIELDS = ("email", "role", "region", "agency", "language")


class RecipientsError(ValueError):
    """A recipients file is unusable; the message names the file and row."""


@dataclass(frozen=True)
class Recipient:
    email: str
    role: str = ""
    region: str | None = None
    agency: str | None = None
    language: str = "id"

    @property
    def key(self) -> str:
        """One delivery per week and key: the same person may get a region and an agency brief."""
        return f"{self.email.lower()}|{self.region or ''}|{self.agency or ''}"

    def to_dict(self) -> dict:
        return asdict(self)


def _clean(row: dict, where: str) -> Recipient:
    email = str(row.get("email") or "").strip()
    if "@" not in email or any(c.isspace() for c in email):
        raise RecipientsError(f"{where}: email: not an e-mail address: {email!r}")
    lang = str(row.get("language") or "id").strip().lower() or "id"
    if lang not in ("id", "en"):
        raise RecipientsError(f"{where}: language: {lang!r} (expected id or en)")
    return Recipient(
        email=email,
        role=str(row.get("role") or "").strip(),
        region=str(row.get("region") or "").strip() or None,
        agency=str(row.get("agency") or "").strip() or None,
        language=lang,
    )


def read_file(path: str | Path) -> list[Recipient]:
    """The recipients of a TOML or CSV file; RecipientsError names the file and row."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".toml":
            rows = tomllib.loads(path.read_text(encoding="utf-8")).get("recipient", [])
        else:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                rows = list(csv.DictReader(fh))
    except FileNotFoundError as exc:
        raise RecipientsError(f"recipients file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, csv.Error, UnicodeDecodeError) as exc:
        raise RecipientsError(f"{path}: unreadable recipients file ({exc})") from exc
    return [_clean(row, f"{path}, recipient {i}") for i, row in enumerate(rows, start=1)]


APP_USER_SQL = """
SELECT * FROM wh.app_user WHERE coalesce(active, true)
"""


def from_app_user(wh) -> list[Recipient]:
    """Active users of the app (table ``app_user`` of the warehouse, from the sign-in issue);
    an empty list while that table does not exist. A ``language`` column is used when present."""
    cur = wh.con.cursor()
    try:
        exists = cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'wh' AND table_name = 'app_user'"
        ).fetchall()[0][0]
        if not exists:
            return []
        result = cur.execute(APP_USER_SQL)
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    finally:
        cur.close()
    return [_clean(row, f"app_user row {i}") for i, row in enumerate(rows, start=1)]


def in_region(r: Recipient, region: str | None) -> bool:
    """Whether a recipient's brief belongs to ``region`` (None: every recipient)."""
    if region is None:
        return True
    own = r.region or (r.agency.split(":", 1)[0] if r.agency and ":" in r.agency else None)
    return own is not None and (own == region or own.startswith(region + "."))


def load(
    wh, settings, path: str | Path | None = None, region: str | None = None
) -> list[Recipient]:
    """The recipients of a run: ``path`` alone when given, else the settings' file and the app's
    users; one per key, in file order, kept to ``region``."""
    if path:
        found = read_file(path)
    else:
        configured = settings.raw.get("notify", {}).get("recipients") or ""
        found = (read_file(configured) if configured else []) + from_app_user(wh)
    seen, out = set(), []
    for r in found:
        if r.agency:  # an id without its region (dinas-pu) names the one agency of that slug
            r = replace(r, agency=wh.resolve_agency(r.agency) or r.agency)
        if r.key not in seen and in_region(r, region):
            seen.add(r.key)
            out.append(r)
    return out


__all__ = ["FIELDS", "Recipient", "RecipientsError", "from_app_user", "load", "read_file"]
