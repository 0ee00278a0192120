"""Errors the ETL raises for a file it cannot use at all.

A ``LoadError`` carries the file and, where known, the row (line or record number) and column,
so that the CLI can print one clear sentence instead of a traceback.
"""

from __future__ import annotations

import re


class LoadError(Exception):
    """An input file (or mapping) cannot be loaded; nothing was changed."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ):
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


# Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides:
# in a file name or a value they could forge lines or send escape sequences to a terminal.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(text) -> str:
    """``text`` for a terminal line: unsafe characters shown as escapes (``\\n``, ``\\x1b``)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def safe_json(text: str) -> str:
    """A JSON document with C1 controls and separators escaped (JSON escapes C0 itself)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
