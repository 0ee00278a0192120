"""Malformed input records: the ``_bad`` table every reader fills, and their raw text.

A record that does not fit the header (a CSV line with too few or too many fields, an
unterminated quote, an undecodable line; the JSON or XML record a file was cut in) is
quarantined as ``malformed_row`` with its values under the header's names, without the mapping's
personal-data columns, its reporter column, bodies (unless kept) and any column whose name says
it is personal; values beyond the header are unnamed, so they are only counted. In a CSV record
that does not fit its header the values may sit under the wrong names (a short row puts the
reporter's name under "agency"), so every value without a digit that is not one of the
mapping's status words becomes ``[teks]`` (``etl.privacy.scrub_record``). The text is masked
(``kj_mask``) when it enters the quarantine.
"""

from __future__ import annotations

import json

from etl.mapping import Mapping
from etl.privacy import is_personal_header, scrub_record


class Private(set):
    """Source column names (lower case) never kept in a quarantined record, and the words a
    record whose fields may be shifted keeps as they are (the mapping's status values)."""

    keep_words: frozenset = frozenset()


def private_columns(spec: Mapping) -> Private:
    """Source columns never kept in a quarantined record: personal data, the reporter and
    (unless kept) bodies."""
    drop = Private(c.lower() for c in spec.personal_columns)
    drop |= {c.lower() for c in spec.columns.get("reporter", [])}
    if not spec.keep_body:
        drop |= {c.lower() for c in spec.columns.get("body", [])}
    drop.keep_words = frozenset(v.strip().lower() for vs in spec.statuses.values() for v in vs)
    return drop


def malformed_raw(
    fields: list[str], header: list[str], drop: set[str], positional: bool = True
) -> str:
    """JSON of a malformed record: its values under the header's names, without personal-data
    columns; values beyond the header (unnamed, so possibly personal) are only counted.
    ``positional``: the fields were matched to the header by position (CSV), so they may be
    shifted; their text is scrubbed (see the module docstring)."""
    record = {
        name: (value if value != "" else None)
        for name, value in zip(header, fields, strict=False)
        if name.lower() not in drop and not is_personal_header(name)
    }
    if positional:
        record = scrub_record(record, getattr(drop, "keep_words", frozenset()))
    if len(fields) > len(header):
        record["_extra_fields"] = len(fields) - len(header)
    return json.dumps(record, ensure_ascii=False)


def create_bad(con) -> None:
    """Temp table ``_bad``: the input's malformed records (line, column, detail, raw JSON)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bad (line BIGINT, column_name VARCHAR, "
        "detail VARCHAR, raw VARCHAR)"
    )
