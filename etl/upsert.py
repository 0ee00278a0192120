"""Apply ``staged`` to the warehouse: quarantine, agencies, upsert, status history.

The newest export wins: a row is updated when its values differ from the stored ones and its
export is not older than the stored row's; a status change writes a ``status_history`` row
stamped with the export time. Re-loading a file therefore changes nothing. A file dated only by
its modification time never overwrites a row last written by an export whose time was declared
(``--exported-at`` or the file's content; see ``etl.exporttime``), and a stored export time in
the future (written before such times were refused) does not block newer exports. Rows left as
stored because of either rule are counted as ``stale`` (a part of ``unchanged``).

A row is matched on (source, id scope, id): the id scope is '' for sources with national ids
(SP4N-LAPOR!: a complaint re-disposed to another region stays one row and changes region) and
the load's region otherwise (two kab/kota desks may both number their complaints from 1).
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.mapping import Mapping
from etl.transform import agency_lookup, run
from kinerja import fields

# The stored columns of each fact table (kinerja/fields.py declares them once).
COLUMNS = {t: fields.stored_columns(t) for t in fields.TARGETS}
KEY = {t: fields.key_column(t) for t in fields.TARGETS}
EXPR = {
    "agency_id": "g.agency_id",
    "region_code": "s.region_code",
    "closed_at": "closed_at_final",
    "completed_at": "completed_at_final",
    "status": "mapped_status",
    "has_response_time": "$has_response",
    "has_close_time": "$has_close",
}


@dataclass
class Counts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    stale: int = 0  # of ``unchanged``: a newer (or declared-time) export wrote the stored row


def apply(con, mapping: Mapping, params: dict) -> Counts:
    """Write staged rows into the warehouse tables; return the row counts.

    First load of a source into its table (nothing stored yet): every valid row is an insert,
    written straight from ``staged`` with no comparison. Otherwise each row is matched to the
    stored one by key and inserted, updated, or left alone.
    """
    target, key = mapping.target, KEY[mapping.target]
    cols = COLUMNS[target]
    agency_lookup(con)
    select = ", ".join(f"{EXPR.get(c, c)} AS {c}" for c in cols)
    incoming = f"""(SELECT s.{key}, {select}, CAST($exported_at AS TIMESTAMP) AS exported_at
        FROM staged s LEFT JOIN _agency g ON g.agency_raw IS NOT DISTINCT FROM s.agency_raw
            AND g.region_code = s.region_code
        WHERE s.reason IS NULL)"""
    _agencies(con)
    names = ", ".join(cols)
    insert = f"""INSERT INTO {target} (source, id_scope, {key}, {names}, exported_at, load_id)
        SELECT $source, $id_scope, i.{key}, {", ".join("i." + c for c in cols)}, i.exported_at,
            $load_id
        FROM {{src}} i"""
    history = """INSERT INTO status_history
            (source, complaint_id, status, raw_status, seen_at, load_id, id_scope)
        SELECT $source, complaint_id, i.status, i.raw_status, $exported_at, $load_id, $id_scope
        FROM {src} i"""
    stored = (
        f"SELECT count(*) FROM (SELECT 1 FROM {target} WHERE source = ? AND id_scope = ? LIMIT 1)"
    )
    if not con.execute(stored, [mapping.name, params["id_scope"]]).fetchall()[0][0]:
        run(con, insert.format(src=incoming), params)
        if target == "complaints":
            src = """(SELECT complaint_id, mapped_status AS status, raw_status
                FROM staged WHERE reason IS NULL)"""
            run(con, history.format(src=src), params)
        n = con.execute("SELECT count(*) FROM staged WHERE reason IS NULL").fetchall()[0]
        n = (n[0], 0, 0, 0)
    else:
        n = _upsert(con, mapping, params, incoming, insert, history)
    _quarantine(con, params)
    q = con.execute("SELECT count(*) FROM rejects").fetchall()[0][0]
    return Counts(
        read=sum(n[:3]) + q, inserted=n[0], updated=n[1], unchanged=n[2], quarantined=q, stale=n[3]
    )


def _upsert(con, mapping: Mapping, params: dict, incoming: str, insert: str, history: str):
    """Compare with the stored rows: insert new keys, update changed rows, count the rest."""
    target, key = mapping.target, KEY[mapping.target]
    cols = COLUMNS[target]
    run(con, f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT * FROM {incoming}", params)
    differs = " OR ".join(f"i.{c} IS DISTINCT FROM w.{c}" for c in cols)
    run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE actions AS
        SELECT i.{key}, w.status AS old_status, i.status AS new_status,
            CASE WHEN w.{key} IS NULL THEN 'insert'
                 WHEN w.exported_at > i.exported_at AND w.exported_at <= $now
                      AND ({differs}) THEN 'stale'
                 WHEN $mtime_dated AND l.exported_at_source IN ('argument', 'content')
                      AND ({differs}) THEN 'stale'
                 WHEN {differs} THEN 'update' ELSE 'unchanged' END AS action
        FROM incoming i LEFT JOIN {target} w
            ON w.source = $source AND w.id_scope = $id_scope AND w.{key} = i.{key}
        LEFT JOIN loads l ON l.load_id = w.load_id""",
        params,
    )
    sets = ", ".join(f"{c} = i.{c}" for c in cols)
    run(
        con,
        f"""UPDATE {target} w SET {sets}, exported_at = i.exported_at, load_id = $load_id
        FROM incoming i JOIN actions a USING ({key})
        WHERE a.action = 'update' AND w.source = $source AND w.id_scope = $id_scope
            AND w.{key} = i.{key}""",
        params,
    )
    src = f"(SELECT i.* FROM incoming i JOIN actions a USING ({key}) WHERE a.action = 'insert')"
    run(con, insert.format(src=src), params)
    if target == "complaints":
        src = """(SELECT i.* FROM incoming i JOIN actions a USING (complaint_id)
            WHERE a.action = 'insert'
               OR (a.action = 'update' AND a.old_status IS DISTINCT FROM a.new_status))"""
        run(con, history.format(src=src), params)
    return con.execute("""SELECT count(*) FILTER (WHERE action = 'insert'),
        count(*) FILTER (WHERE action = 'update'),
        count(*) FILTER (WHERE action IN ('unchanged', 'stale')),
        count(*) FILTER (WHERE action = 'stale') FROM actions""").fetchall()[0]


def _agencies(con) -> None:
    """Add agencies first seen in this file; prefer a name that is not all capitals.

    A stored all-capitals name is replaced when a file brings a better-cased one.
    An agency reached through a short alias ("DPU", Boston's "PWDx") keeps it as short_name.
    ``_agency`` holds one row per distinct raw agency value of the file's valid rows; among
    equally good names the one met first in the file wins.
    """
    con.execute("""INSERT INTO agencies (agency_id, name, short_name, region_code)
        SELECT agency_id,
               arg_max(coalesce(agency_name, 'Belum terdisposisi'),
                       ((agency_name IS DISTINCT FROM upper(agency_name))::BIGINT * 1000000
                        + length(coalesce(agency_name, ''))) * 10000000000 - first_line),
               min(agency_short), any_value(region_code)
        FROM _agency
        WHERE agency_id NOT IN (SELECT agency_id FROM agencies)
        GROUP BY agency_id""")
    con.execute("""UPDATE agencies a SET name = v.name FROM (
            SELECT agency_id, min(agency_name) AS name FROM _agency
            WHERE agency_name <> upper(agency_name) GROUP BY agency_id
        ) v
        WHERE a.agency_id = v.agency_id AND a.name = upper(a.name)""")


def _quarantine(con, params: dict):
    """Quarantine rejected rows with the raw record minus personal data (masked JSON).

    ``staged`` holds each rejected row's reason, detail and masked record; ``_bad`` the input's
    malformed records (a reader's: CSV lines that do not fit the header, a record a JSON or XML
    file was cut in). A row already quarantined from the same file (same name, or same bytes
    under another name; same line, reason and record) is not added again, so re-loading a file
    leaves the quarantine table as it was.
    """
    con.execute("""CREATE OR REPLACE TEMP TABLE rejects AS
        SELECT _line AS line_no, reason, reason_column AS column_name, detail, raw
        FROM staged WHERE reason IS NOT NULL
        UNION ALL
        SELECT line, 'malformed_row', column_name, kj_mask(detail), kj_mask(raw) FROM _bad""")
    run(
        con,
        """INSERT INTO quarantine (load_id, source, file_name, line_no, reason, column_name,
            detail, raw, file_sha256, region_code)
        SELECT $load_id, $source, $file_name, j.line_no, j.reason, j.column_name, j.detail, j.raw,
            $file_sha256, $region
        FROM rejects j WHERE NOT EXISTS (
            SELECT 1 FROM quarantine q WHERE q.source = $source
              AND (q.file_sha256 = $file_sha256 OR q.file_name = $file_name)
              AND q.line_no = j.line_no AND q.reason = j.reason
              AND q.raw IS NOT DISTINCT FROM j.raw)""",
        params,
    )
