"""A file received through the browser, loaded by the same ``etl.load.load_file`` as the CLI.

Why a module: the app never calls ETL internals. ``load_upload`` checks the stated limits (size,
type), writes the bytes under their own (cleaned) name into a private temporary folder, loads them
with ``load_file`` (atomic, idempotent, nothing lost, readers never blocked; a second upload waits
for the writer lock), records who loaded it and removes the copy. ``guess`` reads the first lines
to pre-fill the form: which built-in mapping the header matches and the region the file names.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.errors import LoadError
from etl.mapping import Mapping, list_mappings
from etl.store import try_writer_lock
from kinerja import regions
from kinerja.paths import resolve_db

MAX_UPLOAD_MB = 100
FILE_TYPES = ("csv", "xlsx", "json", "xml", "parquet")
SNIFF_BYTES = 256 * 1024
SNIFF_LINES = 40
WAITING = "waiting"  # a stage before the load's own (etl.progress.Stages.NAMES): lock held


@dataclass(frozen=True)
class Guess:
    """What the file's first lines say: a built-in mapping and a region code (None: unknown)."""

    source: str | None
    region: str | None


def clean_name(name: str) -> str:
    """The file's own name without folders or control characters (kept in the load log)."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip().lstrip(".") or "upload"
    stem, dot, ext = base.rpartition(".")
    return (stem[:100] + dot + ext[:10]) if dot else base[:110]


def file_type(name: str) -> str:
    """The lower-case extension (``csv``) of a file name."""
    return Path(name).suffix.lower().lstrip(".")


def check_limits(name: str, size: int) -> None:
    """Refuse a file over ``MAX_UPLOAD_MB`` or of a type no mapping reads (``LoadError``)."""
    kind = file_type(name)
    if kind not in FILE_TYPES:
        raise LoadError(
            f"unsupported file type {('.' + kind) if kind else '(none)'}; expected one of "
            + ", ".join(FILE_TYPES),
            file=name,
        )
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        raise LoadError(f"file is larger than {MAX_UPLOAD_MB} MB", file=name)
    if size == 0:
        raise LoadError("file is empty", file=name)


def load_upload(
    name: str,
    data: bytes,
    source: str,
    region: str | None,
    loaded_by: str,
    region_scope: str | None = None,
    db=None,
    progress: Callable[[str], None] | None = None,
):
    """Load an uploaded file's bytes as ``etl load`` would; returns the ``LoadSummary``.

    ``region``: the default region of rows the file does not place; ``region_scope``: the region
    every valid row must lie in (the uploader's), else nothing is loaded. ``db``: default the
    database writers use (``kinerja.paths.resolve_db``). Errors are ``LoadError`` naming the
    file by its uploaded name, the row and the column.
    """
    from etl.load import load_file

    name = clean_name(name)
    check_limits(name, len(data))
    db_path = resolve_db(db)
    folder = Path(tempfile.mkdtemp(prefix="kinerja-upload-"))  # 0700: only this user
    path = folder / name
    try:
        path.write_bytes(data)
        if progress is not None:
            with try_writer_lock(db_path) as free:
                if not free:
                    progress(WAITING)
        summary = load_file(
            path,
            db=db_path,
            source=source,
            region=region or None,
            progress=progress or False,
            loaded_by=loaded_by,
            region_scope=region_scope,
        )
        summary.file = name
        return summary
    except LoadError as exc:
        if exc.file and str(exc.file).startswith(str(folder)):
            exc.file = name  # the uploader's name, never the server's temporary path
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---- what the file says (pre-filling the form) ---------------------------------------------


def guess(name: str, data: bytes) -> Guess:
    """The built-in mapping whose header the file has, and the region most of its rows name."""
    kind = file_type(name)
    if kind in ("json", "xml"):
        return Guess("open311", None)
    rows = _head_rows(kind, data)
    best, best_hits = None, 0
    for m in list_mappings():
        if kind not in m.file_types:
            continue
        for i, cells in enumerate(rows):
            if all(h in cells for h in m.header_contains):
                hits = sum(1 for names in m.columns.values() for n in names if n in cells)
                if hits > best_hits:
                    best, best_hits = (m, i), hits
    if best is None:
        return Guess(None, None)
    mapping, header_at = best
    return Guess(mapping.name, _region(mapping, rows[header_at:]) or mapping.default_region)


def _head_rows(kind: str, data: bytes) -> list[list[str]]:
    """The first lines of a CSV or workbook as lists of stripped cells."""
    if kind == "xlsx":
        return _xlsx_rows(data)
    if kind != "csv":
        return []
    head = data[:SNIFF_BYTES]
    for encoding in ("utf-8-sig", "utf-16", "latin-1"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = text.splitlines()[:SNIFF_LINES]
    sample = "\n".join(lines)
    delimiter = max(",;\t|", key=sample.count)
    return [
        [c.strip() for c in row] for row in csv.reader(io.StringIO(sample), delimiter=delimiter)
    ]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        out = [
            ["" if v is None else str(v).strip() for v in row]
            for row in ws.iter_rows(max_row=SNIFF_LINES, values_only=True)
        ]
        wb.close()
        return out
    except Exception:  # not a workbook: the load itself says why
        return []


def _region(mapping: Mapping, rows: list[list[str]]) -> str | None:
    """The region code most sample rows name in the mapping's region column (None if none)."""
    names = mapping.columns.get("region") or []
    if not rows or not names or names[0] not in rows[0]:
        return None
    at = rows[0].index(names[0])
    values = Counter(r[at] for r in rows[1:] if len(r) > at and r[at])
    table = regions.lookup_table(regions.registry())
    from etl.region_map import match

    for value, _ in values.most_common():
        code = match(value, table)
        if code:
            return code
    return None
