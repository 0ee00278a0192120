"""Page 1, weekly overview: tiles, charts and league equal the KPI layer; widgets change them."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import figures, metrics, page
from ui.i18n import fmt_num, fmt_pct

PAGE = page("1_Ringkasan_Mingguan.py")


def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_default_week_tiles_equal_the_kpi_layer(warehouse):
    at = run()
    assert not at.exception and not at.error
    week = warehouse.info()["last_complete_week"]
    assert at.selectbox(key="week").value == week
    s = warehouse.summary(week, week)
    shown = metrics(at)
    assert shown["Aduan masuk"] == fmt_num(s["received"], 0, "id")
    assert shown["Tanggapan tepat waktu"] == fmt_pct(s["response_sla_compliance"], 1, "id")
    assert shown["Penyelesaian tepat waktu"] == fmt_pct(s["resolution_sla_compliance"], 1, "id")
    assert shown["Tunggakan"] == fmt_num(s["backlog"], 0, "id")
    assert shown["Tunggakan lewat tenggat"] == fmt_num(s["overdue_backlog"], 0, "id")
    assert shown["Skor kota"] == fmt_num(s["score"], 2, "id")
    assert at.query_params["week"] == week


def test_trend_chart_is_the_kpi_weekly_series(warehouse):
    at = run()
    week = warehouse.info()["last_complete_week"]
    weeks = list(warehouse.weeks()["week"])
    start = weeks[max(0, weeks.index(week) - 11)]
    weekly = warehouse.weekly(start, week)
    flow = figures(at)[0]
    assert flow["data"][0]["y"] == weekly["received"].tolist()
    assert flow["data"][1]["y"] == weekly["closed"].tolist()
    assert len(flow["data"][0]["x"]) == 12


def test_changing_the_week_changes_the_tiles(warehouse):
    at = run()
    weeks = list(warehouse.weeks()["week"])
    week = warehouse.info()["last_complete_week"]
    earlier = weeks[weeks.index(week) - 3]
    before = metrics(at)["Aduan masuk"]
    at.selectbox(key="week").select(earlier).run()
    assert not at.exception
    expected = fmt_num(warehouse.summary(earlier, earlier)["received"], 0, "id")
    assert expected != before  # the two weeks really differ in the demo
    assert metrics(at)["Aduan masuk"] == expected
    assert at.query_params["week"] == earlier


def test_week_from_the_url_and_english(warehouse):
    weeks = list(warehouse.weeks()["week"])
    at = run(week=weeks[5], lang="en")
    assert not at.exception
    assert at.title[0].value == "Weekly overview"
    s = warehouse.summary(weeks[5], weeks[5])
    assert metrics(at)["Complaints received"] == fmt_num(s["received"], 0, "en")
    assert metrics(at)["City score"] == fmt_num(s["score"], 2, "en")


def story(at) -> str:
    """The week in words (the markdown that starts with the section's bold name)."""
    return next(
        m.value
        for m in at.markdown
        if m.value.startswith(("**Minggu ini dalam kata", "**The week in words"))
    )


def test_language_toggle_switches_labels_and_story():
    at = run()
    assert at.title[0].value == "Ringkasan Mingguan"
    assert "aduan masuk" in story(at)
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Weekly overview"
    assert "complaints received" in story(at)
    assert at.query_params["lang"] == "en"


def test_league_table_follows_the_kpi_ranking(warehouse):
    at = run()
    week = warehouse.info()["last_complete_week"]
    scores = warehouse.agency_scores(week, week)
    league = at.dataframe[0].value
    ranked = scores[scores["is_ranked"]].sort_values("rank")
    assert league["OPD"].tolist()[: len(ranked)] == ranked["agency_name"].tolist()
    assert league["Skor"].tolist()[0] == fmt_num(ranked["score"].iloc[0], 2, "id")
    assert len(league) == len(scores)
    not_ranked = league[league["Peringkat"] == "tidak diperingkat"]
    assert len(not_ranked) == int((~scores["is_ranked"]).sum())
