"""Page 3, backlog & ageing: buckets add up to the week's backlog; tables equal the KPI layer."""

import datetime as dt
from zoneinfo import ZoneInfo

from streamlit.testing.v1 import AppTest

from tests.app.conftest import figures, page, wk

PAGE = page("3_Backlog.py")


def week_cut(warehouse, week: str) -> dt.datetime:
    """The UTC instant closing ``week`` (local midnight after its Sunday), capped at as-of."""
    row = warehouse.weeks().set_index("week").loc[week]
    zone = ZoneInfo(warehouse.info()["timezone"])
    end = dt.datetime.combine(row["week_end"], dt.time(0), zone).astimezone(dt.UTC)
    as_of = warehouse.info()["data_as_of"] + dt.timedelta(microseconds=1)
    return min(end.replace(tzinfo=None), as_of)


def test_age_buckets_and_oldest_equal_the_kpi_layer(warehouse):
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception and not at.error
    week = warehouse.info()["default_week"]
    cut = week_cut(warehouse, week)
    ages = warehouse.backlog_ages(cut)
    figs = figures(at)
    buckets = figs[1]["data"][0]["y"]
    assert buckets == ages["n"].tolist()
    # invariant: the buckets add up to the backlog at the end of the week
    assert sum(buckets) == warehouse.summary(week, week)["backlog"]
    heat = figs[2]["data"][0]["z"]
    assert sum(map(sum, heat)) == sum(buckets)
    oldest = warehouse.oldest_open(cut, limit=20)
    assert at.dataframe[0].value["ID"].tolist() == oldest["complaint_id"].tolist()


def test_week_and_language_change_the_view(warehouse):
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    weeks = list(warehouse.weeks()["week"])
    before = figures(at)[1]["data"][0]["y"]
    at.selectbox(key=wk("week")).select(weeks[4]).run()
    assert not at.exception
    after = figures(at)[1]["data"][0]["y"]
    assert after == warehouse.backlog_ages(week_cut(warehouse, weeks[4]))["n"].tolist()
    assert after != before
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Backlog & ageing"
    assert at.subheader[0].value.startswith("At the end of Week ")
