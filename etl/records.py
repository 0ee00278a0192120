"""Readers for record formats: Open311 JSON and XML responses into temp table ``raw``.

A file cut short (a truncated download) loads its complete records and quarantines the one it
was cut in as ``malformed_row`` (its complete ``"key": value`` pairs or XML fields, minus
personal data); a file that is broken anywhere else, or nested too deeply, is refused with the
row named. Numbers are kept as their text (an id of 5,000 digits stays exact).
"""

from __future__ import annotations

import codecs
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from etl.errors import LoadError
from etl.malformed import malformed_raw, private_columns
from etl.mapping import Mapping
from etl.readers import ReadResult, records_to_raw

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _cut_record(con, line: int, fields: dict, mapping: Mapping, what: str) -> None:
    """Quarantine the record a file was cut in (``_bad``), with the values it still has."""
    raw = malformed_raw(
        list(fields.values()), list(fields), private_columns(mapping), positional=False
    )
    con.execute(
        "INSERT INTO _bad VALUES (?, NULL, ?, ?)",
        [line, f"the file ends inside this {what} (cut short)", raw],
    )


JSON_PAIR = re.compile(r'"([^"\\]+)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)')
JSON_WRAPPER = re.compile(r'\s*\{\s*"(?:[^"\\]|\\.)*"\s*:\s*\[')


def read_json(con, path: Path, mapping: Mapping) -> ReadResult:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-16" if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                          else "utf-8-sig")  # fmt: skip
    except UnicodeDecodeError as exc:
        raise LoadError(f"not valid JSON: not UTF-8 text ({exc.reason})", file=str(path)) from None
    decoder = json.JSONDecoder(parse_int=str)  # an id of 5,000 digits stays text
    cut = None
    try:
        doc = decoder.decode(text)
    except RecursionError:
        raise LoadError("not usable JSON: nested too deeply", file=str(path)) from None
    except json.JSONDecodeError as exc:
        doc, cut = _json_prefix(text, decoder)
        if doc is None:
            raise LoadError(
                f"not valid JSON: {exc.msg}", file=str(path), row=exc.lineno, column=None
            ) from None
    if isinstance(doc, dict):
        doc = next((v for v in doc.values() if isinstance(v, list)), None)
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise LoadError("expected a JSON array of request objects", file=str(path))
    result = records_to_raw(con, path, doc, mapping, "json")
    if cut is not None:
        fields = {k: json.loads(v) if v[0] == '"' else v for k, v in JSON_PAIR.findall(cut)}
        _cut_record(con, len(doc) + 1, fields, mapping, "JSON record")
    return result


def _json_prefix(text: str, decoder: json.JSONDecoder):
    """A JSON array of records cut short: (the complete records, the text of the cut one).

    Only for a file that ends before its closing bracket; (None, None) otherwise.
    """
    body = text.rstrip()
    top = body.lstrip()
    if top.startswith("["):
        pos = text.index("[") + 1
    else:
        m = JSON_WRAPPER.match(text)
        if not m:
            return None, None
        pos = m.end()
    records = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(body) or text[pos] in "]}":
            return None, None  # complete, so the error is elsewhere: not a cut file
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            rest = text[pos:]
            return (records, rest) if not _closes(rest) else (None, None)
        records.append(obj)


def _closes(rest: str) -> bool:
    """Whether the text after a bad record still closes the array (then it is not a cut)."""
    return rest.rstrip().endswith(("]", "]}", "] }"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xml(con, path: Path, mapping: Mapping) -> ReadResult:
    records, current = [], None
    try:
        for event, elem in ET.iterparse(path, events=("start", "end")):
            if _local(elem.tag) != mapping.record_tag:
                continue
            if event == "start":
                current = elem
                continue
            records.append(_xml_fields(elem))
            current = None
            elem.clear()
    except ET.ParseError as exc:
        line = exc.position[0]
        if not (_at_end(path, line) and records):
            raise LoadError(f"not valid XML: {exc}", file=str(path), row=line) from None
        result = records_to_raw(con, path, records, mapping, "xml")
        if current is not None:
            _cut_record(con, len(records) + 1, _xml_fields(current), mapping, "XML record")
        return result
    return records_to_raw(con, path, records, mapping, "xml")


def _xml_fields(elem) -> dict:
    rec = {}
    for child in elem:
        text = (child.text or "").strip()
        nil = child.get(XSI_NIL) == "true"
        rec[_local(child.tag)] = None if nil or not text else text
    return rec


def _at_end(path: Path, line: int) -> bool:
    """Whether a parse error on ``line`` is at the file's last non-blank line (a cut file)."""
    with path.open("rb") as fh:
        lines = fh.read().rstrip().count(b"\n") + 1
    return line >= lines
