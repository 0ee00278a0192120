"""Page 2, agency scorecard: chosen by URL or widget; figures equal the KPI layer's."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import figures, metrics, page
from ui.i18n import fmt_num

PAGE = page("2_Rapor_OPD.py")


def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def two_agencies(warehouse, week):
    """Two ranked agencies with different scores (so a switch must change the tile)."""
    scores = warehouse.agency_scores(week, week)
    ranked = scores[scores["is_ranked"]].drop_duplicates("score")
    return ranked.iloc[0], ranked.iloc[-1]


def test_agency_from_the_url_shows_its_score_and_rank(warehouse):
    week = warehouse.info()["last_complete_week"]
    best, _ = two_agencies(warehouse, week)
    at = run(agency=best["agency_id"])
    assert not at.exception and not at.error
    assert at.selectbox(key="agency").value == best["agency_id"]
    shown = metrics(at)
    assert shown["Skor (target 1,00)"] == fmt_num(best["score"], 2, "id")
    n_ranked = int(warehouse.agency_scores(week, week)["is_ranked"].sum())
    assert shown["Peringkat"] == f"{int(best['rank'])} dari {n_ranked}"
    assert shown["Skor kota"] == fmt_num(warehouse.summary(week, week)["score"], 2, "id")


def test_choosing_another_agency_changes_the_scorecard(warehouse):
    week = warehouse.info()["last_complete_week"]
    best, worst = two_agencies(warehouse, week)
    at = run(agency=best["agency_id"])
    before = metrics(at)["Skor (target 1,00)"]
    at.selectbox(key="agency").select(worst["agency_id"]).run()
    assert not at.exception
    after = metrics(at)["Skor (target 1,00)"]
    assert after == fmt_num(worst["score"], 2, "id") != before
    assert at.query_params["agency"] == worst["agency_id"]


def test_trend_and_fix_first_list_equal_the_kpi_layer(warehouse):
    week = warehouse.info()["last_complete_week"]
    scores = warehouse.agency_scores(week, week)
    # the agency with the most overdue open complaints now
    counts = {a: len(warehouse.fix_first(a)) for a in scores["agency_id"]}
    agency = max(counts, key=counts.get)
    assert counts[agency] > 0
    at = run(agency=agency)
    assert not at.exception
    fix = warehouse.fix_first(agency)
    table = next(df.value for df in at.dataframe if "Terlambat (hari)" in df.value.columns)
    assert table["ID"].tolist() == fix["complaint_id"].tolist()
    assert table["Terlambat (hari)"].tolist() == [int(x) for x in fix["days_overdue"]]
    assert [b.label for b in at.get("download_button")] == ["Unduh PDF", "Unduh CSV"]
    weeks = list(warehouse.weeks()["week"])
    start = weeks[max(0, weeks.index(week) - 11)]
    weekly = warehouse.weekly(start, week, scope={"agency_id": agency})
    trend = figures(at)[0]
    assert trend["data"][0]["y"] == weekly["response_sla_compliance"].tolist()


def test_unknown_agency_in_the_url_is_explained(warehouse):
    at = run(agency="no-such-agency", lang="en")
    assert not at.exception
    assert at.warning[-1].value.startswith("Agency 'no-such-agency' is not in the data")
    assert at.title[0].value == "Agency scorecard"
