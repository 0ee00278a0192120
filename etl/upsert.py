"""Apply ``staged`` to the warehouse: quarantine, agencies, upsert, status history.

The newest export wins: a row is updated when its values differ from the stored ones and its
export is not older than the stored row's; a status change writes a ``status_history`` row
stamped with the export time. Re-loading a file therefore changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.mapping import Mapping
from etl.transform import TS_FIELDS, qi, run

COLUMNS = {
    "complaints": (
        "channel",
        "agency_id",
        "category",
        "district",
        "village",
        "lat",
        "lon",
        "title",
        "body",
        "reporter_hash",
        "created_at",
        "first_response_at",
        "closed_at",
        "status",
        "raw_status",
        "has_response_time",
        "has_close_time",
        "closed_at_missing",
        "response_due_at",
        "resolution_due_at",
        "satisfaction",
        "reopen_count",
    ),
    "services": (
        "service_type",
        "agency_id",
        "district",
        "channel",
        "submitted_at",
        "completed_at",
        "status",
        "raw_status",
        "standard_days",
        "due_at",
    ),
}
KEY = {"complaints": "complaint_id", "services": "service_id"}
EXPR = {
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


def apply(con, mapping: Mapping, params: dict, raw_columns: list[str], malformed: bool) -> Counts:
    """Write staged rows into the warehouse tables; return the row counts."""
    target, key = mapping.target, KEY[mapping.target]
    cols = COLUMNS[target]
    select = ", ".join(f"{EXPR.get(c, c)} AS {c}" for c in cols)
    run(
        con,
        f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT {key}, {select}, "
        "$exported_at AS exported_at FROM staged WHERE reason IS NULL",
        params,
    )
    differs = " OR ".join(f"i.{c} IS DISTINCT FROM w.{c}" for c in cols)
    run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE actions AS
        SELECT i.{key}, w.status AS old_status, i.status AS new_status,
            CASE WHEN w.{key} IS NULL THEN 'insert'
                 WHEN w.exported_at > i.exported_at THEN 'stale'
                 WHEN {differs} THEN 'update' ELSE 'unchanged' END AS action
        FROM incoming i LEFT JOIN {target} w ON w.source = $source AND w.{key} = i.{key}""",
        params,
    )
    _agencies(con)
    sets = ", ".join(f"{c} = i.{c}" for c in cols)
    run(
        con,
        f"""UPDATE {target} w SET {sets}, exported_at = i.exported_at, load_id = $load_id
        FROM incoming i JOIN actions a USING ({key})
        WHERE a.action = 'update' AND w.source = $source AND w.{key} = i.{key}""",
        params,
    )
    names = ", ".join(cols)
    run(
        con,
        f"""INSERT INTO {target} (source, {key}, {names}, exported_at, load_id)
        SELECT $source, i.{key}, {", ".join("i." + c for c in cols)}, i.exported_at, $load_id
        FROM incoming i JOIN actions a USING ({key}) WHERE a.action = 'insert'""",
        params,
    )
    if target == "complaints":
        run(
            con,
            """INSERT INTO status_history
            SELECT $source, complaint_id, i.status, i.raw_status, $exported_at, $load_id
            FROM incoming i JOIN actions a USING (complaint_id)
            WHERE a.action = 'insert'
               OR (a.action = 'update' AND a.old_status IS DISTINCT FROM a.new_status)""",
            params,
        )
    _quarantine(con, mapping, params, raw_columns, malformed)
    n = con.execute("""SELECT count(*) FILTER (WHERE action = 'insert'),
        count(*) FILTER (WHERE action = 'update'),
        count(*) FILTER (WHERE action IN ('unchanged', 'stale')) FROM actions""").fetchall()[0]
    q = con.execute("SELECT count(*) FROM rejects").fetchall()[0][0]
    return Counts(read=sum(n) + q, inserted=n[0], updated=n[1], unchanged=n[2], quarantined=q)


def _agencies(con) -> None:
    """Add agencies first seen in this file; prefer a name that is not all capitals.

    A stored all-capitals name is replaced when a file brings a better-cased one.
    An agency reached through a short alias ("DPU", Boston's "PWDx") keeps it as short_name.
    """
    con.execute("""INSERT INTO agencies (agency_id, name, short_name)
        SELECT agency_id,
               arg_max(coalesce(agency_name, 'Belum terdisposisi'),
                       (agency_name IS DISTINCT FROM upper(agency_name))::INT * 1000000
                       + length(coalesce(agency_name, ''))),
               min(agency_short)
        FROM staged
        WHERE reason IS NULL AND agency_id NOT IN (SELECT agency_id FROM agencies)
        GROUP BY agency_id""")
    con.execute("""UPDATE agencies a SET name = v.name FROM (
            SELECT agency_id, min(agency_name) AS name FROM staged
            WHERE reason IS NULL AND agency_name <> upper(agency_name) GROUP BY agency_id
        ) v
        WHERE a.agency_id = v.agency_id AND a.name = upper(a.name)""")


def _quarantine(con, mapping: Mapping, params: dict, raw_columns: list[str], malformed: bool):
    """Quarantine rejected rows with the raw record minus personal data (masked JSON).

    A row already quarantined from the same file (same line, reason and record) is not added
    again, so re-loading a file leaves the quarantine table as it was.
    """
    drop = {c.lower() for c in mapping.personal_columns}
    if not mapping.keep_body:
        drop |= {c.lower() for c in mapping.columns.get("body", [])}
    keep = [c for c in raw_columns if c.lower() not in drop]
    record = ", ".join(f"{qi(c)} := r.{qi(c)}" for c in keep) or "empty := NULL"
    fields = TS_FIELDS[mapping.target]
    raw_value = (
        "CASE s.reason_column " + " ".join(f"WHEN '{f}' THEN s.{f}_raw" for f in fields) + " END"
    )
    start, end = (
        ("created", "closed") if mapping.target == "complaints" else ("submitted", "completed")
    )
    run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE rejects AS
        SELECT s._line AS line_no, s.reason, s.reason_column AS column_name,
               kj_mask(CASE s.reason WHEN 'unknown_status' THEN 'status ' || s.raw_status
                    WHEN 'unparseable_date' THEN 'value ' || coalesce({raw_value}, '')
                         || ' does not match the date formats'
                    WHEN '{end}_before_{start}' THEN '{end} ' || s.{end}_at_raw
                         || ' is before {start} ' || s.{start}_at_raw END)
                   AS detail,
               kj_mask(to_json(struct_pack({record}))) AS raw
        FROM staged s JOIN raw r USING (_line) WHERE s.reason IS NOT NULL""",
        params,
    )
    if malformed:
        con.execute("""INSERT INTO rejects
            SELECT line, 'malformed_row', any_value(column_name), any_value(error_message), NULL
            FROM reject_errors GROUP BY line""")
    run(
        con,
        """INSERT INTO quarantine
        SELECT $load_id, $source, $file_name, j.line_no, j.reason, j.column_name, j.detail, j.raw
        FROM rejects j WHERE NOT EXISTS (
            SELECT 1 FROM quarantine q WHERE q.source = $source AND q.file_name = $file_name
              AND q.line_no = j.line_no AND q.reason = j.reason
              AND q.raw IS NOT DISTINCT FROM j.raw)""",
        params,
    )
