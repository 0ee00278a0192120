"""Downloads that open right in Excel set to Indonesian (or English): XLSX, and CSV with a BOM and
the separator Excel expects in that language.

Why: a comma-separated UTF-8 file without a BOM opens as one column in Excel with Indonesian
regional settings (its list separator is ";" and its decimal mark ","). An XLSX file carries
real dates and whole numbers, so Excel shows them in the reader's own format.

Every cell goes through ``cell()``: the one place where a value is written into a file, so that
one neutraliser (formulas in downloads) applies to every export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence

import pandas as pd

from kinerja.exports import safe_cell

DATE_FORMAT = "dd/mm/yyyy hh:mm"


def cell(value: object) -> object:
    """A value as it is written into a download cell: numbers and timestamps as they are (Excel
    formats them), missing values empty, anything else as text that cannot start a formula
    (``kinerja.exports.safe_cell``: a leading ``'`` before ``= + - @``, tab or CR)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | int | float | dt.datetime | dt.date):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return safe_cell(str(value))


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[object]], sheet: str) -> bytes:
    """An XLSX workbook with one sheet: a bold header row, frozen, with column widths to fit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([cell(h) for h in header])
    for c in ws[1]:
        c.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        values = [cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = max(widths[i], min(60, len(str(v)) if v is not None else 0))
    for col in ws.iter_cols(min_row=2):
        for c in col:
            if isinstance(c.value, dt.datetime):
                c.number_format = DATE_FORMAT
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(8, w + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_csv(header: Sequence[str], rows: Sequence[Sequence[object]], lang: str) -> bytes:
    """CSV for Excel in ``lang``: UTF-8 with a BOM; ";" and decimal "," in Indonesian, "," and
    "." in English; timestamps as ``YYYY-MM-DD HH:MM``."""
    sep, decimal = (";", ",") if lang == "id" else (",", ".")

    def text(v: object) -> str:
        v = cell(v)
        if v is None:
            return ""
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%d %H:%M")
        if isinstance(v, float):
            return repr(v).replace(".", decimal)
        return str(v)

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow([text(h) for h in header])
    writer.writerows([text(v) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
