"""Numbers and dates for documents (the brief, e-mails, alert sentences), through Babel.

Why Babel: CLDR's ``id_ID`` locale is the reference for Indonesian formats (``19.104``,
``20,1%``, ``16 November 2026``); English uses ``en_GB`` (day before month, as the app does).
The app's own formatter (``ui/i18n.py``) gives the same strings; this one needs no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"id": "id_ID", "en": "en_GB"}


def locale(lang: str) -> str:
    """The Babel locale of a language code (``id`` → ``id_ID``)."""
    return LOCALES.get(lang, LOCALES["id"])


def missing(x) -> bool:
    """None, NaN, pandas NA/NaT."""
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isnan(x))
    except (TypeError, ValueError):
        return True


def num(x, decimals: int = 0, lang: str = "id") -> str:
    """``1.234`` / ``1,234`` (``decimals`` fixed); a missing value is ``–``."""
    if missing(x):
        return "–"
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(float(x), format=fmt, locale=locale(lang))


def pct(share, decimals: int = 1, lang: str = "id") -> str:
    """A share (0.873) as ``87,3%`` / ``87.3%``; a missing value is ``–``."""
    if missing(share):
        return "–"
    return num(float(share) * 100, decimals, lang) + "%"


def signed(x, decimals: int = 0, lang: str = "id", as_pct: bool = False) -> str:
    """A change with its sign: ``+12``, ``−3,5 poin``-style callers add units; ``–`` if missing."""
    if missing(x):
        return "–"
    scale = 100 if as_pct else 1
    body = num(abs(float(x)) * scale, decimals, lang)
    if round(float(x) * scale, decimals) == 0:
        return body
    return ("+" if x > 0 else "−") + body


def date(d, lang: str = "id", long: bool = True) -> str:
    """``16 November 2026`` (``16 Nov 2026`` with long=False); ``–`` if missing."""
    if missing(d):
        return "–"
    if isinstance(d, dt.datetime):
        d = d.date()
    elif not isinstance(d, dt.date):
        d = dt.date.fromisoformat(str(d)[:10])
    return format_date(d, "d MMMM y" if long else "d MMM y", locale=locale(lang))


def day_month(d, lang: str = "id") -> str:
    """``16 Nov`` (chart axes)."""
    if isinstance(d, dt.datetime):
        d = d.date()
    return format_date(d, "d MMM", locale=locale(lang))


def datetime_local(ts: dt.datetime, lang: str = "id") -> str:
    """``16 Nov 2026 14.05`` (Indonesian uses a dot in times) / ``16 Nov 2026 14:05``."""
    if missing(ts):
        return "–"
    sep = "." if lang == "id" else ":"
    return f"{date(ts, lang, long=False)} {ts.hour:02d}{sep}{ts.minute:02d}"
