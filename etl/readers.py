"""Readers: put one input file into a temporary DuckDB table ``raw``.

Every reader produces the same shape: one VARCHAR column per source column (header names as in
the file; a blank, repeated or reserved name such as ``_line`` gets a suffix) plus ``_line``, the
1-based line (CSV, XLSX row) or record number (JSON, XML, Parquet) used in quarantine reports,
and temp table ``_bad`` for records that do not fit (``etl.malformed``). CSV and Parquet are read
by DuckDB itself; XLSX, JSON and XML (``etl.records``) are parsed in Python into an Arrow table,
after which SQL takes over. A CSV is not copied into ``raw``: ``ReadResult.source`` is a
``read_csv`` query that the mapping reads in one pass, checked by ``etl.csvfile``.
"""

from __future__ import annotations

import codecs
import csv
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb

from etl import csvscan
from etl.errors import LoadError
from etl.malformed import create_bad
from etl.mapping import Mapping

KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
KINDS |= {".json": "json", ".xml": "xml", ".parquet": "parquet", ".pq": "parquet"}
HEADER_SCAN_LINES = 60


@dataclass
class ReadResult:
    """What a reader found: columns, where the header was, the preamble's key/value pairs."""

    kind: str
    columns: list[str]
    header_line: int = 0
    preamble: dict[str, str] = field(default_factory=dict)
    source: str = "raw"  # SQL the mapping reads: table ``raw`` or a ``read_csv`` query
    params: dict = field(default_factory=dict)  # the named parameters ``source`` uses
    doc_time: datetime | None = None  # a saved time the container carries (XLSX properties)
    encoding: csvscan.Encoding | None = None  # CSV only
    delim: str = ","  # CSV only


def file_kind(path: Path, mapping: Mapping) -> str:
    """The reader for ``path``, from its extension; refuse kinds the mapping does not accept."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise LoadError(
            f"unsupported file type {path.suffix!r}; expected one of "
            f"{', '.join(mapping.file_types)}",
            file=str(path),
        )
    if kind not in mapping.file_types:
        raise LoadError(
            f"source {mapping.name!r} reads {', '.join(mapping.file_types)} files, not {kind}",
            file=str(path),
        )
    return kind


def read_into(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping) -> ReadResult:
    """Create temp table ``raw`` from ``path``; raise LoadError when the file is unusable."""
    if not path.exists():
        raise LoadError("file not found", file=str(path))
    if not path.is_file():
        raise LoadError("not a regular file", file=str(path))
    if path.stat().st_size == 0:
        raise LoadError("file is empty", file=str(path))
    kind = file_kind(path, mapping)
    with path.open("rb") as fh:
        head = fh.read(65536)
    utf16 = head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if kind in ("csv", "json", "xml") and b"\x00" in head and not utf16:
        if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            raise LoadError(
                "UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with BOM)",
                file=str(path),
            )
        raise LoadError(f"not a text file (binary content); expected {kind}", file=str(path))
    create_bad(con)
    if kind == "xlsx" and not head.startswith(b"PK"):
        raise LoadError("not an XLSX workbook", file=str(path))
    if kind == "parquet" and not head.startswith(b"PAR1"):
        raise LoadError("not a Parquet file", file=str(path))
    from etl.records import read_json, read_xml  # they use this module's helpers

    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "json": read_json, "xml": read_xml}
    result = reader.get(kind, _read_parquet)(con, path, mapping)
    result.kind = kind
    return result


def header_markers(mapping: Mapping) -> list[str]:
    """Cells that identify the header row: the mapping's list, else its required columns."""
    if mapping.header_contains:
        return mapping.header_contains
    from etl.mapping import REQUIRED

    return [mapping.columns[f][0] for f in REQUIRED[mapping.target]]


def _is_header(cells: list[str], markers: list[str]) -> bool:
    found = {c.strip().lower() for c in cells}
    return all(m.lower() in found for m in markers)


def no_header(path: Path, mapping: Mapping) -> LoadError:
    want = ", ".join(header_markers(mapping))
    return LoadError(
        f"no recognisable header: expected a row with the columns {want} (source {mapping.name!r})",
        file=str(path),
    )


def _read_csv(con, path: Path, mapping: Mapping) -> ReadResult:
    enc = csvscan.sniff_encoding(path)
    lines = csvscan.decode_head(path, enc, HEADER_SCAN_LINES)
    markers = header_markers(mapping)
    preamble: dict[str, str] = {}
    idx, delim, header = -1, ",", []
    for i, line in enumerate(lines):
        delim = max(",;\t|", key=line.count)
        cells = next(csv.reader([line.replace("\r", " ")], delimiter=delim), [])
        if _is_header(cells, markers):
            idx, header = i, _unique(cells)
            break
        values = [c.strip() for c in cells[1:] if c.strip()]
        if cells and cells[0].strip() and values:
            preamble[cells[0].strip()] = values[0]
    if idx < 0:
        raise no_header(path, mapping)
    # The header is known, so DuckDB need not sniff. The file is not copied into a table: the
    # mapping reads it straight from this query (one pass). Rows that do not fit the header are
    # kept in reject_errors (with their file line) and quarantined as malformed_row; ``_line``
    # is the data line's number, corrected by ``fix_csv_lines`` when some lines were rejected.
    # ``etl.csvfile`` checks the result against its own count of the file's records and reads
    # the file itself when DuckDB's reading cannot be trusted for it (and fixes ``_line``).
    source = (
        "(SELECT *, CAST(row_number() OVER () AS BIGINT) + $csv_line0 AS _line "
        "FROM read_csv($csv_path, skip = $csv_skip, header = true, auto_detect = false, "
        "columns = $csv_columns, delim = $csv_delim, quote = '\"', escape = '\"', "
        "null_padding = false, parallel = false, encoding = $csv_encoding, "
        "store_rejects = true, max_line_size = 10000000))"
    )
    params = {
        "csv_path": str(path),
        "csv_skip": idx,
        "csv_columns": {c: "VARCHAR" for c in header},
        "csv_delim": delim,
        "csv_encoding": enc.name if enc.name != "utf-16" else "utf-8",
        "csv_line0": idx + 1,
    }
    result = ReadResult("csv", header, idx + 1, preamble, source=source, params=params)
    result.encoding, result.delim = enc, delim
    return result


def raw_columns(con) -> list[str]:
    """The source columns of temp table ``raw`` (without ``_line``)."""
    desc = con.execute("SELECT * FROM raw LIMIT 0").description
    return [d[0] for d in desc if d[0] != "_line"]


def _cell_text(value) -> str | None:
    """Text of a spreadsheet/JSON value; dates at midnight become plain dates."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() == time(0) and value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if text.strip() else None


RESERVED = {"_line", "_kj_src", "_kj_rec"}  # the column every reader adds; SQL aliases


def _unique(names: list) -> list[str]:
    """Column names: blank ones named by position, repeats (ignoring case, as SQL does) and
    the reserved ``_line`` suffixed (``_line_2``)."""
    out: list[str] = []
    taken = set(RESERVED)
    for i, name in enumerate(names):
        base = str(name).strip() if name is not None and str(name).strip() else f"column{i:02d}"
        cand, n = base, 2
        while cand.lower() in taken:
            cand, n = f"{base}_{n}", n + 1
        out.append(cand)
        taken.add(cand.lower())
    return out


def _register(con, columns: list[str], rows: list[list], lines: list[int]) -> None:
    import pyarrow as pa  # only here: importing it costs half a second on every CSV load

    data = {
        c: pa.array([r[i] if i < len(r) else None for r in rows], pa.string())
        for i, c in enumerate(columns)
    }
    data["_line"] = pa.array(lines, pa.int64())
    con.register("raw_arrow", pa.table(data))
    con.execute("CREATE TEMP TABLE raw AS SELECT * FROM raw_arrow")
    con.unregister("raw_arrow")


def _read_xlsx(con, path: Path, mapping: Mapping) -> ReadResult:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LoadError(f"cannot open the workbook: {exc}", file=str(path)) from None
    markers = header_markers(mapping)
    try:
        for ws in wb.worksheets:
            header, preamble, rows, lines = None, {}, [], []
            for rowno, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in values]
                if header is None:
                    texts = [c or "" for c in cells]
                    if _is_header(texts, markers):
                        header, header_line = _unique(cells), rowno
                    elif texts and texts[0].strip() and any(t.strip() for t in texts[1:]):
                        preamble[texts[0].strip()] = next(t for t in texts[1:] if t.strip())
                    elif rowno > HEADER_SCAN_LINES:
                        break
                    continue
                if any(c is not None for c in cells):
                    rows.append([c.strip() if c else None for c in cells])
                    lines.append(rowno)
            if header is not None:
                _register(con, header, rows, lines)
                result = ReadResult("xlsx", header, header_line, preamble)
                result.doc_time = _saved_time(wb)
                return result
    finally:
        wb.close()
    raise no_header(path, mapping)


def _saved_time(wb) -> datetime | None:
    """The workbook's saved time (document properties, UTC), if it has one."""
    modified = getattr(getattr(wb, "properties", None), "modified", None)
    if not isinstance(modified, datetime):
        return None
    return modified.astimezone(UTC).replace(tzinfo=None) if modified.tzinfo else modified


def records_to_raw(con, path: Path, records: list[dict], mapping: Mapping, kind: str):
    keys: list[str] = []
    for rec in records:
        keys.extend(k for k in rec if k not in keys)
    markers = header_markers(mapping)
    if not records or not _is_header(keys, markers):
        raise no_header(path, mapping)
    columns = _unique(keys)
    rows = [[_cell_text(rec.get(k)) for k in keys] for rec in records]
    _register(con, columns, rows, list(range(1, len(rows) + 1)))
    return ReadResult(kind, columns, 0, {})


def _read_parquet(con, path: Path, mapping: Mapping) -> ReadResult:
    from etl.transform import qi

    try:
        names = [
            r[0]
            for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        ]
        cols = ", ".join(
            f"CAST({qi(n)} AS VARCHAR) AS {qi(u)}"
            for n, u in zip(names, _unique(names), strict=True)
        )
        con.execute(
            f"CREATE TEMP TABLE raw AS SELECT {cols}, "
            "CAST(row_number() OVER () AS BIGINT) AS _line FROM read_parquet(?)",
            [str(path)],
        )
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise LoadError(f"cannot read as Parquet: {first}", file=str(path)) from None
    columns = raw_columns(con)
    if not _is_header(columns, header_markers(mapping)):
        raise no_header(path, mapping)
    return ReadResult("parquet", columns)
