"""The access store: who may use Kinerja (``app_user``) and what happened (``audit``).

Why a small SQLite file beside the warehouse (``<db>.access.sqlite``), not tables in it: the
warehouse is rebuilt as a copy and ``os.replace``d on every load (``etl.store``), so a sign-in or
download recorded there would cost a whole-file copy and could be lost to a load that started
before it. The access store takes many tiny writes from the app's threads and from
``python -m kinerja users`` at once: SQLite in WAL mode gives each a short transaction, waits for
the lock (``busy_timeout``) instead of failing, and never blocks a reader; opening it costs about
a millisecond, so the user is looked up on every script run (docs/ARCHITECTURE.md §6).

The file is created readable by its owner only (it holds e-mail addresses). Every change of a
user and every audited event is one transaction; a user change writes its audit row in the same
transaction.
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import io
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kinerja import regions
from kinerja.access import EMAIL_RE, ROLES, USER, Principal, normalise_email, region_of_agency
from kinerja.paths import resolve_db

BUSY_TIMEOUT_S = 10.0
SCHEMA_VERSION = 1  # PRAGMA user_version of a file with the tables below
SCHEMA = """
CREATE TABLE IF NOT EXISTS app_user (
    email       TEXT PRIMARY KEY,          -- lower case
    role        TEXT NOT NULL,             -- kinerja.access.ROLES
    region      TEXT,                      -- Kemendagri code; NULL only for an admin (everywhere)
    agency      TEXT,                      -- '<region>:<slug>' for an agency_head
    active      INTEGER NOT NULL DEFAULT 1,
    changed_by  TEXT NOT NULL,             -- who made the last change (e-mail, cli:<user>)
    changed_at  TEXT NOT NULL              -- when (UTC, 'YYYY-MM-DD HH:MM:SS')
);
CREATE TABLE IF NOT EXISTS audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,                -- UTC, 'YYYY-MM-DD HH:MM:SS'
    actor    TEXT NOT NULL,                -- e-mail, 'local', 'cli:<user>'
    role     TEXT,
    event    TEXT NOT NULL,                -- EVENTS
    outcome  TEXT NOT NULL,                -- ok | denied | failed
    region   TEXT,                         -- the scope asked for
    agency   TEXT,
    detail   TEXT                          -- JSON: what, why, file, counts
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
"""
EVENTS = ("sign_in", "sign_in_denied", "sign_out", "denied", "upload", "user_change", "download")
COLUMNS = ("email", "role", "region", "agency", "active")
TRUE_WORDS = {"", "1", "true", "yes", "ya", "aktif", "active", "y"}
FALSE_WORDS = {"0", "false", "no", "tidak", "nonaktif", "inactive", "n"}
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class UserError(ValueError):
    """A user entry or import file that cannot be used; nothing was changed. ``code`` names the
    problem for the app's catalogue (``users.error.<code>``); ``row``/``column`` where known."""

    def __init__(self, code: str, message: str, row: int | None = None, column: str | None = None):
        self.code, self.message, self.row, self.column = code, message, row, column
        where = ", ".join(
            x for x in (f"row {row}" if row else "", f"column {column!r}" if column else "") if x
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class User:
    """One ``app_user`` row."""

    email: str
    role: str
    region: str | None
    agency: str | None
    active: bool
    changed_by: str
    changed_at: str

    def principal(self) -> Principal | None:
        """The access principal of an active user (None when disabled)."""
        return (
            Principal(self.email, self.role, self.region, self.agency, USER)
            if self.active
            else None
        )

    def to_dict(self) -> dict:
        return asdict(self)


def access_path(db=None) -> Path:
    """``<warehouse>.access.sqlite`` beside the database writers use (``--db``, ``$KINERJA_DB``,
    else ``data/kinerja.duckdb``), whichever file the app happens to show."""
    path = resolve_db(db)
    return path.with_name(path.name + ".access.sqlite")


def cli_actor() -> str:
    """``cli:<login name>``: who runs a command (``loads.loaded_by``, audit ``changed_by``)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        name = f"uid{os.getuid()}"
    return f"cli:{name}"


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def validate(email, role, region=None, agency=None, active=True) -> tuple:
    """A checked, normalised ``(email, role, region, agency, active)``; ``UserError`` naming the
    column otherwise. Every role but admin has a region; a governor's is a province, a regional
    head's a kabupaten/kota; an agency head names an agency of that region."""
    email = normalise_email(email)
    if not EMAIL_RE.match(email):
        raise UserError("bad_email", f"not an e-mail address: {email!r}", column="email")
    role = str(role or "").strip().lower()
    if role not in ROLES:
        raise UserError(
            "bad_role", f"unknown role {role!r}; one of {', '.join(ROLES)}", column="role"
        )
    agency = str(agency or "").strip() or None
    region = str(region or "").strip() or (region_of_agency(agency) if agency else None)
    if region is None and role != "admin":
        raise UserError(
            "region_required", f"a {role} needs a region (kode wilayah)", column="region"
        )
    level = _level(region) if region else None
    if role == "governor" and level != "province":
        raise UserError(
            "governor_province", "a governor's region is a province (e.g. 33)", column="region"
        )
    if role == "regional_head" and level not in ("kabupaten", "kota", "city"):
        raise UserError("head_kabkota", "a regional head's region is a kabupaten/kota (e.g. 33.74)", column="region")  # fmt: skip
    if role == "agency_head" or agency:
        _check_agency(role, region, agency)
    return email, role, region, agency, _active(active)


def _level(code: str) -> str:
    found = regions.get(code)
    if found is None:
        raise UserError("unknown_region", f"unknown region code {code!r} (e.g. 33.74)", column="region")  # fmt: skip
    return found.level


def _check_agency(role: str, region: str | None, agency: str | None) -> None:
    if role != "agency_head":
        raise UserError(
            "agency_not_allowed", "only an agency_head names an agency", column="agency"
        )
    if not agency:
        raise UserError("agency_required", "an agency_head needs an agency id", column="agency")
    own = region_of_agency(agency)
    if own is None or not SLUG_RE.match(agency.split(":", 1)[1]):
        raise UserError("agency_format", f"agency id {agency!r} is not '<region>:<slug>' (e.g. 33.74:dinas-pu)", column="agency")  # fmt: skip
    if own != region:
        raise UserError("agency_outside_region", f"agency {agency!r} is not of region {region}", column="agency")  # fmt: skip


def _active(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value if value is not None else "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise UserError("bad_active", f"active must be yes/no, not {value!r}", column="active")


class AccessStore:
    """``app_user`` and ``audit`` in ``access_path(db)``; each call is one short transaction."""

    def __init__(self, db=None, path: Path | None = None):
        self.path = Path(path) if path else access_path(db)

    @contextlib.contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                con.execute("PRAGMA journal_mode = WAL")  # kept by the file from now on
                con.executescript(SCHEMA)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            if write:
                con.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
                try:
                    yield con
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            else:
                yield con
        finally:
            con.close()

    # ---- users -------------------------------------------------------------------------------
    def user(self, email: str) -> User | None:
        """The user of ``email`` (any case), or None."""
        with self._connect() as con:
            row = con.execute("SELECT * FROM app_user WHERE email = ?", [normalise_email(email)])
            found = row.fetchone()
        return _user(found) if found else None

    def users(self) -> list[User]:
        """Every user, by e-mail."""
        with self._connect() as con:
            return [_user(r) for r in con.execute("SELECT * FROM app_user ORDER BY email")]

    def admins(self) -> list[str]:
        """E-mails of the active admins (whom an unknown user should ask)."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT email FROM app_user WHERE role = 'admin' AND active ORDER BY email"
            )
            return [r[0] for r in rows]

    def put_user(self, email, role, region=None, agency=None, active=True, by="") -> User:
        """Add a user or change one (role, region, agency, active); audited as ``user_change``."""
        entry = validate(email, role, region, agency, active)
        with self._connect(write=True) as con:
            return _put(con, entry, by)

    def disable(self, email: str, by: str = "") -> User:
        """Mark a user inactive (kept, so the audit log still names them)."""
        with self._connect(write=True) as con:
            row = con.execute("SELECT * FROM app_user WHERE email = ?", [normalise_email(email)])
            found = row.fetchone()
            if not found:
                raise UserError("unknown_user", f"no such user: {normalise_email(email)}")
            old = _user(found)
            return _put(con, (old.email, old.role, old.region, old.agency, False), by)

    def import_text(self, text: str, by: str = "", name: str = "") -> list[User]:
        """Add or change every user of a CSV text (``email,role,region,agency,active``; comma or
        semicolon): all of them, or none when a row is wrong (``UserError`` naming row and
        column)."""
        entries = parse_users(text)
        with self._connect(write=True) as con:
            done = [_put(con, entry, by, source=name) for entry in entries]
        return done

    # ---- audit -------------------------------------------------------------------------------
    def log(self, actor: str, role: str | None, event: str, outcome: str = "ok",
            region: str | None = None, agency: str | None = None, **detail) -> None:  # fmt: skip
        """Record one event (``EVENTS``) with who, the scope asked for and what (``detail``)."""
        with self._connect(write=True) as con:
            _log(con, actor, role, event, outcome, region, agency, detail)

    def audit(self, limit: int = 500, event: str | None = None, actor: str | None = None,
              since: str | None = None) -> list[dict]:  # fmt: skip
        """The newest audit rows first (``detail`` decoded), optionally of one event or actor
        and from ``since`` (UTC text) on."""
        sql = "SELECT * FROM audit WHERE 1 = 1"
        params: list = []
        for clause, value in (("event = ?", event), ("actor = ?", actor), ("at >= ?", since)):
            if value:
                sql += f" AND {clause}"
                params.append(normalise_email(value) if clause.startswith("actor") else value)
        sql += " ORDER BY id DESC LIMIT ?"
        with self._connect() as con:
            rows = [dict(r) for r in con.execute(sql, [*params, int(limit)])]
        for row in rows:
            row["detail"] = json.loads(row["detail"] or "{}")
        return rows


def _user(row: sqlite3.Row) -> User:
    return User(row["email"], row["role"], row["region"], row["agency"], bool(row["active"]),
                row["changed_by"], row["changed_at"])  # fmt: skip


def _put(con: sqlite3.Connection, entry: tuple, by: str, source: str = "") -> User:
    email, role, region, agency, active = entry
    before = con.execute("SELECT * FROM app_user WHERE email = ?", [email]).fetchone()
    when = now_text()
    con.execute(
        "INSERT INTO app_user VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET "
        "role = excluded.role, region = excluded.region, agency = excluded.agency, "
        "active = excluded.active, changed_by = excluded.changed_by, "
        "changed_at = excluded.changed_at",
        [email, role, region, agency, int(active), by or "unknown", when],
    )
    after = User(email, role, region, agency, active, by or "unknown", when)
    change = {"user": email, "after": {k: getattr(after, k) for k in COLUMNS}}
    if before is not None:
        change["before"] = {k: getattr(_user(before), k) for k in COLUMNS}
    if source:
        change["file"] = source
    _log(con, by or "unknown", None, "user_change", "ok", region, agency, change)
    return after


def _log(con, actor, role, event, outcome, region, agency, detail: dict) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    con.execute(
        "INSERT INTO audit (at, actor, role, event, outcome, region, agency, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [now_text(), actor, role, event, outcome, region, agency,
         json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)],
    )  # fmt: skip


def parse_users(text: str) -> list[tuple]:
    """The checked entries of a users CSV (header ``email,role,region,agency[,active]``)."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UserError("empty_file", "the file has no header row", row=1)
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [normalise_email(h) for h in (reader.fieldnames or [])]
    missing = [c for c in ("email", "role") if c not in header]
    if missing:
        raise UserError(
            "missing_column", f"missing column {missing[0]!r}", row=1, column=missing[0]
        )
    reader.fieldnames = header
    entries, seen = [], {}
    for n, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            entry = validate(*(row.get(c) for c in COLUMNS[:4]), row.get("active", ""))
        except UserError as err:
            raise UserError(err.code, err.message, row=n, column=err.column) from None
        if entry[0] in seen:
            raise UserError("duplicate_email", f"{entry[0]} is also on row {seen[entry[0]]}", row=n, column="email")  # fmt: skip
        seen[entry[0]] = n
        entries.append(entry)
    if not entries:
        raise UserError("empty_file", "the file lists no user", row=2)
    return entries


AUDIT_COLUMNS = ("at", "actor", "role", "event", "outcome", "region", "agency", "detail")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> str:
    """A cell for a spreadsheet: text that would start a formula gets a leading ``'`` (OWASP
    "CSV injection"); an e-mail, file name or detail in the audit log is data, never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def audit_rows(entries: list[dict]) -> list[list[str]]:
    """Audit entries as rows of text cells (``AUDIT_COLUMNS``), formulas neutralised."""
    return [
        [
            safe_text(
                json.dumps(e[c], ensure_ascii=False, sort_keys=True) if c == "detail" else e[c]
            )
            for c in AUDIT_COLUMNS
        ]
        for e in entries
    ]
