"""Text for the CLI: the one-screen load summary, ``etl status`` and ``etl sources``."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.mapping import list_mappings

TOP_REASONS = 5


def summary_lines(s) -> list[str]:
    """One screen describing a ``LoadSummary``."""
    period = (
        f"{s.period_start:%Y-%m-%d} .. {s.period_end:%Y-%m-%d} (UTC)"
        if s.period_start
        else "no valid rows"
    )
    lines = [
        f"Loaded {Path(s.file).name} as source '{s.source}' into {s.db} (load {s.load_id})",
        f"  rows read     {s.read:>10,}",
        f"  inserted      {s.inserted:>10,}",
        f"  updated       {s.updated:>10,}",
        f"  unchanged     {s.unchanged:>10,}",
        f"  quarantined   {s.quarantined:>10,}",
        f"  period        {period}",
        f"  exported at   {s.exported_at:%Y-%m-%d %H:%M} UTC" if s.exported_at else "",
    ]
    if s.reasons:
        lines.append("  top quarantine reasons:")
        top = sorted(s.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]
        lines += [f"    {reason:<26}{n:>8,}" for reason, n in top]
        lines.append("  details: python -m etl status")
    return [line for line in lines if line]


def status_data(db: Path, n_quarantined: int = 0) -> dict:
    """Loads, rows per source, quarantine by reason, last export time (read-only)."""
    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(db)])

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
        "loads": rows("""SELECT load_id, source, file_name, finished_at, outcome, n_read,
                         n_inserted, n_updated, n_unchanged, n_quarantined, message
                         FROM wh.loads ORDER BY load_id DESC LIMIT 10"""),
    }


def status_lines(data: dict) -> list[str]:
    lines = [f"Database {data['db']}", "", "Complaints per source:"]
    for r in data["sources"]:
        lines.append(
            f"  {r['source']:<18}{r['n_rows']:>10,} rows   last export "
            f"{_ts(r['last_export_at'])}   created {_ts(r['first_created_at'])} .. "
            f"{_ts(r['last_created_at'])}"
        )
    if data["services"]:
        lines.append("Service applications per source:")
        lines += [
            f"  {r['source']:<18}{r['n_rows']:>10,} rows   last export {_ts(r['last_export_at'])}"
            for r in data["services"]
        ]
    lines.append("Quarantined rows by reason:")
    lines += [f"  {r['source']:<18}{r['reason']:<26}{r['n']:>8,}" for r in data["quarantine"]]
    if not data["quarantine"]:
        lines.append("  none")
    if data["quarantined_rows"]:
        lines.append("Latest quarantined rows (file:line  reason  column  detail):")
        lines += [
            f"  {r['file_name']}:{r['line_no']}  {r['reason']}  {r['column_name'] or '-'}"
            f"  {r['detail'] or ''}"
            for r in data["quarantined_rows"]
        ]
    lines.append("Last loads:")
    for r in data["loads"]:
        counts = (
            f"read {r['n_read']:,} ins {r['n_inserted']:,} upd {r['n_updated']:,} "
            f"same {r['n_unchanged']:,} quar {r['n_quarantined']:,}"
            if r["outcome"] == "loaded"
            else (r["message"] or "")
        )
        lines.append(
            f"  #{r['load_id']:<4}{_ts(r['finished_at'])}  {r['outcome']:<7}"
            f"{r['source'] or '':<18}{r['file_name'] or ''}  {counts}"
        )
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
    return f"{value:%Y-%m-%d %H:%M}" if value else "-"
