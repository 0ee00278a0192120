""" "Perlu perhatian" on the overview and the scorecard, the coming-due list, the "Unduh PDF"
download and the alert rules on Data & Definisi: the pages show what ``kpi.alerts`` says."""

from __future__ import annotations

from kpi.alerts import week_alerts
from kpi.alerts.due import coming_due
from kpi.alerts.text import describe
from tests.app.conftest import html_tables, run_page
from ui import data
from ui.story import escape_md


def lines(at) -> list[str]:
    """The alert lines a page shows (links in the app; in AppTest the same text as markdown)."""
    return [m.value[2:] for m in at.markdown if m.value.startswith("- ")]


def test_overview_opens_with_the_weeks_alerts(warehouse):
    week = warehouse.info()["last_complete_week"]
    at = run_page("1_Ringkasan_Mingguan.py", week=week)
    assert not at.exception and not at.error
    assert [s.value for s in at.subheader][1] == "Perlu perhatian"
    names = dict(zip(warehouse.agencies()["agency_id"], warehouse.agencies()["name"], strict=True))
    alerts = week_alerts(warehouse, week)
    expected = [escape_md(describe(a, "id", names, "Kota Semarang"))
                for a in alerts if a.family != "coming_due"][:8]  # fmt: skip
    shown = lines(at)
    assert shown[: len(expected)] == expected
    due = [a for a in alerts if a.family == "coming_due"]
    total = sum(a.figures["count"] for a in due)
    assert shown[len(expected)].startswith(f"{total} aduan jatuh tempo dalam 5 hari kerja")
    (button,) = at.get("download_button")
    assert button.label == "Unduh PDF"


def test_scorecard_shows_the_agencys_alerts_and_coming_due_list(warehouse):
    week = warehouse.info()["last_complete_week"]
    alerts = [a for a in week_alerts(warehouse, week) if a.family == "deteriorating"]
    agency = alerts[0].agency_id if alerts else warehouse.agencies()["agency_id"].iloc[0]
    at = run_page("2_Rapor_OPD.py", lang="en", week=week, agency=agency)
    assert not at.exception and not at.error
    names = dict(zip(warehouse.agencies()["agency_id"], warehouse.agencies()["name"], strict=True))
    own = [
        escape_md(describe(a, "en", names, "Kota Semarang"))
        for a in week_alerts(warehouse, week, agency=agency)
        if a.family != "coming_due"  # its coming-due list follows as a table
    ]
    assert own and lines(at) == own
    due = coming_due(warehouse, week, agency=agency)
    heading = f"Coming due: {len(due)} complaints in the next 5 working days"
    assert heading in [s.value for s in at.subheader]
    if len(due):
        table = next(df for df in html_tables(at) if "Working day" in df.columns)
        assert table["ID"].tolist() == due["complaint_id"].tolist()
    assert [b.label for b in at.get("download_button")][0] == "Download PDF"


def test_the_download_is_the_brief_made_once(warehouse, demo_db):
    week = warehouse.info()["last_complete_week"]
    make = data.brief_download(week, None, "id")  # the demo: open without sign-in
    pdf = make()
    assert pdf.startswith(b"%PDF")
    assert make() is pdf  # kept, not made again


def test_data_page_lists_every_alert_rule_with_its_thresholds():
    at = run_page("7_Data_Definisi.py", lang="en")
    assert not at.exception and not at.error
    table = next(df for df in html_tables(at) if "Rule" in df.columns)
    assert len(table) == 8
    spike = table[table["Alert"] == "Complaint spike in a district"]["Rule"].iloc[0]
    assert "x ≥ 5" in spike and "P(X ≥ x) < 0.001" in spike and "8 complete weeks" in spike
