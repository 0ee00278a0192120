"""What a CSV file is, byte by byte: its encoding, its line ends, and how many records it holds.

The encoding is decided from the whole file (``sniff_encoding``), not from its first lines: a
Latin-1 character on line 61 makes the file Latin-1. ``scan`` counts the records after the
header with a quote-parity pass over the bytes (fast: about 0.3 s per million lines, run in a
background thread while DuckDB reads the file) and says whether the file is *simple*: one line
per record, no blank line between records, no bare CR. ``etl.csvfile`` trusts DuckDB's reading
only of a simple file whose record count it matches.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

BLOCK = 1 << 20


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
        lf = cr = False
        ok = True
        for block in iter(lambda: fh.read(BLOCK), b""):
            lf = lf or b"\n" in block
            cr = cr or b"\r" in block
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
    newline = "\r" if cr and not lf else "\n"
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
    simple enough for DuckDB's reader to number its lines exactly.

    Block by block: a block with no line holding an odd number of quotes is counted by its line
    feeds (quotes are found with ``find``; lines are never split); only the others go line by
    line. A blank line inside such a block counts as a record, so the count disagrees with
    DuckDB's (which skips it) and the file is read exactly; blank lines at the end are not
    records.
    """
    out = Scan()
    if enc.name == "utf-16" or enc.newline != "\n":
        out.simple = False
        return out
    state = {"odd": False, "blank": False}
    with path.open("rb") as fh:
        for _ in range(header_line):
            fh.readline()
        carry = b""
        for block in iter(lambda: fh.read(BLOCK), b""):
            block = carry + block
            cut = block.rfind(b"\n") + 1
            carry = block[cut:]
            if cut:
                _count(block[:cut], out, state)
        if carry:
            _count(carry + b"\n", out, state)
        if out.simple and not state["odd"]:
            out.records -= _trailing_blank_lines(fh)
    if state["odd"]:  # a quote left open at the end of the file
        out.simple = False
    return out


def _trailing_blank_lines(fh) -> int:
    """Empty lines at the end of the file (after its last record's line end)."""
    size = fh.seek(0, 2)
    fh.seek(max(0, size - 4096))
    tail = fh.read().replace(b"\r\n", b"\n")
    stripped = tail.rstrip(b"\n")
    return max(0, len(tail) - len(stripped) - 1) if stripped else 0


def _odd_line(region: bytes) -> bool:
    """Whether some line of ``region`` holds an odd number of quotes."""
    per_line: dict[int, int] = {}
    pos = region.find(b'"')
    while pos >= 0:
        start = region.rfind(b"\n", 0, pos)
        per_line[start] = per_line.get(start, 0) + 1
        pos = region.find(b'"', pos + 1)
    return any(n & 1 for n in per_line.values())


def _count(region: bytes, out: Scan, state: dict) -> None:
    """Add the records of ``region``: whole lines, each ending in LF."""
    has_cr = b"\r" in region
    if has_cr and region.count(b"\r") != region.count(b"\r\n"):
        out.simple = False  # a bare CR: DuckDB would end a record there
    if not state["odd"] and not _odd_line(region):
        out.records += region.count(b"\n")
        if state["blank"]:
            out.simple = False
        return
    for line in region[:-1].split(b"\n"):
        n = line.count(b'"')
        if state["odd"]:
            out.simple = False
            if n & 1:
                state["odd"] = False
                out.records += 1
            continue
        if line in (b"", b"\r"):
            state["blank"] = True
            continue
        if state["blank"]:
            out.simple = False
        if n & 1:
            state["odd"] = True
            continue
        out.records += 1


def decode_head(path: Path, enc: Encoding, n: int) -> list[str]:
    """The first ``n`` physical lines as text (for finding the header and the preamble)."""
    out = []
    for line in text_lines(path, enc):
        out.append("" if line is None else line)
        if len(out) >= n:
            break
    return out
