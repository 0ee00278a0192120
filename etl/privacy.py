"""Personal data at ingestion: one masker (Python reference and the SQL macro built from it),
the personal-value and personal-column tests, the scrubber for records whose columns are unknown.

Why one module: every kept text field (agency, category, district, village, channel, title,
body, raw status, service type), the quarantine's raw record and its detail are masked by the
same patterns, and the tests check that the Python reference and DuckDB's RE2 agree on every
payload. Patterns therefore use only what both engines read the same way: explicit character
classes (no ``\\d``, ``\\w``, ``\\s`` or ``\\b``, which differ between Python and RE2 outside
ASCII), no look-around (RE2 has none) and no case folding. A number is bounded by captured
neighbours (not a digit, nor a dot or dash glued to a digit); they are put back, and the rules
run twice so that two numbers one character apart are both masked.

What is masked (``[email]``, ``[nik]``, ``[phone]``):
- e-mail addresses, also ``admin@localhost`` and a full-width ``＠``;
- NIK: 16 digits, plain or in the usual groups separated by spaces, dots or dashes, also glued
  to ``NIK``/``KTP`` or followed by ``_``;
- Indonesian mobiles and landlines with ``+62``, ``62``, ``0`` or ``(0`` (``(024) 7654321``,
  ``024-7654395``, ``(0812) 3456 7801``), mobiles without the 0 (``812-3456-7899``), other
  ``+<country>`` numbers and North-American ``(617) 555-1234`` / ``617-555-1234``.
Ordinary text keeps its numbers: dates, times, money (``Rp 1.500.000``), ``RT 03/RW 05``, years,
complaint ids, postcodes.
"""

from __future__ import annotations

import re

DIGIT = "[0-9０-９]"
NOT_DIGIT = "[^0-9０-９]"
SEP = "[ .\u00a0-]"
# A number's neighbours: the start or end, any character but a digit, dot or dash, or a dot or
# dash that is not glued to another digit. A space may separate two numbers ("RT 03 0812...");
# a dot or a dash between digits joins them (money "Rp 1.062.812.345", dates "2025-03-03").
LEFT = f"(^|[^0-9０-９.-]|^[.-]|{NOT_DIGIT}[.-])"
RIGHT = f"([^0-9０-９.-]|[.-]{NOT_DIGIT}|[.-]?$)"


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _d(n: str) -> str:
    return DIGIT + n


def _lit(digits: str) -> str:
    """Literal digits that also match their full-width forms: ``62`` -> ``[6６][2２]``."""
    return "".join(f"[{c}{c.translate(FULL_WIDTH)}]" for c in digits)


NONZERO = "[1-9１-９]"


EMAIL = "[A-Za-z0-9._%+-]+[@＠][A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*"
# NIK: 16 digits, plain or in the usual groups (4-4-4-4, 6-6-4, 2-2-2-6-4, 6-2-2-2-4), each
# separator one space, dot or dash. (Any 16 digits with separators would also take a year and a
# phone number, or two dates, for a NIK.)
NIK = "|".join(
    "".join(f"{SEP}{_d(f'{{{n}}}')}" if i else _d(f"{{{n}}}") for i, n in enumerate(groups))
    for groups in ((16,), (4, 4, 4, 4), (6, 6, 4), (2, 2, 2, 6, 4), (6, 2, 2, 2, 4))
)
_SUBSCRIBER = f"(?:{_d('{5,8}')}|{_d('{3,4}')}{SEP}?{_d('{2,5}')}(?:{SEP}?{_d('{2,5}')})?)"
PHONES = [
    # Indonesian numbers: +62 / 0062, then an area or mobile code of 2-4 digits
    f"(?:[+＋]|{_lit('00')}){SEP}?{_lit('62')}{SEP}?(?:[(]{_lit('0')}[)]{SEP}?)?[(]?"
    f"{NONZERO}{_d('{1,3}')}[)]?{SEP}?{_SUBSCRIBER}",
    # ... 62 / 0 / (0
    f"(?:{_lit('62')}|[(]?{_lit('0')}){NONZERO}{_d('{1,3}')}[)]?{SEP}?{_SUBSCRIBER}",
    # a mobile written without its leading 0: 812-3456-7899
    f"{_lit('8')}{NONZERO}{DIGIT}[ -]?{_d('{4}')}[ -]?{_d('{3,5}')}",
    # other countries: +1 617 555 1234
    f"[+＋]{_d('{1,3}')}{SEP}?[(]?{_d('{1,4}')}[)]?{SEP}?{_d('{3,4}')}{SEP}?{_d('{3,4}')}",
    # North America: (617) 555-1234, 617-555-1234
    f"[(]{_d('{3}')}[)] ?{_d('{3}')}[.-]{_d('{4}')}|{_d('{3}')}[.-]{_d('{3}')}[.-]{_d('{4}')}",
]

# (pattern, token), applied in this order (e-mails before digit runs, NIK before phones; each
# phone form is its own rule: simple patterns keep the SQL replace cheap). The replacement keeps
# the captured neighbours: \1<token>\2 (the same syntax in Python and RE2). A second pass
# (NIK, then every phone form at once) masks a number whose neighbour the first pass took, as in
# "0812-1111-2222,0813-3333-4444".
RULES: list[tuple[str, str]] = [
    (EMAIL, "[email]"),
    (f"{LEFT}(?:{NIK}){RIGHT}", "[nik]"),
    *[(f"{LEFT}(?:{phone}){RIGHT}", "[phone]") for phone in PHONES],
]
SECOND_PASS: list[tuple[str, str]] = [
    RULES[1],
    (f"{LEFT}(?:{'|'.join(PHONES)}){RIGHT}", "[phone]"),
]
# Any number a digit rule would mask (SQL only: it lets DuckDB skip the replaces, which capture
# and are slow, on values that hold digits but no such number; it changes no result).
ANY_NUMBER = "|".join(f"(?:{p})" for p, _ in SECOND_PASS)
TOKENS = ("[email]", "[nik]", "[phone]")
# Only values with a digit or an at-sign can hold personal data the patterns find.
GATE = "[0-9０-９@＠]"
# The same test in SQL, cheaper: ASCII first, the full-width forms only in non-ASCII values.
GATE_SQL = (
    "regexp_matches(s, '[0-9@]') OR (strlen(s) <> length(s) AND regexp_matches(s, '[０-９＠]'))"
)
# A value that is nothing but personal data (a label such as "HP:" or "NIK" may remain).
LEFTOVER = r"\[(email|nik|phone)\]|[^A-Za-z0-9]"
MAX_LEFTOVER = 4


def _groups(pattern: str) -> int:
    return re.compile(pattern).groups


def _replacement(pattern: str, token: str) -> str:
    """``\\1<token>\\N``: keep both neighbours (first and last group) of a bounded pattern."""
    if not pattern.startswith(LEFT):
        return token
    return "\\1" + token + "\\" + str(_groups(pattern))


_COMPILED = [(re.compile(p), _replacement(p, tok)) for p, tok in RULES + SECOND_PASS]
_GATE = re.compile(GATE)
_LEFTOVER = re.compile(LEFTOVER)


def mask(text: str | None) -> str | None:
    """``text`` with e-mails, NIKs and phone numbers replaced by tokens (the Python reference)."""
    if text is None or not _GATE.search(text):
        return text
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    return text


def is_personal_value(text: str | None) -> bool:
    """True when ``text`` is nothing but e-mails, NIKs or phone numbers (and a short label)."""
    if text is None:
        return False
    masked = mask(text)
    return masked != text and len(_LEFTOVER.sub("", masked)) <= MAX_LEFTOVER


def _sql_str(text: str) -> str:
    """A constant of this module (never user input) as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _chain(rules: list[tuple[str, str]]) -> str:
    """``rules`` as nested ``regexp_replace`` calls on ``s``, in order (one expression: DuckDB
    would compute an expression that a CASE repeats once per mention)."""
    expr = "s"
    for pattern, token in rules:
        repl = _sql_str(_replacement(pattern, token))
        expr = f"regexp_replace({expr}, {_sql_str(pattern)}, {repl}, 'g')"
    return expr


_FOUND = f"contains(s, '@') OR contains(s, '＠') OR regexp_matches(s, {_sql_str(ANY_NUMBER)})"
MACROS = f"""
CREATE OR REPLACE TEMP MACRO kj_mask_found(s) AS
    CASE WHEN {_FOUND} THEN {_chain(RULES + SECOND_PASS)} ELSE s END;
CREATE OR REPLACE TEMP MACRO kj_mask(s) AS CASE WHEN {GATE_SQL} THEN kj_mask_found(s) ELSE s END;
CREATE OR REPLACE TEMP MACRO kj_is_personal(s) AS
    coalesce(kj_mask(s) <> s AND length(regexp_replace(kj_mask(s), {_sql_str(LEFTOVER)}, '', 'g'))
        <= {MAX_LEFTOVER}, false);
"""


def install(con) -> None:
    """Create ``kj_mask(s)`` and ``kj_is_personal(s)`` on connection ``con``."""
    con.execute(MACROS)


# --- personal-data columns -----------------------------------------------------------------
# Whole normalised header names that hold a person's name or identity.
PERSONAL_NAMES = {
    "nama", "nama_lengkap", "nama_pelapor", "nama_pengadu", "nama_warga", "name", "full_name",
    "first_name", "last_name", "given_name", "family_name", "surname", "tanggal_lahir",
    "tgl_lahir", "date_of_birth", "birth_date", "no_kk", "nomor_kk", "device_id", "account_id",
}  # fmt: skip
# Words that make any header personal (nik, no_hp, alamat_pelapor, reporter_phone, e_mail, ...).
PERSONAL_WORDS = {
    "nik", "ktp", "email", "surel", "telepon", "telp", "tel", "phone", "hp", "handphone",
    "ponsel", "whatsapp", "wa", "pelapor", "pengadu", "reporter", "alamat", "kontak", "contact",
}  # fmt: skip
# Share of a column's sampled values that must be personal for the column to be dropped.
CONTENT_SHARE = 0.5
SAMPLE_ROWS = 1000


def normalise_header(name: str) -> str:
    """``"No. HP"`` -> ``no_hp``; ``"E-mail"`` -> ``e_mail``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


def is_personal_header(name: str) -> bool:
    """True for a column name that says it holds personal data (``nik``, ``nama_lengkap``...)."""
    norm = normalise_header(name)
    words = set(norm.split("_"))
    return norm in PERSONAL_NAMES or bool(words & PERSONAL_WORDS) or "e_mail" in norm


def personal_columns_by_content(con, source: str, columns: list[str], params: dict) -> set[str]:
    """Columns of ``source`` whose first ``SAMPLE_ROWS`` non-empty values are mostly personal.

    ``source`` is the load's input (table ``raw`` or a ``read_csv`` query using ``params``). A
    sampling read of a CSV must not add to the load's rejected lines: its entries are removed.
    """
    if not columns:
        return set()
    from etl.transform import qi, run  # the load's helpers (transform imports this module)

    last_scan = _last_reject_scan(con)
    parts = []
    for i, c in enumerate(columns):
        parts.append(f"count({qi(c)}) AS n{i}")
        parts.append(f"count(*) FILTER (WHERE kj_is_personal({qi(c)})) AS p{i}")
    sql = f"SELECT {', '.join(parts)} FROM (SELECT * FROM {source} LIMIT {SAMPLE_ROWS})"
    run(con, f"CREATE OR REPLACE TEMP TABLE _pd_sample AS {sql}", params)
    row = con.execute("SELECT * FROM _pd_sample").fetchall()[0]
    if last_scan is not None:
        con.execute("DELETE FROM reject_errors WHERE scan_id > ?", [last_scan])
        con.execute("DELETE FROM reject_scans WHERE scan_id > ?", [last_scan])
    return {
        c
        for i, c in enumerate(columns)
        if row[2 * i] and row[2 * i + 1] >= CONTENT_SHARE * row[2 * i]
    }


def _last_reject_scan(con) -> int | None:
    """The newest CSV reject scan id so far (0 when none), or None without reject tables."""
    try:
        return con.execute("SELECT coalesce(max(scan_id), 0) FROM reject_scans").fetchall()[0][0]
    except Exception:  # noqa: BLE001 - no CSV was read on this connection
        return None


# --- records whose columns cannot be trusted -------------------------------------------------
UNPLACED = "[teks]"


def scrub_fields(values: list[str | None], keep: set[str] = frozenset()) -> list[str | None]:
    """Values of a record whose fields may sit in the wrong columns (a short or ragged row).

    A name cannot be recognised by its shape, and in such a row the column names no longer say
    which value is the reporter's: every value without a digit is replaced by ``[teks]``
    unless it is one of ``keep`` (say the mapping's status words); the rest is masked.
    """
    out = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            out.append(v)
        elif v.strip().lower() in keep or re.search(DIGIT, v):
            out.append(mask(v))
        else:
            out.append(UNPLACED)
    return out


def scrub_record(record: dict, keep: set[str] = frozenset()) -> dict:
    """``scrub_fields`` over the values of a record read by header names it may not match."""
    return dict(zip(record, scrub_fields(list(record.values()), keep), strict=True))
