"""Files people open in a spreadsheet (CSV, XLSX): cells that start a formula are neutralised.

Why one helper: a complaint title such as ``=HYPERLINK("http://x", "klik")`` or
``+cmd|' /C calc'!A0`` would run as a formula when an exported file is opened in Excel or
LibreOffice. Following OWASP ("CSV Injection"), every text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading single quote, so the spreadsheet shows
it as text. Numbers stay numbers (a negative number is not text). Every export of the app and
the command-line tools goes through ``safe_frame`` (the scorecard's "what to fix first" CSV,
``python -m kpi weekly --csv``); an XLSX writer must too.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text that a spreadsheet would read as formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text_cell(value: Any) -> Any:
    """``safe_cell``, and a bare CR inside the text becomes LF: CSV writers quote a value with
    a line break (LF), but pandas leaves a bare CR unquoted, which would split the record."""
    value = safe_cell(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names cannot start a formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(_text_cell).astype(object)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as UTF-8 CSV (no index), formulas neutralised: for download buttons."""
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def write_csv(df: pd.DataFrame, out) -> None:
    """Write ``df`` as CSV (no index) to the text stream ``out``, formulas neutralised."""
    safe_frame(df).to_csv(out, index=False)
