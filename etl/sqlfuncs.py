"""SQL macros shared by the load: date parsing with month names (masking: ``etl.privacy``).

Dates: month names (Indonesian and English, full or short) are rewritten to English short names
so that one ``strptime`` format such as ``%d %b %Y`` reads "23 Sep 2024" and "1 Desember 2021".
A naive time is read in the session time zone (set to the mapping's zone) and returned as a
naive UTC ``TIMESTAMP``. Speed matters here (millions of rows, several time columns): a value
is first parsed as it is, and only when that fails are month names rewritten (a regex per
row costs more than the parse); UTC is taken from the epoch, not by a second zone conversion.
``kj_clean`` (collapse white space, trim, empty to NULL) runs on every text cell: ``trim`` is
costly (it looks for Unicode spaces), so it runs only where it can change something (a space
at either end, or any non-ASCII character; of ASCII characters ``trim`` removes only spaces).
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
CREATE OR REPLACE TEMP MACRO kj_parse(s, fmts) AS
    coalesce(try_strptime(s, fmts), try_strptime(kj_month(s), fmts));
CREATE OR REPLACE TEMP MACRO kj_ts(s, fmts) AS kj_local_utc(kj_parse(s, fmts));
CREATE OR REPLACE TEMP MACRO kj_ts_iso(s, fmts) AS
    coalesce(kj_local_utc(kj_parse(s, fmts)), kj_utc(try_cast(s AS TIMESTAMPTZ)));
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
    con.execute(MACROS)
    privacy.install(con)
