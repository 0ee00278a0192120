"""Reading a CSV so that every physical record is accounted for.

DuckDB's reader is fast but decides some shapes its own way: a trailing line with an unterminated
quote vanishes, an unterminated quote swallows the rest of the file, a bare CR ends a record, and
rows are numbered by record rather than by line. So ``stage_csv`` lets DuckDB read the file
(one pass, straight into the mapping's query) while ``etl.csvscan`` counts its records in a
background thread. When the file is simple and DuckDB's rows plus its rejected lines add up to
that count, DuckDB's result stands (its rejected lines become ``malformed_row``). Otherwise the
file is read again by ``read_exact`` (Python's csv module, one physical record at a time): a
record that does not fit the header (short, long, unterminated quote, undecodable) is
``malformed_row`` with its text, never a row. A quote left open is given ``MAX_RECORD_LINES``
lines to close; if the record it makes does not fit the header, its first line is taken alone
and reading resumes on the next line, so one stray quote costs one record, not the rest of the
file. A bare CR inside a line is data.
"""

from __future__ import annotations

import csv
from collections import deque
from pathlib import Path

import duckdb

from etl.csvscan import Encoding, Scan, scan, text_lines
from etl.malformed import create_bad, malformed_raw, private_columns
from etl.mapping import Mapping
from etl.transform import build_staged, finish_staged

MAX_RECORD_LINES = 10_000
BATCH = 50_000
CR_MARK = "\ue000"  # a bare CR inside a line, while Python's csv module splits the line


def stage_csv(con, path: Path, spec: Mapping, cols, params: dict, result, executor) -> None:
    """Build ``staged`` and ``_bad`` from the CSV of ``result`` (see the module docstring).

    ``executor`` runs the record count while DuckDB reads.
    """
    enc: Encoding = result.encoding
    drop = private_columns(spec)
    fast = enc.name != "utf-16" and enc.newline == "\n"
    if fast:
        found = executor.submit(scan, path, result.header_line, enc)
        try:
            build_staged(con, spec, cols, params, result.source, result.columns)
            fast = fast_path_agrees(con, found.result())
        except reading_errors():
            fast = False
    if fast:
        bad_from_rejects(con, result.columns, result.delim, drop)
        fix_csv_lines(con, params)
        finish_staged(con, spec, result.source, result.columns, params)
        return
    read_exact(con, path, enc, result.header_line, result.delim, result.columns, drop)
    build_staged(con, spec, cols, params, "raw", result.columns)
    finish_staged(con, spec, "raw", result.columns, params)


def fix_csv_lines(con, params: dict) -> int:
    """After DuckDB read the CSV: fix ``staged._line`` around the rejected lines (``_bad``).

    Returns the number of rejected (malformed) lines. DuckDB numbers good rows in order; each
    one's file line is the data lines after the header minus the rejected ones (exact: the fast
    path is only taken for files with one line per record and no blank lines between records).
    """
    n_bad = con.execute("SELECT count(*) FROM _bad").fetchall()[0][0]
    if n_bad:
        first = params["csv_line0"] + 1
        con.execute(
            """UPDATE staged SET _line = l.line FROM (
                SELECT t.l AS line, row_number() OVER (ORDER BY t.l) + ? AS naive
                FROM range(?, ? + (SELECT count(*) FROM staged) + ?) t(l)
                WHERE t.l NOT IN (SELECT line FROM _bad)
            ) l WHERE staged._line = l.naive""",
            [params["csv_line0"], first, first, n_bad],
        )
    return n_bad


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
