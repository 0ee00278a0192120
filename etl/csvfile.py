"""CSV files as physical records: encoding, record boundaries, and the exact reader.

DuckDB's reader is fast but decides some shapes its own way: a trailing line with an unterminated
quote vanishes, an unterminated quote swallows the rest of the file, a bare CR ends a record, and
rows are numbered by record rather than by line. So every CSV load also ``scan``s the file here
(in a background thread while DuckDB reads it): how many records it holds, and whether any spans
lines, holds a bare CR, leaves a quote open or follows a blank line. When the file has none of
these shapes and DuckDB's rows plus its rejected lines add up to the scan's count, DuckDB's
result stands. Otherwise the file is read again by ``read_exact`` (Python's csv module, one
physical record at a time), which accounts for every record: a record that does not fit the
header (short, long, unterminated quote, undecodable) is ``malformed_row`` with its text, never a
row. A quote left open is given ``MAX_RECORD_LINES`` lines to close; if the record it makes does
not fit the header, its first line is taken alone and reading resumes on the next line, so one
stray quote costs one record, not the rest of the file. A bare CR inside a line is data.

The encoding is decided from the whole file (``sniff_encoding``), not from its first lines.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import duckdb

BLOCK = 1 << 20
MAX_RECORD_LINES = 10_000
BATCH = 50_000
CR_MARK = "\ue000"  # a bare CR inside a line, while Python's csv module splits the line


@dataclass
class Encoding:
    """How to read a CSV file's bytes as text."""

    name: str  # utf-8 | latin-1 | utf-16 (DuckDB's names)
    newline: str = "\n"  # "\r" for a file whose lines end in CR only
    damaged: bool = False  # UTF-8 with some undecodable lines (they become malformed_row)


def sniff_encoding(path: Path) -> Encoding:
    """UTF-16 by its byte-order mark; UTF-8 if every byte decodes, else Latin-1.

    A file that is UTF-8 except for a few lines (more lines with valid UTF-8 characters than
    undecodable ones) stays UTF-8 and those lines are malformed. Cheap: blocks that are pure
    ASCII are not decoded.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return Encoding("utf-16", _newline_text(path, "utf-16"))
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        lf = cr = 0
        ok = True
        for block in iter(lambda: fh.read(BLOCK), b""):
            lf += block.count(b"\n")
            cr += block.count(b"\r")
            if ok and (not block.isascii() or decoder.getstate()[0]):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                ok = False
    newline = "\r" if lf == 0 and cr else "\n"
    if ok:
        return Encoding("utf-8", newline)
    good = bad = 0
    with path.open("rb") as fh:
        for line in fh:
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                good += 1
            except UnicodeDecodeError:
                bad += 1
    if good > bad:
        return Encoding("utf-8", newline, damaged=True)
    return Encoding("latin-1", newline)


def _newline_text(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        text = fh.read(BLOCK)
    return "\r" if "\n" not in text and "\r" in text else "\n"


def text_lines(path: Path, enc: Encoding):
    """Physical lines as text (no line end), split at the file's newline only: a CR inside a
    line is kept. An undecodable line (damaged UTF-8) is None."""
    errors = "surrogateescape" if enc.name == "utf-8" else "replace"
    with open(path, encoding=enc.name, errors=errors, newline=enc.newline) as fh:
        for i, line in enumerate(fh):
            if line.endswith("\n"):
                line = line[:-1]
            if line.endswith("\r"):
                line = line[:-1]
            if i == 0:
                line = line.lstrip("\ufeff")
            if enc.damaged and _has_surrogates(line):
                yield None
            else:
                yield line


def _has_surrogates(text: str) -> bool:
    return not text.isascii() and any("\udc80" <= ch <= "\udcff" for ch in text)


@dataclass
class Scan:
    """What a byte-level pass over the data lines (after the header) found."""

    records: int = 0  # records, counting a quoted line break as inside its record
    simple: bool = True  # one line per record, no blank line between records, no bare CR


def scan(path: Path, header_line: int, enc: Encoding) -> Scan:
    """Count the records after line ``header_line`` (1-based) and tell whether the file is
    simple enough for DuckDB's reader to number its lines exactly."""
    out = Scan()
    if enc.name == "utf-16" or enc.newline != "\n":
        out.simple = False
        return out
    odd = False
    blank_since = False
    with path.open("rb") as fh:
        for no, line in enumerate(fh, start=1):
            if no <= header_line:
                continue
            quotes = line.count(b'"')
            if odd:
                out.simple = False
                if quotes & 1:
                    odd = False
                    out.records += 1
                continue
            if line in (b"\n", b"\r\n"):
                blank_since = True
                continue
            if blank_since:
                out.simple = False
            if b"\r" in line and _bare_cr(line):
                out.simple = False
            if quotes & 1:
                odd = True
                continue
            out.records += 1
    if odd:  # a quote left open at the end of the file
        out.simple = False
    return out


def _bare_cr(line: bytes) -> bool:
    body = line[:-1] if line.endswith(b"\n") else line
    return b"\r" in (body[:-1] if body.endswith(b"\r") else body)


def _fields(text: str, delim: str, strict: bool) -> list[str]:
    """One line's fields (a bare CR kept as data)."""
    marked = CR_MARK in text or "\r" in text
    source = text.replace("\r", CR_MARK) if marked else text
    rows = list(csv.reader([source], delimiter=delim, quotechar='"', strict=strict))
    fields = rows[0] if rows else []
    return [f.replace(CR_MARK, "\r") for f in fields] if marked else fields


def _parse_lines(parts: list[str], delim: str) -> list[list[str]] | None:
    """A record spanning lines, or None when it does not parse (strictly) as one record."""
    lines = [p.replace("\r", CR_MARK) + "\n" for p in parts[:-1]]
    lines.append(parts[-1].replace("\r", CR_MARK))
    try:
        rows = list(csv.reader(lines, delimiter=delim, quotechar='"', strict=True))
    except csv.Error:
        return None
    return [[f.replace(CR_MARK, "\r") for f in row] for row in rows]


def exact_records(lines, ncols: int, delim: str, first_line: int):
    """Yield (line, fields, problem, bad_column) for every record of ``lines``.

    ``lines``: the physical lines after the header, the first being line ``first_line``.
    ``problem`` is None for a record that fits the header; ``fields`` then has ``ncols`` items.
    """
    it = iter(lines)
    buf: deque = deque()
    no = first_line - 1

    def more() -> bool:
        nonlocal no
        line = next(it, StopIteration)
        if line is StopIteration:
            return False
        no += 1
        buf.append((no, line))
        return True

    while buf or more():
        line_no, text = buf.popleft()
        if text is None:
            yield line_no, [], "the line is not valid UTF-8 (the rest of the file is)", None
            continue
        if text == "":
            continue
        if text.count('"') & 1:
            parts, used, odd = [text], 0, True
            while odd and used < MAX_RECORD_LINES and (used < len(buf) or more()):
                nxt = buf[used][1]
                if nxt is None:
                    break
                parts.append(nxt)
                used += 1
                odd = not (nxt.count('"') & 1)
            rows = None if odd else _parse_lines(parts, delim)
            if rows is not None and len(rows) == 1 and len(rows[0]) == ncols:
                for _ in range(used):
                    buf.popleft()
                yield line_no, rows[0], None, None
                continue
        yield (line_no, *_check_line(text, ncols, delim))


def _check_line(text: str, ncols: int, delim: str):
    """(fields, problem, bad_column) for a record on one line."""
    try:
        fields = _fields(text, delim, strict=True)
    except csv.Error as exc:
        problem = "unterminated quote" if "end of data" in str(exc) else f"bad quoting: {exc}"
        return _fields(text, delim, strict=False), problem, None
    if len(fields) != ncols:
        problem = f"the record has {len(fields)} fields, the header has {ncols}"
        return fields, problem, (ncols if len(fields) < ncols else None)
    return fields, None, None


def malformed_raw(fields: list[str], header: list[str], drop: set[str]) -> str:
    """JSON of a malformed record: its values under the header's names, without personal-data
    columns; values beyond the header (unnamed, so possibly personal) are only counted."""
    record = {
        name: (value if value != "" else None)
        for name, value in zip(header, fields, strict=False)
        if name.lower() not in drop
    }
    if len(fields) > len(header):
        record["_extra_fields"] = len(fields) - len(header)
    return json.dumps(record, ensure_ascii=False)


def create_bad(con) -> None:
    """Temp table ``_bad``: the input's malformed records (line, column, detail, raw JSON)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bad (line BIGINT, column_name VARCHAR, "
        "detail VARCHAR, raw VARCHAR)"
    )


def read_exact(con, path: Path, enc: Encoding, header_line: int, delim: str, header, drop):
    """Create ``raw`` (one VARCHAR column per header name, plus ``_line``) and ``_bad`` from
    every record after line ``header_line``, in batches (a temp table spills to disk)."""
    import pyarrow as pa

    create_bad(con)
    lines = text_lines(path, enc)
    for _ in range(header_line):
        next(lines, None)
    ncols = len(header)
    cols: list[list] = [[] for _ in range(ncols)]
    line_nos: list[int] = []
    bad: list[tuple] = []
    created = False

    def flush() -> None:
        nonlocal created, cols, line_nos
        data = {c: pa.array(v, pa.string()) for c, v in zip(header, cols, strict=True)}
        data["_line"] = pa.array(line_nos, pa.int64())
        con.register("_exact_batch", pa.table(data))
        verb = "INSERT INTO raw" if created else "CREATE TEMP TABLE raw AS"
        con.execute(f"{verb} SELECT * FROM _exact_batch")
        con.unregister("_exact_batch")
        created = True
        cols, line_nos = [[] for _ in range(ncols)], []

    for line_no, fields, problem, bad_col in exact_records(lines, ncols, delim, header_line + 1):
        if problem:
            column = header[len(fields)] if bad_col is not None and fields else None
            bad.append((line_no, column, problem, malformed_raw(fields, header, drop)))
            continue
        for i, value in enumerate(fields):
            cols[i].append(value if value != "" else None)
        line_nos.append(line_no)
        if len(line_nos) >= BATCH:
            flush()
    if line_nos or not created:
        flush()
    if bad:
        con.executemany("INSERT INTO _bad VALUES (?, ?, ?, ?)", bad)
    return len(bad)


DUCKDB_PROBLEMS = {
    "INVALID ENCODING": "the line is not valid UTF-8 (the rest of the file is)",
    "LINE SIZE OVER MAXIMUM": "the line is longer than 10 MB",
}


def bad_from_rejects(con, header: list[str], delim: str, drop: set[str]) -> int:
    """``_bad`` from DuckDB's ``reject_errors`` (fast path): one row per rejected line."""
    create_bad(con)
    rows = con.execute(
        "SELECT line, min(error_type), min(csv_line) FROM reject_errors GROUP BY line ORDER BY line"
    ).fetchall()
    out = []
    for line, error_type, text in rows:
        fields, problem, bad_col = _check_line(text or "", len(header), delim)
        problem = DUCKDB_PROBLEMS.get(error_type) or problem or error_type.lower()
        column = header[len(fields)] if bad_col is not None and fields else None
        out.append((line, column, problem, malformed_raw(fields, header, drop)))
    if out:
        con.executemany("INSERT INTO _bad VALUES (?, ?, ?, ?)", out)
    return len(out)


def fast_path_agrees(con, found: Scan) -> bool:
    """DuckDB's rows (``staged``) plus its rejected lines are exactly the scan's records."""
    if not found.simple:
        return False
    n_rows = con.execute("SELECT count(*) FROM staged").fetchall()[0][0]
    n_bad = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchall()[0][0]
    return n_rows + n_bad == found.records


def reading_errors() -> tuple:
    """DuckDB errors that mean its CSV reader gave up on the file (the exact reader takes over)."""
    return (duckdb.InvalidInputException, duckdb.IOException, duckdb.ConversionException)


def decode_head(path: Path, enc: Encoding, n: int) -> list[str]:
    """The first ``n`` physical lines as text (for finding the header and the preamble)."""
    out = []
    for line in text_lines(path, enc):
        out.append("" if line is None else line)
        if len(out) >= n:
            break
    return out
