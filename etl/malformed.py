"""Malformed input records: the ``_bad`` table every reader fills, and their raw text.

A record that does not fit the header (a CSV line with too few or too many fields, an
unterminated quote, an undecodable line; the JSON or XML record a file was cut in) is
quarantined as ``malformed_row`` with its values under the header's names, without the mapping's
personal-data columns (and bodies, unless kept); values beyond the header are unnamed, so they
are only counted. The text is masked (``kj_mask``) when it enters the quarantine.
"""

from __future__ import annotations

import json

from etl.mapping import Mapping


def private_columns(spec: Mapping) -> set[str]:
    """Source columns never kept in a quarantined record: personal data and (unless kept) bodies."""
    drop = {c.lower() for c in spec.personal_columns}
    if not spec.keep_body:
        drop |= {c.lower() for c in spec.columns.get("body", [])}
    return drop


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
