"""Text for the CLI: the one-screen load summary, ``etl status`` and ``etl sources``.

Every value from a file or the database goes through ``safe`` (a newline in a file name or an
escape sequence in a value is shown escaped, never sent to the terminal), and any stored time,
even one DuckDB hands back as text (year 1), prints without failing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.errors import safe
from etl.exporttime import DESCRIBE
from etl.mapping import DATE_MIN, list_mappings

TOP_REASONS = 5
LOAD_KEYS = ("load_id", "source", "file_name", "finished_at", "outcome", "n_read", "n_inserted",
             "n_updated", "n_unchanged", "n_quarantined", "message", "exported_at",
             "exported_at_source", "n_stale", "loaded_by")  # fmt: skip


def summary_lines(s) -> list[str]:
    """One screen describing a ``LoadSummary``."""
    period = (
        f"{_day(s.period_start)} .. {_day(s.period_end)} (UTC)"
        if s.period_start
        else "no valid rows"
    )
    name, db = safe(Path(s.file).name), safe(s.db)
    lines = [
        f"Loaded {name} as source '{safe(s.source)}' into {db} (load {s.load_id})",
        f"  rows read     {s.read:>10,}",
        f"  inserted      {s.inserted:>10,}",
        f"  updated       {s.updated:>10,}",
        f"  unchanged     {s.unchanged:>10,}",
        f"  quarantined   {s.quarantined:>10,}",
        f"  period        {period}",
    ]
    if s.exported_at:
        how = DESCRIBE.get(s.exported_at_source or "", "")
        lines.append(f"  exported at   {_ts(s.exported_at)} UTC" + (f" ({how})" if how else ""))
    if s.stale:
        lines.append(
            f"  kept as stored {s.stale:>9,}  (in 'unchanged': a newer export, or one with a "
            "declared export time, wrote these rows)"
        )
    if s.reasons:
        lines.append("  top quarantine reasons:")
        top = sorted(s.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]
        lines += [f"    {safe(reason):<26}{n:>8,}" for reason, n in top]
        lines.append("  details: python -m etl status")
    lines += [f"  note: {safe(note)}" for note in s.notes]
    return lines


def reader(db: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with ``db`` attached read-only as ``wh`` (no progress bar:
    DuckDB would print it to stdout during a long query)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])
    return con


def status_data(db: Path, n_quarantined: int = 0) -> dict:
    """Loads, rows per source, quarantine by reason, last export time (read-only)."""
    con = reader(db)

    def rows(sql: str, params: list | None = None) -> list[dict]:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    return {
        "db": str(db),
        "sources": rows("""SELECT source, count(*) AS n_rows, max(exported_at) AS last_export_at,
                           min(created_at) AS first_created_at, max(created_at) AS last_created_at
                           FROM wh.complaints GROUP BY source ORDER BY source"""),
        "services": rows("""SELECT source, count(*) AS n_rows, max(exported_at) AS last_export_at
                            FROM wh.services GROUP BY source ORDER BY source"""),
        "quarantine": rows("""SELECT source, reason, count(*) AS n FROM wh.quarantine
                              GROUP BY source, reason ORDER BY source, n DESC, reason"""),
        "quarantined_rows": rows(
            """SELECT source, file_name, line_no, reason, column_name,
                                    detail FROM wh.quarantine
                                    ORDER BY load_id DESC, line_no LIMIT ?""",
            [n_quarantined],
        ),
        # SELECT *: a database from before exported_at_source/n_stale lacks those columns
        "loads": [
            {k: r.get(k) for k in LOAD_KEYS}
            for r in rows("SELECT * FROM wh.loads ORDER BY load_id DESC LIMIT 10")
        ],
        "out_of_range": rows(
            """SELECT source, count(*) AS n FROM wh.complaints
               WHERE created_at < ? OR greatest(created_at, first_response_at, closed_at)
                     > now()::TIMESTAMP + INTERVAL 7 DAY
               GROUP BY source ORDER BY source""",
            [DATE_MIN],
        ),
    }


def status_lines(data: dict, leftovers: str = "") -> list[str]:
    lines = [f"Database {safe(data['db'])}", "", "Complaints per source:"]
    for r in data["sources"]:
        lines.append(
            f"  {safe(r['source']):<18}{r['n_rows']:>10,} rows   last export "
            f"{_ts(r['last_export_at'])}   created {_ts(r['first_created_at'])} .. "
            f"{_ts(r['last_created_at'])}"
        )
    if data["services"]:
        lines.append("Service applications per source:")
        lines += [
            f"  {safe(r['source']):<18}{r['n_rows']:>10,} rows   last export "
            f"{_ts(r['last_export_at'])}"
            for r in data["services"]
        ]
    for r in data.get("out_of_range", []):
        lines.append(
            f"  warning: {r['n']:,} {safe(r['source'])} complaint(s) have times before {DATE_MIN} "
            "or in the future (loaded before such dates were quarantined); the KPI layer leaves "
            "them out"
        )
    lines.append("Quarantined rows by reason:")
    lines += [
        f"  {safe(r['source']):<18}{safe(r['reason']):<26}{r['n']:>8,}" for r in data["quarantine"]
    ]
    if not data["quarantine"]:
        lines.append("  none")
    if data["quarantined_rows"]:
        lines.append("Latest quarantined rows (file:line  reason  column  detail):")
        lines += [
            f"  {safe(r['file_name'])}:{r['line_no']}  {safe(r['reason'])}  "
            f"{safe(r['column_name'] or '-')}  {safe(r['detail'] or '')}"
            for r in data["quarantined_rows"]
        ]
    lines.append("Last loads:")
    for r in data["loads"]:
        counts = (
            f"read {r['n_read']:,} ins {r['n_inserted']:,} upd {r['n_updated']:,} "
            f"same {r['n_unchanged']:,} quar {r['n_quarantined']:,}"
            if r["outcome"] == "loaded"
            else safe(r["message"] or "")
        )
        if r["outcome"] == "loaded" and r.get("exported_at"):
            counts += f"; exported {_ts(r['exported_at'])} ({r.get('exported_at_source') or '?'})"
            if r.get("n_stale"):
                counts += f", {r['n_stale']:,} kept as stored"
        if r.get("loaded_by"):
            counts += f"; by {safe(r['loaded_by'])}"
        lines.append(
            f"  #{r['load_id']:<4}{_ts(r['finished_at'])}  {safe(r['outcome']):<7}"
            f"{safe(r['source'] or ''):<18}{safe(r['file_name'] or '')}  {counts}"
        )
    if leftovers:
        lines.append(f"Leftovers: {safe(leftovers)}")
    return lines


def sources_lines() -> list[str]:
    lines = []
    for m in list_mappings():
        lines.append(f"{m.name}  [{m.target}; {', '.join(m.file_types)}; zone {m.timezone}]")
        lines.append(f"  {m.title}")
        lines += [f"  {line}" for line in m.description.splitlines()]
        lines.append(f"  mapping file: {m.path}")
        lines.append("")
    return lines


def _ts(value) -> str:
    if not value:
        return "-"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return safe(str(value))[:16]  # DuckDB returns times it cannot convert (year 1) as text


def _day(value) -> str:
    if isinstance(value, (datetime, date)):
        return f"{value:%Y-%m-%d}"
    return safe(str(value))[:10]
