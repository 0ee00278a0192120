"""Errors the ETL raises for a file it cannot use at all.

A ``LoadError`` carries the file and, where known, the row (line or record number) and column,
so that the CLI can print one clear sentence instead of a traceback.
"""

from __future__ import annotations


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
