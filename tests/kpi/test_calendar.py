"""Working days and deadlines: holidays, cuti bersama, extra days, zones, source deadlines."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi import Warehouse
from kpi.calendar import add_working_days, build_calendar
from kpi.settings import deep_merge, load_settings
from tests.kpi.conftest import wib


def test_cuti_bersama_and_national_holidays_are_not_working_days():
    s = load_settings(city="semarang")
    cal = build_calendar(s, 2015, 2015).set_index("d")
    assert not cal.loc[date(2015, 7, 16), "is_working"]  # cuti bersama (government category)
    assert not cal.loc[date(2015, 7, 17), "is_working"]  # Idul Fitri (public)
    assert not cal.loc[date(2015, 7, 18), "is_working"]  # Saturday
    assert cal.loc[date(2015, 7, 15), "is_working"] and cal.loc[date(2015, 7, 22), "is_working"]
    # 15 Jul is the 134th working day of 2015 and 22 Jul the 135th: nothing between them
    assert (cal.loc[date(2015, 7, 15), "wd_cum"], cal.loc[date(2015, 7, 22), "wd_cum"]) == (
        134,
        135,
    )
    # without the government category, 16 Jul (cuti bersama) is a working day
    public_only = load_settings(city="semarang")
    public_only = type(public_only)(
        deep_merge(public_only.raw, {"calendar": {"holiday_categories": ["public"]}})
    )
    cal2 = build_calendar(public_only, 2015, 2015).set_index("d")
    assert cal2.loc[date(2015, 7, 16), "is_working"]


def test_deadline_is_end_of_nth_working_day_local_in_utc():
    s = load_settings(city="semarang")
    # Tue 14 Jul 11:00 WIB + 1 → Wed 15 23:59:59 WIB = 16:59:59 UTC
    assert add_working_days(wib("2015-07-14 11:00"), 1, s) == datetime(2015, 7, 15, 16, 59, 59)
    # + 2 skips 16 (cuti bersama), 17 (Idul Fitri), weekend, 20–21 (cuti bersama) → Wed 22
    assert add_working_days(wib("2015-07-14 11:00"), 2, s) == datetime(2015, 7, 22, 16, 59, 59)
    # created on a Saturday: the first working day after it is Monday
    assert add_working_days(wib("2015-07-11 10:00"), 1, s) == datetime(2015, 7, 13, 16, 59, 59)
    # 23:30 WIB on Fri 10 Jul is 16:30 UTC; its local date (the 10th) counts, not the UTC date
    assert add_working_days(wib("2015-07-10 23:30"), 1, s) == datetime(2015, 7, 13, 16, 59, 59)


def test_zone_and_country_overrides():
    # Makassar (WITA, UTC+8): the end of the day is 15:59:59 UTC
    s = load_settings(city="bontang")
    assert s.timezone == "Asia/Makassar"
    assert add_working_days(datetime(2015, 7, 14, 3), 1, s) == datetime(2015, 7, 15, 15, 59, 59)
    # Boston: Fri 16 Jan 2015 10:00 EST; Mon 19 Jan is Martin Luther King Jr. Day
    b = load_settings(city="boston")
    assert add_working_days(datetime(2015, 1, 16, 15), 1, b) == datetime(2015, 1, 21, 4, 59, 59)
    # in summer (EDT, UTC−4) the same rule ends at 03:59:59 UTC
    assert add_working_days(datetime(2015, 7, 1, 15), 1, b) == datetime(2015, 7, 3, 3, 59, 59)
    o = load_settings(city="semarang", tz="Asia/Jayapura", country="us")
    assert (o.timezone, o.country) == ("Asia/Jayapura", "US")


def test_extra_days(tmp_path):
    cfg = tmp_path / "x.toml"
    cfg.write_text(
        '[calendar]\nextra_non_working_days = ["2015-07-15"]\nextra_working_days = ["2015-07-18"]\n'
    )
    s = load_settings(cfg)
    # from Tue 14: 15 is a local leave day, 16–17 holidays, Sat 18 declared a working day
    assert add_working_days(wib("2015-07-14 11:00"), 1, s) == datetime(2015, 7, 18, 16, 59, 59)


def test_warehouse_deadlines_match_the_reference(db_factory, tmp_path):
    rows = [
        dict(complaint_id=f"K{i}", category=cat, created_at=wib(ts))
        for i, (cat, ts) in enumerate(
            [("Banjir dan Genangan", "2015-07-10 23:30"), ("Jalan Rusak", "2015-07-11 10:00"),
             ("Bangunan dan Tata Ruang", "2015-07-14 11:00"), ("Tidak Terdaftar", "2015-12-23 09:00")]
        )
    ]  # fmt: skip
    rows.append(dict(complaint_id="SRC", created_at=wib("2015-07-14 11:00"),
                     response_due_at=datetime(2015, 7, 14, 12), resolution_due_at=datetime(2015, 7, 15, 12)))  # fmt: skip
    wh = Warehouse.open(db_factory(complaints=rows, meta={"city": "semarang"}))
    s = wh.settings
    got = dict(
        (r[0], (r[1], r[2]))
        for r in wh.con.execute("SELECT complaint_id, resp_due, res_due FROM c").fetchall()
    )
    days = {
        "Banjir dan Genangan": 5,
        "Jalan Rusak": 14,
        "Bangunan dan Tata Ruang": 60,
        "Tidak Terdaftar": 14,
    }
    for row in rows[:4]:
        expected = (add_working_days(row["created_at"], 5, s),
                    add_working_days(row["created_at"], days[row["category"]], s))  # fmt: skip
        assert got[row["complaint_id"]] == expected, row
    # the source's own deadlines win
    assert got["SRC"] == (datetime(2015, 7, 14, 12), datetime(2015, 7, 15, 12))
    # Banjir (quick, 5): Fri 10 Jul 23:30 → 13, 14, 15, 22, 23 → Thu 23 Jul 23:59:59 WIB
    assert got["K0"][1] == datetime(2015, 7, 23, 16, 59, 59)


def test_unknown_settings_are_refused(tmp_path):
    from kpi.settings import SettingsError

    with pytest.raises(SettingsError, match="city.timezone"):
        load_settings(tz="Mars/Olympus")
    with pytest.raises(SettingsError, match="city.country"):
        load_settings(country="XX")
    bad = tmp_path / "bad.toml"
    bad.write_text("[sla.category_class]\nJalan = 'slow'\n")
    with pytest.raises(SettingsError, match="unknown class"):
        load_settings(bad)
