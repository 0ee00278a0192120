"""The export time of a file, and where it came from (``loads.exported_at_source``).

The export time decides which of two exports of the same complaint is newer (the newest wins),
so a wrong one freezes or rolls back rows. In order of trust:

- ``argument``: the operator's ``--exported-at`` (``load_file(exported_at=...)``);
- ``content``: a time the file itself carries: the mapping's preamble key (SP4N-LAPOR!
  "Tanggal Generate"), else an XLSX workbook's saved time (its document properties);
- ``mtime``: the file's modification time, which a copy or an edit changes.

A time in the future is refused (it would make every later export look older). A file dated only
by its mtime never overwrites a row last written by an ``argument``- or ``content``-dated export
(``etl.upsert``): an old export copied today would otherwise roll those rows back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.errors import LoadError
from etl.mapping import Mapping

ARGUMENT, CONTENT, MTIME = "argument", "content", "mtime"
DECLARED = (ARGUMENT, CONTENT)
# A file written a moment ago on a machine whose clock runs a little ahead is not "future".
FUTURE_SLACK = timedelta(minutes=10)
EARLIEST = datetime(1990, 1, 1)
DESCRIBE = {
    ARGUMENT: "given with --exported-at",
    CONTENT: "from the file's content",
    MTIME: "the file's modification time: rows a dated export wrote are kept",
}


def parse_argument(value) -> datetime | None:
    """``--exported-at``: an ISO 8601 text or a datetime, as naive UTC (naive means UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise LoadError(
                f"--exported-at {value!r} is not an ISO 8601 time (e.g. 2025-06-03T08:00:00+07:00)"
            ) from None
    if not isinstance(value, datetime):
        raise LoadError(f"--exported-at must be a time, not {type(value).__name__}")
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def export_time(con, given, preamble: dict, doc_time, spec: Mapping, path: Path, now: datetime):
    """(export time as naive UTC, its source): argument, else content, else the file's mtime.

    ``doc_time``: a time the file's container carries (XLSX saved time), or None.
    """
    arg = parse_argument(given)
    if arg is not None:
        return _not_future(arg, now, ARGUMENT, path, "--exported-at"), ARGUMENT
    value = preamble.get(spec.exported_at_key) if spec.exported_at_key else None
    if value:
        fmts = spec.date_formats + ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"]
        parsed = con.execute("SELECT kj_ts(?, ?)", [value, fmts]).fetchall()[0][0]
        if parsed is None:
            raise LoadError(
                f"export time {value!r} is not a date", file=str(path), column=spec.exported_at_key
            )
        return _not_future(parsed, now, CONTENT, path, spec.exported_at_key), CONTENT
    if isinstance(doc_time, datetime) and EARLIEST <= doc_time <= now + FUTURE_SLACK:
        return doc_time, CONTENT
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    return _not_future(mtime, now, MTIME, path, None), MTIME


def _not_future(ts: datetime, now: datetime, source: str, path: Path, column) -> datetime:
    if ts <= now + FUTURE_SLACK:
        return ts
    what = {
        ARGUMENT: "--exported-at",
        CONTENT: "the export time in the file",
        MTIME: "the file's modification time",
    }[source]
    hint = "; give the real export time with --exported-at" if source != ARGUMENT else ""
    raise LoadError(
        f"{what} {ts:%Y-%m-%d %H:%M} UTC is in the future: a later export would look older "
        f"and be ignored{hint}",
        file=str(path),
        column=column,
    )
