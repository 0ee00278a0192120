"""The delivery log: what was sent to whom for which week, so a rerun sends nothing twice.

Why a SQLite file beside the warehouse (``<db>.deliveries.sqlite``) and not a warehouse table:
the warehouse is written by copying it and ``os.replace``-ing the copy under the writer lock;
a delivery logged in the middle of a load would be lost with the replaced file, and logging
through the writer would make every e-mail wait for loads. SQLite takes small transactional
writes from several processes on its own.

Each (week, recipient key, channel) has one row. A run *claims* a row before sending
(``sending``), then marks it ``sent`` or ``failed``. A ``sent`` row is never sent again; a
``failed`` one is retried on the next run; a ``sending`` row left by a crashed run older than
``STALE_CLAIM`` is retried too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

STALE_CLAIM = timedelta(hours=1)
SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    week TEXT NOT NULL,
    recipient TEXT NOT NULL,       -- Recipient.key: email|region|agency
    channel TEXT NOT NULL,         -- email | webhook
    status TEXT NOT NULL,          -- sending | sent | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,      -- UTC, ISO
    detail TEXT,                   -- attachment name and sha256, or the error
    PRIMARY KEY (week, recipient, channel)
)
"""


def log_path(db: Path, configured: str | None) -> Path:
    """The log file: the configured one, else ``<db>.deliveries.sqlite`` beside the database."""
    return Path(configured) if configured else db.with_name(db.name + ".deliveries.sqlite")


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


class DeliveryLog:
    """One SQLite file; every method is one short transaction."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode (transactions are explicit), closed afterwards."""
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout = 30000")
            yield con
        finally:
            con.close()

    def status(self, week: str, recipient: str, channel: str) -> str | None:
        with self._connect() as con:
            row = con.execute(
                "SELECT status FROM deliveries WHERE week = ? AND recipient = ? AND channel = ?",
                (week, recipient, channel),
            ).fetchone()
        return row[0] if row else None

    def claim(self, week: str, recipient: str, channel: str) -> bool:
        """Take the right to send; False when it was sent already or another run is sending."""
        stale = (datetime.now(UTC).replace(tzinfo=None) - STALE_CLAIM).isoformat()
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute(
                "SELECT status, updated_at FROM deliveries WHERE week = ? AND recipient = ?"
                " AND channel = ?",
                (week, recipient, channel),
            ).fetchone()
            if row and (row[0] == "sent" or (row[0] == "sending" and row[1] > stale)):
                con.execute("ROLLBACK")
                return False
            con.execute(
                "INSERT INTO deliveries (week, recipient, channel, status, attempts, updated_at)"
                " VALUES (?, ?, ?, 'sending', 1, ?) ON CONFLICT (week, recipient, channel) DO"
                " UPDATE SET status = 'sending', attempts = attempts + 1, updated_at = excluded.updated_at",
                (week, recipient, channel, _now()),
            )
            con.execute("COMMIT")
            return True

    def finish(self, week: str, recipient: str, channel: str, ok: bool, detail: str) -> None:
        with self._connect() as con:
            con.execute(
                "UPDATE deliveries SET status = ?, updated_at = ?, detail = ? WHERE week = ?"
                " AND recipient = ? AND channel = ?",
                ("sent" if ok else "failed", _now(), detail[:2000], week, recipient, channel),
            )

    def rows(self, week: str | None = None) -> list[dict]:
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            sql = "SELECT * FROM deliveries" + (" WHERE week = ?" if week else "")
            return [dict(r) for r in con.execute(sql + " ORDER BY week, recipient, channel",
                                                   (week,) if week else ())]  # fmt: skip
