"""The generator invents reporters; the ETL must keep none of them (names, phones, bodies)."""

from __future__ import annotations

import re

from etl.demo.texts import FIRST_NAMES, LAST_NAMES
from tests.demo.conftest import query

NAME = re.compile(rf"\b({'|'.join(FIRST_NAMES)}) ({'|'.join(LAST_NAMES)})\b")
# A phone number standing alone (not a run of digits inside a sha256 hex digest or an id).
PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+62|62|0)8\d{8,}(?![0-9A-Za-z])")


def _texts(db) -> list[str]:
    tables = ("complaints", "status_history", "services", "agencies", "quarantine", "loads")
    out = []
    for table in tables:
        cols = [
            r[0]
            for r in query(
                db,
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = ? AND data_type = 'VARCHAR'",
                [table],
            )
        ]
        for col in cols:
            out += [
                r[0]
                for r in query(
                    db, f'SELECT DISTINCT "{col}" FROM {table} WHERE "{col}" IS NOT NULL'
                )
            ]
    return out


def test_no_reporter_names_or_phones_stored(demo):
    db, _ = demo
    texts = _texts(db)
    assert len(texts) > 10000
    assert [t for t in texts if NAME.search(t)] == []
    assert [t for t in texts if PHONE.search(t)] == []


def test_phone_numbers_in_titles_are_masked_and_bodies_dropped(demo):
    db, _ = demo
    typed, with_digits, bodies = query(
        db,
        """
        SELECT count(*) FILTER (title LIKE '%hubungi%'),
               count(*) FILTER (title LIKE '%hubungi%' AND regexp_matches(title, '[0-9]{6}')),
               count(body)
        FROM complaints""",
    )[0]
    assert typed > 100 and with_digits == 0 and bodies == 0
