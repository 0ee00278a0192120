"""The catalogue and the formatters: Indonesian and English numbers, dates and weeks."""

import datetime as dt

from ui.i18n import (
    CATALOGUE,
    fmt_date,
    fmt_datetime,
    fmt_num,
    fmt_pct,
    fmt_signed,
    fmt_week,
    plotly_separators,
    t,
)


def test_numbers_follow_the_language():
    assert fmt_num(1234.5, 1, "id") == "1.234,5"
    assert fmt_num(1234.5, 1, "en") == "1,234.5"
    assert fmt_num(1234567, 0, "id") == "1.234.567"
    assert fmt_num(None, 0, "id") == "–"
    assert fmt_num(float("nan"), 0, "en") == "–"


def test_percentages_and_signed_changes():
    assert fmt_pct(0.873, 1, "id") == "87,3%"
    assert fmt_pct(0.873, 1, "en") == "87.3%"
    assert fmt_pct(None, 1, "en") == "–"
    assert fmt_signed(0.08, 0, "id", pct=True) == "+8%"
    assert fmt_signed(-1234, 0, "id") == "-1.234"
    assert fmt_signed(0.0, 0, "en") == "0"


def test_dates_and_month_names():
    d = dt.date(2026, 8, 17)
    assert fmt_date(d, "id") == "17 Agu 2026"
    assert fmt_date(d, "en") == "17 Aug 2026"
    assert fmt_date(d, "id", long=True) == "17 Agustus 2026"
    assert fmt_datetime(dt.datetime(2026, 5, 1, 9, 5), "id") == "1 Mei 2026 09.05"
    assert fmt_datetime(dt.datetime(2026, 5, 1, 9, 5), "en") == "1 May 2026 09:05"


def test_week_label():
    start = dt.date(2026, 11, 16)
    assert fmt_week("2026-W47", start, "id") == "Minggu 47 · 16 Nov – 22 Nov 2026"
    assert fmt_week("2026-W47", start, "en") == "Week 47 · 16 Nov – 22 Nov 2026"


def test_catalogue_translates_and_fills_placeholders():
    assert t("nav.overview", "id") == "Ringkasan Mingguan"
    assert t("nav.overview", "en") == "Weekly overview"
    assert t("scorecard.rank_of", "en", rank=3, n=12) == "3 of 12"
    assert t("no.such.key", "en") == "no.such.key"
    assert plotly_separators("id") == ",." and plotly_separators("en") == ".,"


def test_every_entry_has_both_languages_with_the_same_placeholders():
    import string

    def fields(s):
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}

    for key, (ind, eng) in CATALOGUE.items():
        assert ind and eng, key
        assert fields(ind) == fields(eng), key
