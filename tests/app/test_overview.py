"""Page 1, weekly overview: tiles, charts and league equal the KPI layer; widgets change them; a
link without ``week=`` follows the data."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import figures, html_links, html_tables, metrics, page, wk
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
    week = warehouse.info()["default_week"]
    assert at.selectbox(key=wk("week")).value == ""  # "latest (automatic)"
    s = warehouse.summary(week, week)
    shown = metrics(at)
    assert shown["Aduan masuk"] == fmt_num(s["received"], 0, "id")
    assert shown["Tanggapan tepat waktu"] == fmt_pct(s["response_sla_compliance"], 1, "id")
    assert shown["Penyelesaian tepat waktu"] == fmt_pct(s["resolution_sla_compliance"], 1, "id")
    assert shown["Tunggakan"] == fmt_num(s["backlog"], 0, "id")
    assert shown["Tunggakan lewat tenggat"] == fmt_num(s["overdue_backlog"], 0, "id")
    assert shown["Skor kota"] == fmt_num(s["score"], 2, "id")
    # a link without week= means "the latest": the default is not written into the URL
    assert "week" not in at.query_params
    # the page says which week it shows and why
    reason = warehouse.info()["default_week_reason"]
    expected = {"latest_working_days_in": "Minggu terkini", "latest_too_early": "Minggu lengkap"}
    assert any(c.value.startswith(expected[reason]) for c in at.caption)


def test_the_running_week_is_marked(warehouse):
    info = warehouse.info()
    at = run(week=info["latest_week"])
    assert not at.exception
    assert at.subheader[0].value.endswith("(berjalan)")
    options = at.selectbox(key=wk("week")).options
    assert options[1].endswith("(berjalan)") and not options[2].endswith("(berjalan)")
    assert options[0].startswith("Terkini otomatis: ")


def test_trend_chart_is_the_kpi_weekly_series(warehouse):
    at = run()
    week = warehouse.info()["default_week"]
    weeks = list(warehouse.weeks()["week"])
    start = weeks[max(0, weeks.index(week) - 11)]
    weekly = warehouse.weekly(start, week)
    flow = next(f for f in figures(at) if len(f["data"]) == 2 and f["data"][0]["type"] == "bar")
    assert flow["data"][0]["y"] == weekly["received"].tolist()
    assert flow["data"][1]["y"] == weekly["closed"].tolist()
    assert len(flow["data"][0]["x"]) == 12
    assert flow["layout"]["yaxis"]["tickformat"] == ",d"  # whole counts, the reader's digits


def test_changing_the_week_changes_the_tiles_and_the_link(warehouse):
    at = run()
    weeks = list(warehouse.weeks()["week"])
    week = warehouse.info()["default_week"]
    earlier = weeks[weeks.index(week) - 3]
    before = metrics(at)["Aduan masuk"]
    at.selectbox(key=wk("week")).select(earlier).run()
    assert not at.exception
    expected = fmt_num(warehouse.summary(earlier, earlier)["received"], 0, "id")
    assert expected != before  # the two weeks really differ in the demo
    assert metrics(at)["Aduan masuk"] == expected
    assert at.query_params["week"] == earlier  # an explicit choice is kept in the link
    at.selectbox(key=wk("week")).select("").run()  # back to "latest (automatic)"
    assert "week" not in at.query_params


def test_week_from_the_url_and_english(warehouse):
    weeks = list(warehouse.weeks()["week"])
    at = run(week=weeks[5], lang="en")
    assert not at.exception
    assert at.title[0].value == "Weekly overview"
    s = warehouse.summary(weeks[5], weeks[5])
    assert metrics(at)["Complaints received"] == fmt_num(s["received"], 0, "en")
    assert metrics(at)["City score"] == fmt_num(s["score"], 2, "en")
    assert at.selectbox(key=wk("week", "en")).value == weeks[5]


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
    # the week widget is the English one now (its labels were frozen in Indonesian before)
    assert at.selectbox(key=wk("week", "en")).options[0].startswith("Latest (automatic): Week ")


def test_league_table_follows_the_kpi_league(warehouse):
    at = run()
    week = warehouse.info()["default_week"]
    league = warehouse.league(week)
    table = html_tables(at)[0]
    expected = league.agencies
    assert table["OPD"].tolist() == expected["agency_name"].tolist()  # every agency, in order
    ranks = [int(r) for r in table["Peringkat"] if r != "–"]
    assert ranks == sorted(ranks) and ranks == expected["rank"].dropna().tolist()  # as numbers
    assert table["Skor 4 minggu"].tolist()[0] == fmt_num(expected["score"].iloc[0], 2, "id")
    assert "unassigned" not in set(expected["agency_id"])
    assert not any("Belum terdisposisi" == n for n in table["OPD"])
    statuses = set(table["Status"])
    assert statuses <= {"✔ Sesuai target", "⚠ Waspada", "✖ Di bawah target", "– Tidak ada nilai"}
    links = html_links(at)
    assert f"rapor?agency={expected['agency_id'].iloc[0]}" in links  # a row opens its scorecard
    undisposed = league.undisposed
    if undisposed["backlog"]:
        assert any(w.value.startswith("Belum terdisposisi ke OPD") for w in at.warning)
