"""Data & definitions page (app_pages/7_Data_Definisi.py): freshness, loads, quarantine, glossary and
targets shown as the KPI layer and the settings have them; a tiny real load gives a quarantine."""

import pytest
from streamlit.testing.v1 import AppTest

from kpi.definitions import METRICS
from tests.app.conftest import grant, html_tables, page, run_page, signed_in
from ui import data
from ui.i18n import fmt_num, value_label

CSV = """id,created_at,status,agency,category,district,title,reporter_name
A-1,2026-11-02 08:00:00,open,Dinas Pekerjaan Umum,Jalan Rusak,Tugu,Jalan berlubang,Budi
A-2,2026-11-03 09:30:00,selesai,Dinas Pekerjaan Umum,Jalan Rusak,Mijen,Lampu mati,Sari
A-3,not a date,open,Dinas Pekerjaan Umum,Jalan Rusak,Tugu,Sampah,Ani
"""
ADMIN = "admin@kinerja.test"


@pytest.fixture(autouse=True)
def fresh_warehouse():
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.fixture
def tiny_db(tmp_path, monkeypatch):
    """Three complaint rows through the real ETL, one of them quarantined; no services."""
    from etl.load import load_file
    from etl.meta import set_meta

    csv = tmp_path / "aduan.csv"
    csv.write_text(CSV, encoding="utf-8")
    db = tmp_path / "tiny.duckdb"
    summary = load_file(csv, db=db, source="generic")
    assert (summary.inserted, summary.quarantined) == (2, 1)
    set_meta(db, {"city": "semarang", "is_demo": "false"})
    monkeypatch.setenv("KINERJA_DB", str(db))
    grant(db, ADMIN, "admin")  # real (non-demo) data: only a signed-in user sees it
    return db, summary


def _frame(at: AppTest, column: str):
    """The first table on the page (a data frame or an HTML table) that has ``column``."""
    frames = [d.value for d in at.dataframe] + html_tables(at)
    return next(f for f in frames if column in f.columns)


def _run(lang="id", user=None) -> AppTest:
    return run_page("7_Data_Definisi.py", lang, user=user)


def test_demo_freshness_loads_glossary_and_targets(demo_db, warehouse):
    at = _run()
    assert not at.exception
    fresh = warehouse.freshness()
    lines = [x.value for x in at.text][: len(fresh)]
    # sources by the names readers know, never the mapping ids
    assert [line.split(":")[0] for line in lines] == [
        value_label("source", x, "id") for x in fresh["source"]
    ]
    for line, n in zip(lines, fresh["n_rows"], strict=True):
        assert line.endswith(f"· {fmt_num(n, 0, 'id')} baris")
    assert len(at.get("plotly_chart")) >= 1  # rows per source (and quarantine, if any)
    loads, glossary = _frame(at, "Berkas"), _frame(at, "Rumus")
    targets = _frame(at, "Bobot")
    assert len(loads) == min(50, len(warehouse.load_history(limit=50)))
    assert list(glossary["Nama di kode"]) == list(METRICS)
    row = glossary.set_index("Nama di kode").loc["clearance_rate"]
    assert row["Rumus"] == METRICS["clearance_rate"].formula_id
    scored = warehouse.settings.scored_metrics()
    assert len(targets) == len(scored)
    assert targets["Target"].tolist()[:2] == ["90%", "80%"]
    quarantine = warehouse.quarantine_summary()
    if len(quarantine) == 0:
        assert at.success[0].value == "Tidak ada baris yang dikarantina."
    else:
        shown = _frame(at, "Alasan")
        assert shown["Jumlah"].tolist() == [fmt_num(n, 0, "id") for n in quarantine["n"]]


def test_quarantined_row_is_shown_by_reason(tiny_db):
    db, summary = tiny_db
    at = _run(lang="en", user=ADMIN)
    assert not at.exception
    (reason,) = summary.reasons
    table = _frame(at, "Reason")
    assert table.to_dict("records") == [
        {
            "Source": "City channels (generic template)",
            "Reason": value_label("reason", reason, "en"),
            "Count": "1",
        }
    ]
    assert value_label("reason", reason, "en") != reason  # a name, not the code
    loads = _frame(at, "File")
    assert loads.iloc[0][["File", "Outcome", "Read", "Inserted", "Quarantined"]].tolist() == [
        "aduan.csv",
        "✔ loaded",
        "3",
        "2",
        "1",
    ]
    assert "python -m etl status --rows 20" in [c.value for c in at.code]
    assert len(at.get("plotly_chart")) == 2  # rows per source, quarantine by reason
    assert at.text[0].value.startswith(
        "City channels (generic template): data as of 3 Nov 2026 09:30 WIB"
    )
    assert at.text[0].value.endswith("· 2 rows")


def test_services_page_without_services_shows_its_empty_state(tiny_db):
    at = signed_in(AppTest.from_file(page("6_Layanan.py"), default_timeout=60), ADMIN).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Belum ada data permohonan layanan. Muat data dengan: python -m etl load BERKAS "
        "--source generic_services"
    ]
    assert not at.metric


@pytest.mark.parametrize(
    "name", ["4_Jelajah.py", "5_Peta.py", "6_Layanan.py", "7_Data_Definisi.py"]
)
def test_pages_run_on_a_two_complaint_city(tiny_db, name):
    """Edge case: one week, two complaints, no services: no exception and no error message."""
    at = signed_in(AppTest.from_file(page(name), default_timeout=60), ADMIN).run()
    assert not at.exception
    assert [e.value for e in at.error] == []
