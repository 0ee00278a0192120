"""Page 2, agency scorecard: chosen by URL or widget; figures equal the KPI layer's; the list to
fix first is complete, as at the end of the chosen week, and downloads open in Excel."""

import io

import openpyxl
from streamlit.testing.v1 import AppTest

from tests.app.conftest import figures, html_tables, metrics, page, wk
from ui.i18n import fmt_num

PAGE = page("2_Rapor_OPD.py")


def run(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def two_agencies(warehouse, week):
    """Two ranked agencies with different week scores (so a switch must change the tile)."""
    table = warehouse.league(week).agencies
    ranked = table[table["is_ranked"]].drop_duplicates("week_score")
    return ranked.iloc[0], ranked.iloc[-1]


def test_agency_from_the_url_shows_its_score_and_rank(warehouse):
    week = warehouse.info()["default_week"]
    best, _ = two_agencies(warehouse, week)
    at = run(agency=best["agency_id"])
    assert not at.exception and not at.error
    assert at.selectbox(key=wk("agency")).value == best["agency_id"]
    shown = metrics(at)
    assert shown["Skor minggu ini (target 1,00)"] == fmt_num(best["week_score"], 2, "id")
    n_ranked = warehouse.league(week).n_ranked
    assert shown["Peringkat (4 minggu)"] == f"{int(best['rank'])} dari {n_ranked}"
    assert shown["Skor kota minggu ini"] == fmt_num(warehouse.summary(week, week)["score"], 2, "id")


def test_without_an_agency_it_opens_on_the_bottom_of_the_league(warehouse):
    week = warehouse.info()["default_week"]
    table = warehouse.league(week).agencies
    bottom = table[table["is_ranked"]].iloc[-1]
    at = run()
    assert at.selectbox(key=wk("agency")).value == bottom["agency_id"]
    assert any(c.value.startswith("Menampilkan OPD di urutan terbawah") for c in at.caption)
    assert "agency" not in at.query_params  # the default moves with the data: not in the link


def test_choosing_another_agency_changes_the_scorecard(warehouse):
    week = warehouse.info()["default_week"]
    best, worst = two_agencies(warehouse, week)
    at = run(agency=best["agency_id"])
    before = metrics(at)["Skor minggu ini (target 1,00)"]
    at.selectbox(key=wk("agency")).select(worst["agency_id"]).run()
    assert not at.exception
    after = metrics(at)["Skor minggu ini (target 1,00)"]
    assert after == fmt_num(worst["week_score"], 2, "id") != before
    assert at.query_params["agency"] == worst["agency_id"]


def test_trend_and_the_complete_fix_first_list(warehouse):
    week = warehouse.info()["default_week"]
    cut = _cut(warehouse, week)
    counts = {
        a: len(warehouse.fix_first(a, as_of=cut))
        for a in warehouse.league(week).agencies["agency_id"]
    }
    agency = max(counts, key=counts.get)  # the agency with the most overdue open complaints
    assert counts[agency] > 50  # more than the old cap of 50
    at = run(agency=agency)
    assert not at.exception
    fix = warehouse.fix_first(agency, as_of=cut)
    table = next(df.value for df in at.dataframe if "Terlambat (hari)" in df.value.columns)
    assert table["ID"].tolist() == fix["complaint_id"].tolist()  # all of them, in order
    assert table["Terlambat (hari)"].tolist() == [int(x) for x in fix["days_overdue"]]
    assert any(fmt_num(len(fix), 0, "id") in m.value for m in at.markdown)  # says how many
    buttons = at.get("download_button")
    assert len(buttons) == 3  # the brief's PDF, then the list as XLSX and CSV
    weeks = list(warehouse.weeks()["week"])
    start = weeks[max(0, weeks.index(week) - 11)]
    weekly = warehouse.weekly(start, week, scope={"agency_id": agency})
    trend = figures(at)[0]
    assert trend["data"][0]["y"] == weekly["response_sla_compliance"].tolist()


def test_the_xlsx_download_is_complete_with_dates(warehouse):
    from ui import exports

    week = warehouse.info()["default_week"]
    agency = warehouse.league(week).agencies["agency_id"].iloc[-1]
    fix = warehouse.fix_first(agency, as_of=_cut(warehouse, week))
    header = ["ID", "Terlambat (hari)", "Diterima", "Tenggat"]
    rows = [[r.complaint_id, int(r.days_overdue), r.created_at_local, r.due_at_local]
            for r in fix.itertuples(index=False)]  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(header, rows, "Tangani")))
    sheet = book.active
    got = list(sheet.iter_rows(values_only=True))
    assert got[0] == tuple(header) and len(got) == len(fix) + 1
    if len(fix):
        first = got[1]
        assert first[0] == fix["complaint_id"].iloc[0]
        assert first[2] == fix["created_at_local"].iloc[0].to_pydatetime().replace(microsecond=0)
        assert sheet.cell(row=2, column=3).number_format == exports.DATE_FORMAT
    csv_id = exports.to_csv(["a", "b"], [["x", 1.5]], "id").decode("utf-8")
    assert csv_id == "\ufeffa;b\r\nx;1,5\r\n"  # Excel in Indonesian: ";" and a decimal comma
    assert (
        exports.to_csv(["a", "b"], [["x", 1.5]], "en").decode("utf-8") == "\ufeffa,b\r\nx,1.5\r\n"
    )


def test_every_dash_says_why_and_contributions_add_up(warehouse):
    week = warehouse.info()["default_week"]
    at = run(agency="dinas-sosial")  # a bookmark from before regions: the slug alone
    assert not at.exception
    assert at.selectbox(key=wk("agency")).value.endswith(":dinas-sosial")
    metrics_table = next(df for df in html_tables(at) if "Nilai" in df.columns)
    # no service applications for this agency: "–" with the reason beside it
    row = metrics_table.set_index("Indikator").loc["Layanan tepat waktu"]
    assert row["Nilai"] == "–" and row["Keterangan"] == "tidak ada yang dihitung pada periode ini"
    how = next(df for df in html_tables(at) if "Sumbangan ke skor" in df.columns)
    how = how.set_index("Indikator")
    shares = [float(v.replace(",", ".")) for v in how["Sumbangan ke skor"].drop("Skor")
              if v != "tidak dihitung"]  # fmt: skip
    score = warehouse.score_breakdown(week, week, agency_id="dinas-sosial")
    assert round(sum(shares), 2) == round(score["share_of_score"].sum(), 2)
    assert how.loc["Layanan tepat waktu", "Sumbangan ke skor"] == "tidak dihitung"
    assert how.loc["Layanan tepat waktu", "Bobot"] == "1,00"  # the weight in force, not 0,00


def test_unknown_agency_in_the_url_is_explained(warehouse):
    at = run(agency="no-such-agency", lang="en")
    assert not at.exception
    assert at.warning[-1].value.startswith("Agency 'no-such-agency' is not in the data")
    assert at.title[0].value == "Agency scorecard"


def _cut(warehouse, week):
    """The end of ``week`` capped at the data's as-of, as the page uses it."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    row = warehouse.weeks().set_index("week").loc[week]
    zone = ZoneInfo(warehouse.info()["timezone"])
    end = dt.datetime.combine(row["week_end"], dt.time(0), zone).astimezone(dt.UTC)
    as_of = warehouse.info()["data_as_of"] + dt.timedelta(microseconds=1)
    return min(end.replace(tzinfo=None), as_of)
