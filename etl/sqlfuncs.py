"""SQL macros shared by the load: date parsing with month names (masking: ``etl.privacy``).

Dates: month names (Indonesian and English, full or short) are rewritten to English short names
so that one ``strptime`` format such as ``%d %b %Y`` reads "23 Sep 2024" and "1 Desember 2021".
``kj_ts`` = ``kj_ts_first`` (the mapping's formats) else ``kj_ts_more`` (ISO 8601, then month
names); the load calls the two in separate steps, because DuckDB evaluates a fallback inside one
expression for every row, even those the first part read (measured: 2.7 times the cost).
A naive time is read in the session time zone (set to the mapping's zone) and returned as a
naive UTC ``TIMESTAMP``. Speed matters here (millions of rows, several time columns): a value
is first parsed as it is, and only when that fails are month names rewritten (a regex per
row costs more than the parse); UTC is taken from the epoch, not by a second zone conversion.
``kj_clean`` (collapse white space, trim, empty to NULL) runs on every text cell: ``trim`` is
costly (it looks for Unicode spaces), so it runs only where it can change something (a space
at either end, or any non-ASCII character; of ASCII characters ``trim`` removes only spaces).

ISO 8601 is read by every mapping, whatever its formats: a date, ``T`` or a space, minutes or
seconds, a fraction of 1 to 9 digits (``.727``, ``.7``), and an optional ``Z``/``UTC`` or offset
(``+07:00``, ``-0400``, ``+07``), rounded to the microsecond; an impossible offset (beyond
±14:00 or with minutes over 59) makes the value unparseable rather than wrong. A mapping's own ``%f`` also reads 1 to 9 digits
(see ``etl.mapping``). This runs only for values the mapping's formats did not read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from etl import privacy

MONTHS = [
    ("januari|january", "jan"),
    ("februari|pebruari|february", "feb"),
    ("maret|march", "mar"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni|june", "jun"),
    ("juli|july", "jul"),
    ("agustus|agu|agt|august", "aug"),
    ("september|sept", "sep"),
    ("oktober|okt|october", "oct"),
    ("nopember|november|nop", "nov"),
    ("desember|des|december", "dec"),
]


# A date, then optionally: T or space, HH:MM, :SS, a fraction of 1-9 digits, Z/UTC or an offset.
ISO_RE = (
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$"
)
# A value a %z format would read with an impossible offset (hours over 14, minutes over 59).
BAD_OFFSET_RE = (
    r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*[+-](?:1[5-9]|[2-9]\d|\d{2}:?[6-9]\d)(?::?\d{2})?\s*$"
)


def _sql_str(text: str) -> str:
    """A constant (defined in this module, never user input) as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _month_chain() -> str:
    expr = "lower(s)"
    for pattern, short in MONTHS:
        words = "|".join(rf"\b{w}\b" for w in pattern.split("|"))
        expr = f"regexp_replace({expr}, {_sql_str(words)}, {_sql_str(short)}, 'g')"
    return expr


MACROS = f"""
CREATE OR REPLACE TEMP MACRO kj_month(s) AS
    CASE WHEN regexp_matches(s, '[A-Za-z]{{3}}') THEN {_month_chain()} ELSE s END;
CREATE OR REPLACE TEMP MACRO kj_iso_parts(s) AS regexp_extract(s, {_sql_str(ISO_RE)},
    ['d', 'hm', 'sec', 'frac', 'tz']);
CREATE OR REPLACE TEMP MACRO kj_iso_local(p) AS
    try_strptime(p.d || ' ' || coalesce(nullif(p.hm, ''), '00:00') || ':'
                 || coalesce(nullif(p.sec, ''), '00'), '%Y-%m-%d %H:%M:%S')
    + to_microseconds(CAST(round(CAST('0.' || p.frac || '0' AS DOUBLE) * 1e6) AS BIGINT));
CREATE OR REPLACE TEMP MACRO kj_iso_offset(z) AS
    CASE WHEN z IN ('Z', 'UTC') THEN 0
         WHEN CAST(substr(replace(z, ':', ''), 2, 2) AS INTEGER) <= 14
              AND coalesce(try_cast(substr(replace(z, ':', ''), 4, 2) AS INTEGER), 0) <= 59
         THEN (CASE WHEN starts_with(z, '-') THEN -1 ELSE 1 END)
              * (CAST(substr(replace(z, ':', ''), 2, 2) AS INTEGER) * 3600
                 + coalesce(try_cast(substr(replace(z, ':', ''), 4, 2) AS INTEGER), 0) * 60)
    END;
CREATE OR REPLACE TEMP MACRO kj_iso_build(p) AS
    CASE WHEN p.d = '' THEN NULL
         WHEN p.tz = '' THEN kj_local_utc(kj_iso_local(p))
         ELSE kj_iso_local(p) - to_seconds(kj_iso_offset(p.tz)) END;
CREATE OR REPLACE TEMP MACRO kj_iso(s) AS
    list_transform([kj_iso_parts(s)], lambda p: kj_iso_build(p))[1];
CREATE OR REPLACE TEMP MACRO kj_ts_first(s, fmts) AS kj_local_utc(kj_strptime(s, fmts));
CREATE OR REPLACE TEMP MACRO kj_ts_more(s, fmts) AS
    coalesce(kj_iso(s), kj_local_utc(kj_strptime(kj_month(s), fmts)));
CREATE OR REPLACE TEMP MACRO kj_ts(s, fmts) AS coalesce(kj_ts_first(s, fmts), kj_ts_more(s, fmts));
CREATE OR REPLACE TEMP MACRO kj_ts_iso(s, fmts) AS kj_ts(s, fmts);
CREATE OR REPLACE TEMP MACRO kj_clean(s) AS
    CASE WHEN contains(s, '  ') OR contains(s, chr(9)) OR contains(s, chr(10))
              OR contains(s, chr(13))
         THEN nullif(trim(regexp_replace(s, '\\s+', ' ', 'g')), '')
         WHEN starts_with(s, ' ') OR ends_with(s, ' ') OR strlen(s) <> length(s)
         THEN nullif(trim(s), '')
         ELSE nullif(s, '') END;
CREATE OR REPLACE TEMP MACRO kj_slug(s) AS
    trim(regexp_replace(lower(strip_accents(s)), '[^a-z0-9]+', '-', 'g'), '-');
CREATE OR REPLACE TEMP MACRO kj_coord(s, lim) AS
    CASE WHEN abs(try_cast(s AS DOUBLE)) <= lim AND try_cast(s AS DOUBLE) <> 0
         THEN try_cast(s AS DOUBLE) END;
"""


# Local time -> UTC. A zone whose offset did not change between these dates (Asia/Jakarta,
# UTC, ...) subtracts it: the zone conversion (ICU) is the costliest step of a timestamp.
FIXED_FROM, FIXED_TO = datetime(1970, 1, 1), datetime(2040, 1, 1)


def fixed_offset(con) -> int | None:
    """The session zone's UTC offset in seconds if constant from FIXED_FROM to FIXED_TO.

    Asked of ICU itself (every day of local time; offsets last longer), so it agrees with the conversion.
    """
    low, high = con.execute(
        "SELECT min(d), max(d) FROM (SELECT epoch(t) - epoch(t::TIMESTAMPTZ) AS d "
        "FROM range(?::TIMESTAMP, ?::TIMESTAMP, INTERVAL 1 DAY) r(t))",
        [FIXED_FROM - timedelta(hours=36), FIXED_TO + timedelta(days=2)],
    ).fetchall()[0]
    return int(low) if low == high else None


def install(con, zone: str, formats: list[str] = ()) -> None:
    """Create the macros and set the session zone (``zone`` is validated by the mapping).

    Formats with a UTC offset (``%z``) parse to absolute times: those always go through ICU.
    """
    con.execute(f"SET TimeZone = {_sql_str(zone)}")
    offset = None if any("%z" in f or "%Z" in f for f in formats) else fixed_offset(con)
    if offset is None:
        local = "kj_utc(t::TIMESTAMPTZ)"
    else:
        local = (
            f"CASE WHEN t >= TIMESTAMP '{FIXED_FROM}' AND t < TIMESTAMP '{FIXED_TO}' "
            f"THEN t - to_seconds({offset}) ELSE kj_utc(t::TIMESTAMPTZ) END"
        )
    con.execute("CREATE OR REPLACE TEMP MACRO kj_utc(t) AS make_timestamp(epoch_us(t))")
    con.execute(f"CREATE OR REPLACE TEMP MACRO kj_local_utc(t) AS {local}")
    if any("%z" in f for f in formats):  # DuckDB's %z reads +25:00: refuse such offsets
        con.execute(
            "CREATE OR REPLACE TEMP MACRO kj_strptime(s, fmts) AS CASE WHEN regexp_matches(s, "
            f"{_sql_str(BAD_OFFSET_RE)}) THEN NULL ELSE try_strptime(s, fmts) END"
        )
    else:
        con.execute("CREATE OR REPLACE TEMP MACRO kj_strptime(s, fmts) AS try_strptime(s, fmts)")
    con.execute(MACROS)
    privacy.install(con)
