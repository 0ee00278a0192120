"""Map and validate: temp table ``raw`` -> temp table ``staged`` (one row per input row).

``staged`` holds the warehouse columns plus ``reason``/``reason_column``/``detail`` for rows
that must be quarantined. Everything is one SQL statement; source column names are quoted
identifiers and every value from the mapping is a bound parameter.
"""

from __future__ import annotations

import re

from etl.errors import LoadError
from etl.mapping import REQUIRED, Mapping, global_aliases

TS_FIELDS = {
    "complaints": (
        "created_at",
        "first_response_at",
        "closed_at",
        "response_due_at",
        "resolution_due_at",
    ),
    "services": ("submitted_at", "completed_at", "due_at"),
}
# Reporter names that identify nobody: no hash, so they do not count as one repeat reporter.
ANONYMOUS = "('anonim', 'anonymous', 'rahasia', 'tanpa nama', '-', 'n/a')"
TERMINAL = {"complaints": ("resolved", "rejected"), "services": ("completed", "rejected")}


def qi(name: str) -> str:
    """Quote an identifier (a source column name) for SQL."""
    return '"' + name.replace('"', '""') + '"'


def resolve_columns(mapping: Mapping, available: list[str], file: str) -> dict[str, list[str]]:
    """Match the mapping's column names to the file's (case and spacing ignored).

    Required fields must be present; an optional column absent from the file loads as NULL.
    """
    index = {re.sub(r"\s+", " ", c).strip().lower(): c for c in available}
    out: dict[str, list[str]] = {}
    for fld, names in mapping.columns.items():
        found = [index.get(re.sub(r"\s+", " ", n).strip().lower()) for n in names]
        if all(found):
            out[fld] = found
        elif fld in REQUIRED[mapping.target]:
            missing = next(n for n, f in zip(names, found, strict=True) if not f)
            raise LoadError(
                f"required column missing (source {mapping.name!r} needs it for {fld})",
                file=file,
                column=missing,
            )
    for i, rule in enumerate(mapping.status_overrides):
        found = index.get(re.sub(r"\s+", " ", rule["column"]).strip().lower())
        if not found:
            raise LoadError(
                f"column needed for the status rules of {mapping.name!r} is missing",
                file=file,
                column=rule["column"],
            )
        out[f"_ov{i}"] = [found]
    return out


def prepare_lookups(con, mapping: Mapping, standards: dict[str, int]) -> None:
    """Small temp tables the SQL joins: status map, channel map, agency aliases, standards."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _status_map (raw_key VARCHAR PRIMARY KEY, status VARCHAR)"
    )
    rows = {v.strip().lower(): st for st, vals in mapping.statuses.items() for v in vals}
    _insert(con, "INSERT INTO _status_map VALUES (?, ?)", list(rows.items()))
    con.execute("CREATE OR REPLACE TEMP TABLE _channel_map (raw_key VARCHAR, channel VARCHAR)")
    _insert(con, "INSERT INTO _channel_map VALUES (?, ?)", list(mapping.channel_values.items()))
    aliases = {**global_aliases(), **mapping.agency_aliases}
    con.execute("CREATE OR REPLACE TEMP TABLE _alias (alias_key VARCHAR, name VARCHAR)")
    _insert(
        con, "INSERT INTO _alias VALUES (lower(kj_clean(?)), kj_clean(?))", list(aliases.items())
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _standards (key VARCHAR, days INTEGER)")
    _insert(con, "INSERT INTO _standards VALUES (lower(kj_clean(?)), ?)", list(standards.items()))


def _insert(con, sql: str, rows: list) -> None:
    if rows:
        con.executemany(sql, rows)


def _text(cols: dict[str, list[str]], fld: str) -> str:
    names = cols.get(fld)
    if not names:
        return "CAST(NULL AS VARCHAR)"
    if len(names) == 1:
        return f"kj_clean(r.{qi(names[0])})"
    parts = ", ".join(f"trim(r.{qi(n)})" for n in names)
    return f"kj_clean(concat_ws(' ', {parts}))"


def build_staged(con, mapping: Mapping, cols: dict[str, list[str]], params: dict) -> None:
    """Create temp table ``staged`` from ``raw`` (see module docstring)."""
    target = mapping.target
    ts_fn = "kj_ts_iso" if mapping.iso_dates else "kj_ts"
    sel = [
        "r._line",
        f"{_text(cols, REQUIRED[target][0])} AS {REQUIRED[target][0]}",
        f"{_text(cols, 'status')} AS raw_status",
        "m.status AS mapped_status",
        f"{_text(cols, 'agency')} AS agency_raw",
        f"{_text(cols, 'district')} AS district",
        f"{_text(cols, 'channel')} AS channel_raw",
    ]
    for fld in TS_FIELDS[target]:
        sel.append(f"{_text(cols, fld)} AS {fld}_raw")
        sel.append(f"{ts_fn}({_text(cols, fld)}, $fmts) AS {fld}")
    if target == "complaints":
        sel += [
            f"{_text(cols, 'category')} AS category",
            f"{_text(cols, 'village')} AS village",
            f"kj_coord({_text(cols, 'lat')}, 90) AS lat",
            f"kj_coord({_text(cols, 'lon')}, 180) AS lon",
            f"kj_mask({_text(cols, 'title')}) AS title",
            (f"kj_mask({_text(cols, 'body')})" if mapping.keep_body else "NULL") + " AS body",
            f"CASE WHEN lower({_text(cols, 'reporter')}) NOT IN {ANONYMOUS} "
            f"THEN sha256($salt || lower({_text(cols, 'reporter')})) END AS reporter_hash",
            f"try_cast(try_cast({_text(cols, 'satisfaction')} AS DOUBLE) AS SMALLINT) AS sat",
            f"greatest(coalesce(try_cast({_text(cols, 'reopen_count')} AS INTEGER), 0), 0) "
            "AS reopen_count",
        ]
    else:
        sel += [
            f"coalesce({_text(cols, 'service_type')}, 'unspecified') AS service_type",
            f"try_cast({_text(cols, 'standard_days')} AS INTEGER) AS standard_days_raw",
        ]
    status = "m.status"
    for i, rule in enumerate(mapping.status_overrides):
        src = f"r.{qi(cols[f'_ov{i}'][0])}"
        params[f"ov{i}_re"] = "(?i)(" + "|".join(re.escape(p) for p in rule["contains"]) + ")"
        params[f"ov{i}_from"] = list(rule.get("from", [])) or list(mapping.status_values)
        params[f"ov{i}_to"] = rule["to"]
        status = (
            f"CASE WHEN list_contains($ov{i}_from, {status}) AND "
            f"regexp_matches(coalesce({src}, ''), $ov{i}_re) THEN $ov{i}_to "
            f"ELSE {status} END"
        )
    sel[3] = f"{status} AS mapped_status"
    run(
        con,
        "CREATE OR REPLACE TEMP TABLE pre AS SELECT " + ", ".join(sel) + " FROM raw r "
        f"LEFT JOIN _status_map m ON m.raw_key = lower({_text(cols, 'status')})",
        params,
    )
    run(con, _finish_sql(mapping), params)
    con.execute("DROP TABLE pre")


def run(con, sql: str, params: dict) -> None:
    """Execute ``sql`` with only the named parameters it uses (DuckDB rejects extra ones)."""
    used = set(re.findall(r"\$(\w+)", sql))
    con.execute(sql, {k: v for k, v in params.items() if k in used})


def _finish_sql(mapping: Mapping) -> str:
    """Second step: validation reasons, agency normalisation, final column values."""
    target = mapping.target
    key = REQUIRED[target][0]
    created = REQUIRED[target][1]
    checks = [
        (f"{key} IS NULL", "'missing_id'", "NULL"),
        (f"{created}_raw IS NULL", "'missing_date'", f"'{created}'"),
        (f"{created} IS NULL", "'unparseable_date'", f"'{created}'"),
        ("raw_status IS NULL", "'missing_status'", "'status'"),
        ("mapped_status IS NULL", "'unknown_status'", "'status'"),
    ]
    for fld in TS_FIELDS[target][1:]:
        checks.append(
            (f"{fld}_raw IS NOT NULL AND {fld} IS NULL", "'unparseable_date'", f"'{fld}'")
        )
    end = "closed_at" if target == "complaints" else "completed_at"
    checks.append(
        (f"{end} < {created}", f"'{end.split('_')[0]}_before_{created.split('_')[0]}'", f"'{end}'")
    )
    if target == "complaints":
        checks.append(
            ("first_response_at < created_at", "'responded_before_created'", "'first_response_at'")
        )
    reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, r, _ in checks) + " END"
    column = "CASE " + " ".join(f"WHEN {c} THEN {col}" for c, _, col in checks) + " END"
    terminal = ", ".join(f"'{s}'" for s in TERMINAL[target])
    if target == "complaints":
        extra = f"""
            CASE WHEN mapped_status IN ({terminal}) THEN closed_at END AS closed_at_final,
            CASE WHEN sat BETWEEN 1 AND 5 THEN sat END AS satisfaction,
            mapped_status IN ({terminal}) AND closed_at IS NULL AS closed_at_missing"""
    else:
        extra = f"""
            CASE WHEN mapped_status IN ({terminal}) THEN completed_at END AS completed_at_final,
            coalesce(standard_days_raw, s.days) AS standard_days"""
    join_std = (
        "LEFT JOIN _standards s ON s.key = lower(p.service_type)" if target == "services" else ""
    )
    return f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        WITH checked AS (
            SELECT p.*, {reason} AS reason0, {column} AS reason_column0
            FROM pre p
        ), ranked AS (
            SELECT *, CASE WHEN reason0 IS NULL THEN
                row_number() OVER (PARTITION BY reason0 IS NULL, {key} ORDER BY _line) END AS dup
            FROM checked
        )
        SELECT p.*,
            coalesce(reason0, CASE WHEN dup > 1 THEN 'duplicate_id' END) AS reason,
            coalesce(reason_column0, CASE WHEN dup > 1 THEN '{key}' END) AS reason_column,
            coalesce(nullif(kj_slug(coalesce(a.name, agency_raw)), ''), 'unassigned')
                AS agency_id,
            coalesce(a.name, agency_raw) AS agency_name,
            CASE WHEN a.name IS NOT NULL AND length(agency_raw) <= 12 THEN agency_raw END
                AS agency_short,
            coalesce(cm.channel, lower(channel_raw), $default_channel) AS channel,
            {extra}
        FROM ranked p
        LEFT JOIN _alias a ON a.alias_key = lower(p.agency_raw)
        LEFT JOIN _channel_map cm ON cm.raw_key = lower(p.channel_raw)
        {join_std}
    """
