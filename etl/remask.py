"""``python -m etl remask``: mask what an older database stored before ``etl.privacy``.

New loads mask every kept text field; rows stored by an older version keep what it stored (it
masked titles only, and fewer forms). ``remask`` applies today's masker to every stored text
field, renames agencies whose name held personal data (their id is the slug of the masked name;
complaints and services follow), and rewrites quarantined raw records without the columns that
are personal by name. One atomic replace of the file, like a load. Figures change
only where a dimension value (category, district, ...) held personal data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from etl import privacy, sqlfuncs
from etl.errors import LoadError
from etl.store import atomic_db, writer_lock

TEXT_COLUMNS = {
    "complaints": ("category", "district", "village", "channel", "title", "body", "raw_status"),
    "services": ("service_type", "district", "channel", "raw_status"),
    "status_history": ("raw_status",),
    "quarantine": ("file_name", "detail"),
    "loads": ("file_name", "message"),
}


def remask(db: Path) -> dict[str, int]:
    """Mask every stored text value; returns the number of values changed per table."""
    if not db.exists():
        raise LoadError("no database", file=str(db))
    changed: dict[str, int] = defaultdict(int)
    with writer_lock(db), atomic_db(db) as con:
        sqlfuncs.install(con, "UTC")
        for table, columns in TEXT_COLUMNS.items():
            for col in columns:
                where = f"kj_mask({col}) IS DISTINCT FROM {col}"
                n = con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchall()[0][0]
                if n:
                    con.execute(f"UPDATE {table} SET {col} = kj_mask({col}) WHERE {where}")
                    changed[table] += n
        changed["agencies"] = _agencies(con)
        changed["quarantine"] += _raw_records(con)
    return dict(changed)


def _agencies(con) -> int:
    """Rename agencies whose name (or short name) held personal data; move their rows."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _remap AS
        SELECT agency_id AS old_id,
            CASE WHEN kj_mask(name) <> name
                 THEN region_code || ':'
                      || coalesce(nullif(kj_slug(kj_mask(name)), ''), 'unassigned')
                 ELSE agency_id END AS new_id,
            kj_mask(name) AS name, kj_mask(short_name) AS short_name, region_code
        FROM agencies
        WHERE kj_mask(name) <> name OR kj_mask(short_name) IS DISTINCT FROM short_name""")
    n = con.execute("SELECT count(*) FROM _remap").fetchall()[0][0]
    if not n:
        return 0
    for table in ("complaints", "services"):
        con.execute(f"""UPDATE {table} t SET agency_id = r.new_id FROM _remap r
            WHERE t.agency_id = r.old_id AND r.new_id <> r.old_id""")
    con.execute("DELETE FROM agencies WHERE agency_id IN (SELECT old_id FROM _remap)")
    con.execute("""INSERT INTO agencies (agency_id, name, short_name, region_code)
        SELECT new_id, min(name), min(short_name), min(region_code) FROM _remap
        WHERE new_id NOT IN (SELECT agency_id FROM agencies) GROUP BY new_id""")
    return n


def _raw_records(con) -> int:
    """Drop the columns that are personal by name from raw records, and mask the rest.

    (A load also drops columns whose values are mostly personal; for stored records the values
    are masked, but a name in such a column stays: reload the export to drop it too.)
    """
    rows = con.execute("SELECT rowid, raw FROM quarantine WHERE raw IS NOT NULL").fetchall()
    updates = []
    for rowid, raw in rows:
        try:
            rec = json.loads(raw)
        except ValueError:
            rec = None
        if isinstance(rec, dict):
            kept = {k: v for k, v in rec.items() if not privacy.is_personal_header(k)}
            new = privacy.mask(json.dumps(kept, ensure_ascii=False, separators=(",", ":")))
        else:
            new = privacy.mask(raw)
        if new != raw:
            updates.append((new, rowid))
    if updates:
        con.executemany("UPDATE quarantine SET raw = ? WHERE rowid = ?", updates)
    return len(updates)
