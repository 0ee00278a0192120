"""Map and validate: the input (``raw`` or ``read_csv``) -> temp table ``staged``.

``staged`` has one row per input row: the warehouse columns plus ``reason``/``reason_column``/
``detail``/``raw`` for rows that must be quarantined. The main work is one SQL statement, one
pass over the input (the input is never materialised twice); per-value work that does not
depend on the row (agency slugs and aliases) runs once per distinct value. Source column names
are quoted identifiers and every value from the mapping is a bound parameter.
"""

from __future__ import annotations

import re

from etl.errors import LoadError
from etl.mapping import REQUIRED, TIME_FIELDS, Mapping, global_aliases
from etl.privacy import is_personal_header, personal_columns_by_content

TS_FIELDS = TIME_FIELDS  # derived from kinerja/fields.py
SRC = "_kj_src"  # alias of the input row: a source column may be called anything, even ``r``
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
        return f"kj_clean({SRC}.{qi(names[0])})"
    parts = ", ".join(f"trim({SRC}.{qi(n)})" for n in names)
    return f"kj_clean(concat_ws(' ', {parts}))"


def bound_params(mapping: Mapping, exported_at) -> dict:
    """``$lo_<field>``/``$hi_<field>``: each time field's plausible range for this export."""
    out = {}
    for fld, (lo, hi) in mapping.bounds(exported_at).items():
        out[f"lo_{fld}"], out[f"hi_{fld}"] = lo, hi
    return out


def build_staged(
    con, mapping: Mapping, cols: dict[str, list[str]], params: dict, source: str, raw_cols: list
) -> None:
    """Create temp table ``staged`` from ``source`` (table ``raw`` or a ``read_csv`` query).

    One pass over the input: clean, parse, map and validate every row; rows that must be
    quarantined also get their ``detail`` and masked raw record (``raw``) here, so the input is
    never materialised twice. Regions and duplicate ids are checked afterwards
    (``finish_staged``).
    """
    target = mapping.target
    sel = [
        f"{SRC}._line",
        f"{_text(cols, REQUIRED[target][0])} AS {REQUIRED[target][0]}",
        f"{_kept(cols, 'status')} AS raw_status",
        "m.status AS mapped_status",
        f"{_text(cols, 'agency')} AS agency_raw",  # masked once per distinct value (_agency)
        f"{_kept(cols, 'district')} AS district",
        f"{_kept(cols, 'channel')} AS channel_raw",
        f"{_text(cols, 'region')} AS region_raw",
    ]
    for fld in TS_FIELDS[target]:
        sel.append(f"{_text(cols, fld)} AS {fld}_raw")
        first = f"kj_ts_first({_text(cols, fld)}, $fmts)" if cols.get(fld) else "NULL::TIMESTAMP"
        sel.append(f"{first} AS {fld}")
    if target == "complaints":
        sel += [
            f"{_kept(cols, 'category')} AS category",
            f"{_kept(cols, 'village')} AS village",
            f"kj_coord({_text(cols, 'lat')}, 90) AS lat",
            f"kj_coord({_text(cols, 'lon')}, 180) AS lon",
            f"{_kept(cols, 'title')} AS title",
            (_kept(cols, "body") if mapping.keep_body else "NULL") + " AS body",
            f"CASE WHEN lower({_text(cols, 'reporter')}) NOT IN {ANONYMOUS} "
            f"THEN sha256($salt || lower({_text(cols, 'reporter')})) END AS reporter_hash",
            # a rating is a whole number 1..5 ("4", "4.0"); anything else (0.6, 4.5) is unknown
            f"CASE WHEN try_cast({_text(cols, 'satisfaction')} AS DOUBLE) IN (1, 2, 3, 4, 5) "
            f"THEN CAST(try_cast({_text(cols, 'satisfaction')} AS DOUBLE) AS SMALLINT) END AS sat",
            f"greatest(coalesce(try_cast({_text(cols, 'reopen_count')} AS INTEGER), 0), 0) "
            "AS reopen_count",
        ]
    else:
        sel += [
            f"coalesce({_kept(cols, 'service_type')}, 'unspecified') AS service_type",
            f"try_cast({_text(cols, 'standard_days')} AS INTEGER) AS standard_days_raw",
        ]
    status = "m.status"
    for i, rule in enumerate(mapping.status_overrides):
        src = f"{SRC}.{qi(cols[f'_ov{i}'][0])}"
        params[f"ov{i}_re"] = "(?i)(" + "|".join(re.escape(p) for p in rule["contains"]) + ")"
        params[f"ov{i}_from"] = list(rule.get("from", [])) or list(mapping.status_values)
        params[f"ov{i}_to"] = rule["to"]
        status = (
            f"CASE WHEN list_contains($ov{i}_from, {status}) AND "
            f"regexp_matches(coalesce({src}, ''), $ov{i}_re) THEN $ov{i}_to "
            f"ELSE {status} END"
        )
    sel[3] = f"{status} AS mapped_status"
    sel.append(f"{SRC} AS _kj_rec")
    params["raw_keep"] = raw_record_columns(con, mapping, cols, raw_cols, source, params)
    pre = (
        "SELECT " + ", ".join(sel) + f" FROM {source} {SRC} "
        f"LEFT JOIN _status_map m ON m.raw_key = lower({_text(cols, 'status')})"
    )
    # Times: the mapping's formats first; ISO 8601 and month names only for the values they
    # did not read, in an outer step (a fallback inside one expression costs every row).
    more = ", ".join(
        f"CASE WHEN {f} IS NULL AND {f}_raw IS NOT NULL THEN kj_ts_more({f}_raw, $fmts) "
        f"ELSE {f} END AS {f}"
        for f in TS_FIELDS[target]
        if cols.get(f)
    )
    pre = f"SELECT * REPLACE ({more}) FROM ({pre})"
    forgotten = con.execute(
        "SELECT count(*) FROM forgotten WHERE source = ?", [mapping.name]
    ).fetchall()[0][0]
    record = record_sql(params["raw_keep"], "p._kj_rec")
    run(con, _finish_sql(mapping, pre, record, bool(forgotten)), params)


def _kept(cols: dict[str, list[str]], fld: str) -> str:
    """A text field the warehouse keeps: cleaned, then masked (``etl.privacy``)."""
    return f"kj_mask({_text(cols, fld)})"


def raw_record_columns(
    con, mapping: Mapping, cols: dict[str, list[str]], raw_cols: list[str], source: str, params
) -> list[str]:
    """The source columns a quarantined row's raw record keeps.

    Dropped: the mapping's personal columns, its reporter column, bodies (unless the mapping
    keeps them), any other column whose name says it is personal (``nik``, ``nama_lengkap``,
    ``alamat``, ``first_name``, ``no_hp``, ...) and any column whose sampled values are mostly
    phone numbers, NIKs or e-mails. The columns of the warehouse fields stay (masked).
    """
    drop = {c.lower() for c in mapping.personal_columns}
    drop |= {c.lower() for c in cols.get("reporter", [])}
    if not mapping.keep_body:
        drop |= {c.lower() for c in mapping.columns.get("body", [])}
    mapped = {
        c.lower() for f, names in cols.items() if f not in ("reporter", "body") for c in names
    }
    drop |= {c.lower() for c in raw_cols if c.lower() not in mapped and is_personal_header(c)}
    candidates = [c for c in raw_cols if c.lower() not in drop and c.lower() not in mapped]
    drop |= {c.lower() for c in personal_columns_by_content(con, source, candidates, params)}
    return [c for c in raw_cols if c.lower() not in drop]


def record_sql(keep: list[str], rec: str) -> str:
    """The masked JSON of a raw record with only the ``keep`` columns."""
    record = ", ".join(f"{qi(c)} := {rec}.{qi(c)}" for c in keep) or "empty := NULL"
    return f"kj_mask(to_json(struct_pack({record})))"


def flag_duplicates(con, mapping: Mapping, source: str, raw_cols: list[str], params: dict) -> None:
    """Quarantine later rows whose id already appeared (valid) earlier in the same file."""
    key = REQUIRED[mapping.target][0]
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dups AS
        SELECT _line FROM (
            SELECT _line, row_number() OVER (PARTITION BY {key} ORDER BY _line) AS n
            FROM staged WHERE reason IS NULL AND {key} IN (
                SELECT {key} FROM staged WHERE reason IS NULL
                GROUP BY {key} HAVING count(*) > 1)
        ) WHERE n > 1""")
    if not con.execute("SELECT count(*) FROM _dups").fetchall()[0][0]:
        return
    con.execute(f"""UPDATE staged SET reason = 'duplicate_id', reason_column = '{key}'
        WHERE _line IN (SELECT _line FROM _dups)""")


def finish_staged(con, mapping: Mapping, source: str, raw_cols: list[str], params: dict) -> None:
    """Checks after the main pass: each row's region (``etl.region_map``; ``params["home"]`` is
    the load's region), then duplicate ids; rows they quarantine get their raw record."""
    from etl import region_map

    region_map.assign(con, params["home"], params.get("region_column"))
    flag_duplicates(con, mapping, source, raw_cols, params)
    fill_raw(con, mapping, source, raw_cols, params)


def fill_raw(con, mapping: Mapping, source: str, raw_cols: list[str], params: dict) -> None:
    """Give rows quarantined after the main pass (duplicates, unknown regions) their masked
    raw record. Rare, so the input is read again only for those lines."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _late AS
        SELECT _line FROM staged
        WHERE reason IS NOT NULL AND reason <> 'forgotten' AND raw IS NULL""")
    if not con.execute("SELECT count(*) FROM _late").fetchall()[0][0]:
        return
    sql = f"""UPDATE staged s SET raw = d.raw
        FROM (SELECT {SRC}._line, {record_sql(params["raw_keep"], SRC)} AS raw
              FROM {source} {SRC} WHERE {SRC}._line IN (SELECT _line FROM _late)) d
        WHERE s._line = d._line"""
    run(con, sql, params)


def run(con, sql: str, params: dict) -> None:
    """Execute ``sql`` with only the named parameters it uses (DuckDB rejects extra ones)."""
    used = set(re.findall(r"\$(\w+)", sql))
    con.execute(sql, {k: v for k, v in params.items() if k in used})


def _finish_sql(mapping: Mapping, pre: str, record: str, forgotten: bool = False) -> str:
    """Validation reasons, their detail and raw record, final column values (agency: later).

    A record deleted on request (``etl forget``) is quarantined as ``forgotten`` and keeps no
    raw record or detail.
    """
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
    for fld in TS_FIELDS[target]:
        checks.append(
            (f"NOT {fld} BETWEEN $lo_{fld} AND $hi_{fld}", "'implausible_date'", f"'{fld}'")
        )
    end = "closed_at" if target == "complaints" else "completed_at"
    start, stop = created.split("_")[0], end.split("_")[0]
    checks.append((f"{end} < {created}", f"'{stop}_before_{start}'", f"'{end}'"))
    if target == "complaints":
        checks.append(
            ("first_response_at < created_at", "'responded_before_created'", "'first_response_at'")
        )
    if forgotten:
        where = "source = $source AND (region_code IS NULL OR region_code = $region)"
        checks.insert(1, (f"{key} IN (SELECT record_id FROM forgotten WHERE {where})",
                          "'forgotten'", f"'{key}'"))  # fmt: skip
    reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, r, _ in checks) + " END"
    column = "CASE " + " ".join(f"WHEN {c} THEN {col}" for c, _, col in checks) + " END"
    raw_value = (
        "CASE reason_column "
        + " ".join(f"WHEN '{f}' THEN {f}_raw" for f in TS_FIELDS[target])
        + " END"
    )
    outside = (
        "CASE reason_column "
        + " ".join(
            f"WHEN '{f}' THEN CASE WHEN {f} < $lo_{f} THEN ' is before ' || strftime($lo_{f}, "
            f"'%Y-%m-%d') ELSE ' is after ' || strftime($hi_{f}, '%Y-%m-%d %H:%M') "
            f"|| ' UTC (the export time + ' || date_diff('day', $exported_at, $hi_{f}) "
            "|| ' days)' END"
            for f in TS_FIELDS[target]
        )
        + " END"
    )
    detail = f"""kj_mask(CASE reason WHEN 'unknown_status' THEN 'status ' || raw_status
        WHEN 'unparseable_date' THEN 'value ' || coalesce({raw_value}, '')
             || ' does not match the date formats'
        WHEN 'implausible_date' THEN 'value ' || coalesce({raw_value}, '') || {outside}
        WHEN '{stop}_before_{start}' THEN '{stop} ' || {end}_raw
             || ' is before {start} ' || {created}_raw END)"""
    terminal = ", ".join(f"'{s}'" for s in TERMINAL[target])
    drop = ["_kj_rec", "channel_raw", end] + [f"{f}_raw" for f in TS_FIELDS[target]]
    if target == "complaints":
        drop.append("sat")
        extra = f"""
            CASE WHEN mapped_status IN ({terminal}) THEN closed_at END AS closed_at_final,
            CASE WHEN sat BETWEEN 1 AND 5 THEN sat END AS satisfaction,
            mapped_status IN ({terminal}) AND closed_at IS NULL AS closed_at_missing"""
    else:
        drop.append("standard_days_raw")
        extra = f"""
            CASE WHEN mapped_status IN ({terminal}) THEN completed_at END AS completed_at_final,
            coalesce(standard_days_raw, s.days) AS standard_days"""
    join_std = (
        "LEFT JOIN _standards s ON s.key = lower(p.service_type)" if target == "services" else ""
    )
    return f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT p.* EXCLUDE ({", ".join(drop)}),
            coalesce(cm.channel, lower(p.channel_raw), $default_channel) AS channel,
            {extra},
            CASE WHEN reason IS NOT NULL THEN {detail} END AS detail,
            CASE WHEN reason IS NOT NULL AND reason <> 'forgotten' THEN {record} END AS raw
        FROM (SELECT *, {reason} AS reason, {column} AS reason_column FROM ({pre})) p
        LEFT JOIN _channel_map cm ON cm.raw_key = lower(p.channel_raw)
        {join_std}
    """


def agency_lookup(con) -> None:
    """Temp table ``_agency``: id, name and short name of each distinct raw agency value of
    each region (agencies are scoped by region: ``33.74:dinas-pu`` and ``33.21:dinas-pu``).

    Done once per distinct value (not per row): a file names a few dozen agencies. The name,
    its slug (the id) and the short name come from the masked value; aliases match the raw one.
    """
    con.execute("""CREATE OR REPLACE TEMP TABLE _agency AS
        SELECT region_code, agency_raw, first_line,
            region_code || ':' || coalesce(nullif(kj_slug(coalesce(a.name, masked)), ''),
                'unassigned') AS agency_id,
            coalesce(a.name, masked) AS agency_name,
            CASE WHEN a.name IS NOT NULL AND length(masked) <= 12 THEN masked END
                AS agency_short
        FROM (SELECT region_code, agency_raw, kj_mask(agency_raw) AS masked,
                     min(_line) AS first_line
              FROM staged WHERE reason IS NULL GROUP BY region_code, agency_raw) v
        LEFT JOIN _alias a ON a.alias_key = lower(v.agency_raw)""")
