"""Who sees what, page by page: every role × every page signed in through ``at.user`` on a
two-kab/kota province (Kota Semarang 33.74, Kabupaten Cilacap 33.01, the province's own OPD 33):
what is shown equals the KPI layer's answer for the role's scope, what is refused says so, and
URL parameters or crafted calls cannot widen the scope."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from kinerja.accessdb import AccessStore
from tests.app.conftest import grant, html_links, metrics, page, signed_in, weeks_ending, wk
from ui.i18n import fmt_num, metric_label

ROLES = ("governor", "regional_head", "agency_head", "operator", "viewer", "admin")
PAGES = ("0_Provinsi.py", "1_Ringkasan_Mingguan.py", "2_Rapor_OPD.py", "3_Backlog.py", "4_Jelajah.py",
         "5_Peta.py", "6_Layanan.py", "7_Data_Definisi.py", "8_Admin.py")  # fmt: skip
AGENCY = "33.74:dinas-perumahan-dan-kawasan-permukiman"  # 96 overdue complaints at the week's end
OTHER = "33.74:dinas-kesehatan"
CILACAP = "33.01:dinas-kesehatan"
EMAIL = {
    "governor": "gub@jatengprov.go.id",
    "regional_head": "walikota@semarangkota.go.id",
    "agency_head": "kadis@semarangkota.go.id",
    "operator": "operator@semarangkota.go.id",
    "viewer": "tamu@semarangkota.go.id",
    "admin": "admin@jatengprov.go.id",
}
# The region each role's pages open on: the sidebar's default, the province, for those who may
# choose among the regions (governor, admin); everyone else's own kab/kota.
REGION = {"governor": "33", "admin": "33"}
ROWS = ("governor", "regional_head", "agency_head", "admin")  # may see complaint lists
DENIED_ROWS = "Daftar aduan: tidak tersedia untuk peran Anda."
DENIED_OPS = "Riwayat pemuatan dan karantina: tidak tersedia untuk peran Anda."


def region(role: str) -> str | None:
    return REGION.get(role, "33.74")


def scope(role: str, **more) -> dict | None:
    got = {"region": region(role), **more} if region(role) else dict(more)
    return got or None


@pytest.fixture(scope="module")
def province(private_tmp):
    """The province demo (8 weeks, two kab/kota) with one user per role and a disabled one."""
    from etl.demo.province_build import build_province

    path = private_tmp / "province" / "kinerja.duckdb"
    if not path.exists():
        build_province(path, weeks=8, seed=5, only=["33.74", "33.01"])
        for role in ROLES:
            agency = AGENCY if role == "agency_head" else None
            grant(path, EMAIL[role], role, region(role) if role != "agency_head" else None, agency)
        AccessStore(path).put_user("pensiun@semarangkota.go.id", "viewer", "33.74", None, False,
                                   by="tests")  # fmt: skip
    yield path


@pytest.fixture(scope="module")
def wh(province):
    from kpi import Warehouse

    warehouse = Warehouse.open(db_path=province)
    yield warehouse
    warehouse.close()


@pytest.fixture
def on_province(province, monkeypatch):
    monkeypatch.setenv("KINERJA_DB", str(province))
    return province


def run(name: str, role: str | None, lang: str = "id", **params) -> AppTest:
    at = AppTest.from_file(page(name), default_timeout=120)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    signed_in(at, EMAIL.get(role, role))
    return at.run()


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def linked_agencies(at) -> list[str]:
    return [parse_qs(urlparse(h).query)["agency"][0] for h in html_links(at) if "agency=" in h]


def in_region(agency_id: str, role: str) -> bool:
    code = agency_id.split(":", 1)[0]
    mine = region(role)
    return mine is None or code == mine or code.startswith(mine + ".")


# ---- every role × every page -----------------------------------------------------------------


def check_province(at, role, wh):
    """The province page: the governor's tiles and region league; a regional head the region
    league only (the province's figures are beyond their kab/kota); nobody else."""
    week = wh.info()["default_week"]
    linked = [parse_qs(urlparse(h).query)["region"][0] for h in html_links(at) if "region=" in h]
    if role in ("governor", "admin", "regional_head"):
        assert sorted(linked) == sorted(wh.region_league(week).regions["region_code"])
    if role in ("governor", "admin"):
        expected = wh.summary(week, week, {"region": "33"})["received"]
        assert metrics(at)[metric_label("received", "id")] == fmt_num(expected, 0, "id")
    elif role == "regional_head":
        assert not at.metric
        assert "Angka: di luar wilayah Anda, tidak ditampilkan." in infos(at)
    else:
        assert not linked and not at.metric
        assert infos(at) == [
            "Basis data ini hanya memuat satu wilayah: tampilan provinsi tidak tersedia."
        ]


def check_overview(at, role, wh):
    week = wh.info()["default_week"]
    expected = wh.summary(week, week, scope(role))
    assert metrics(at)[metric_label("received", "id")] == fmt_num(expected["received"], 0, "id")
    shown = linked_agencies(at)
    league = wh.league(week, region=region(role)).agencies
    assert sorted(shown) == sorted(league["agency_id"])
    assert all(in_region(a, role) for a in shown)
    assert DENIED_ROWS not in infos(at)


def labels(box, values) -> list[str]:
    """What a selectbox shows for ``values`` (AppTest gives the options as shown)."""
    return [box.format_func(v) for v in values]


def check_scorecard(at, role, wh):
    box = at.selectbox(key=wk("agency"))
    if role == "agency_head":
        assert box.options == labels(box, [AGENCY])  # the league lists all; details: theirs
    else:
        week = wh.info()["default_week"]
        league = wh.league(week, region="33.74").agencies  # ?region=33.74 (for all: their own)
        assert sorted(box.options) == sorted(labels(box, league["agency_id"]))
    downloads = at.get("download_button")
    if role in ROWS:
        assert at.selectbox(key=wk("agency")).value == AGENCY
        assert [d.key for d in downloads] == [
            f"brief_pdf_{AGENCY}_id", "download_fix_xlsx", "download_fix_csv",
        ]  # fmt: skip
        assert len(at.dataframe[0].value) == 96
    else:
        assert DENIED_ROWS in infos(at) and not downloads and not at.dataframe


def week_cut(wh, week: str):
    """The page's cut: the week's end (local midnight, as UTC), capped at the data's as-of."""
    import pandas as pd

    end = pd.Timestamp(wh.weeks().set_index("week").loc[week, "week_end"])
    utc = end.tz_localize(wh.settings.timezone).tz_convert("UTC").tz_localize(None)
    return min(utc, pd.Timestamp(wh.info()["data_as_of"]) + pd.Timedelta("1us"))


def check_backlog(at, role, wh):
    if role not in ROWS:
        assert DENIED_ROWS in infos(at) and not at.dataframe
        return
    extra = {"agency_id": AGENCY} if role == "agency_head" else {}
    cut = week_cut(wh, wh.info()["default_week"])
    expected = wh.oldest_open(cut, scope(role, **extra), 20)
    shown = at.dataframe[0].value
    assert shown["ID"].tolist() == expected["complaint_id"].astype(str).tolist()
    assert len(shown) == 20


def check_explore(at, role, wh):
    box = at.selectbox(key=wk("x_agency_id"))
    if role == "agency_head":
        assert box.options == labels(box, ["", AGENCY])
    else:
        agencies = [a for a in wh.dimension_values("agency_id") if in_region(a, role)]
        assert box.options == labels(box, ["", *agencies])
    first, last = weeks_ending(wh, 12)
    expected = wh.summary(first, last, scope(role))
    assert metrics(at)[metric_label("received", "id")] == fmt_num(expected["received"], 0, "id")


def check_map(at, role, wh):
    assert DENIED_ROWS not in infos(at)


def check_services(at, role, wh):
    first, last = weeks_ending(wh, 4)
    expected = wh.services_summary(first, last, scope(role))
    shown = metrics(at)[metric_label("services_submitted", "id")]
    assert shown == fmt_num(expected["services_submitted"], 0, "id")


def check_data(at, role, wh):
    assert bool(at.get("file_uploader")) is (role in ("operator", "admin"))
    if role in ("agency_head", "viewer"):
        assert infos(at).count(DENIED_OPS) == 2  # load history, quarantine
        return
    loads = next(d.value for d in at.dataframe if "Berkas" in d.value.columns)
    expected = wh.load_history(50)
    mine = expected[expected["region_code"].map(lambda r: in_region(f"{r}:x", role))]
    assert len(loads) == len(mine) > 0
    assert len(at.text) >= len(wh.freshness(region=region(role)))


def check_admin(at, role, wh):
    if role != "admin":
        assert infos(at) == ["Pengelolaan pengguna: tidak tersedia untuk peran Anda."]
        assert not at.dataframe and not at.button
        return
    users = at.dataframe[0].value
    assert sorted(users["E-mail"]) == sorted([*EMAIL.values(), "pensiun@semarangkota.go.id"])
    assert len(at.dataframe) == 2  # users, audit log
    assert at.get("download_button")


CHECKS = dict(zip(PAGES, [check_province, check_overview, check_scorecard, check_backlog, check_explore,
                          check_map, check_services, check_data, check_admin], strict=True))  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_every_page(on_province, wh, role, name):
    params = {"agency": AGENCY, "region": "33.74"} if name == "2_Rapor_OPD.py" else {}
    at = run(name, role, **params)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    CHECKS[name](at, role, wh)


# ---- URL parameters and crafted calls cannot widen the scope ---------------------------------


def test_a_url_naming_another_region_or_agency_falls_back_to_the_readers_own(on_province, wh):
    at = run("2_Rapor_OPD.py", "regional_head", agency=CILACAP)
    assert not at.exception
    assert at.selectbox(key=wk("agency")).value.startswith("33.74:")
    assert all(a.startswith("33.74:") for a in linked_agencies(at))
    at = run("2_Rapor_OPD.py", "agency_head", agency=OTHER)
    assert at.selectbox(key=wk("agency")).value == AGENCY
    at = run("4_Jelajah.py", "regional_head", x_agency_id=CILACAP)
    assert at.selectbox(key=wk("x_agency_id")).value == ""
    first, last = weeks_ending(wh, 12)
    expected = wh.summary(first, last, {"region": "33.74"})["received"]
    assert metrics(at)[metric_label("received", "id")] == fmt_num(expected, 0, "id")
    at = run("4_Jelajah.py", "agency_head", x_agency_id=OTHER)
    assert at.selectbox(key=wk("x_agency_id")).value == ""


def _crafted(calls):
    """Run boundary calls inside a page run; record each answer or refusal reason."""
    import streamlit as st

    from kinerja.access import AccessDenied
    from ui import data

    week = data.info()["default_week"]
    out = {}
    for name, fn, args, kwargs in calls:
        kwargs = {k: (week if v == "WEEK" else v) for k, v in kwargs.items()}
        args = [week if a == "WEEK" else a for a in args]
        try:
            got = getattr(data, fn)(*args, **kwargs)
            if got is None:
                out[name] = "ok"
            elif isinstance(got, dict):
                out[name] = got["received"]
            else:  # a league (agencies), a region league (regions) or a frame
                out[name] = len(getattr(got, "agencies", getattr(got, "regions", got)))
        except AccessDenied as err:
            out[name] = err.reason
    st.session_state["out"] = out


CALLS = [
    ("province", "summary", ["WEEK", "WEEK"], {"scope": {"region": "33"}}),
    ("cilacap", "summary", ["WEEK", "WEEK"], {"scope": {"region": "33.01"}}),
    ("cilacap_agency", "summary", ["WEEK", "WEEK"], {"scope": {"agency_id": CILACAP}}),
    ("other_agency", "summary", ["WEEK", "WEEK"], {"scope": {"agency_id": OTHER}}),
    ("fix_other", "fix_first", [OTHER], {}),
    ("fix_cilacap", "fix_first", [CILACAP], {}),
    ("oldest_cilacap", "oldest_open", [], {"scope": {"region": "33.01"}}),
    ("loads", "load_history", [], {}),
    ("region_league", "region_league", ["WEEK"], {}),
    # a crafted sidebar region (session state) is a request like any other
    ("crafted_region", "set_region", ["33.01"], {}),
    ("league_cilacap", "league", ["WEEK"], {}),
    ("summary_cilacap", "summary", ["WEEK", "WEEK"], {}),
    ("back", "set_region", [None], {}),
]


@pytest.mark.parametrize("role", ROLES)
def test_crafted_calls_to_the_boundary_are_narrowed_or_refused(on_province, wh, role):
    at = AppTest.from_function(_crafted, args=(CALLS,), default_timeout=120)
    signed_in(at, EMAIL[role]).run()
    assert not at.exception, at.exception
    week = wh.info()["default_week"]
    received = {
        r: wh.summary(week, week, {"region": r})["received"] for r in ("33", "33.74", "33.01")
    }
    got = at.session_state["out"]
    wide = role in ("governor", "admin")
    assert got["province"] == (received["33"] if wide else "outside_region")  # never widened
    assert got["cilacap"] == (received["33.01"] if wide else "outside_region")
    if role == "agency_head":
        assert got["cilacap_agency"] == "other_agency" and got["other_agency"] == "other_agency"
    elif not wide:
        assert got["cilacap_agency"] == "outside_region" and isinstance(got["other_agency"], int)
    rows = {
        "governor": (len(wh.fix_first(OTHER)), len(wh.fix_first(CILACAP)), 20),
        "admin": (len(wh.fix_first(OTHER)), len(wh.fix_first(CILACAP)), 20),
        "regional_head": (len(wh.fix_first(OTHER)), "outside_region", "outside_region"),
        "agency_head": ("other_agency", "other_agency", "outside_region"),
        "operator": ("role_cannot", "role_cannot", "role_cannot"),
        "viewer": ("role_cannot", "role_cannot", "role_cannot"),
    }[role]
    assert (got["fix_other"], got["fix_cilacap"], got["oldest_cilacap"]) == rows
    league = wh.league(week, region="33.01").agencies
    assert got["league_cilacap"] == (len(league) if wide else "outside_region")
    assert got["summary_cilacap"] == (received["33.01"] if wide else "outside_region")
    may_compare = role in ("governor", "regional_head", "admin")
    regions = len(wh.region_league(week).regions)
    assert got["region_league"] == (regions if may_compare else "role_cannot")
    if role in ("agency_head", "viewer"):
        assert got["loads"] == "role_cannot"
    denied = [e for e in AccessStore(on_province).audit(event="denied", actor=EMAIL[role])]
    assert {e["detail"]["reason"] for e in denied} >= (
        {"outside_region"} if role not in ("governor", "admin") else set()
    )


# ---- the gate: sign-in, unknown and disabled users, no sign-in configured --------------------


def test_not_signed_in_sees_only_the_sign_in_button(on_province):
    at = run("1_Ringkasan_Mingguan.py", None)
    assert not at.exception
    assert [b.label for b in at.button] == ["Masuk"]
    assert at.markdown[0].value.startswith("Kinerja memuat data pengaduan pemerintah.")
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert all("<table" not in h.proto.body for h in at.get("html"))


@pytest.mark.parametrize(
    ("email", "claims", "text"),
    [
        (
            "orang@gmail.com",
            {},
            "Anda masuk sebagai orang@gmail.com, tetapi akun ini belum terdaftar",
        ),
        (
            "pensiun@semarangkota.go.id",
            {},
            "Akun pensiun@semarangkota.go.id dinonaktifkan di Kinerja.",
        ),
        ("gub@jatengprov.go.id", {"email_verified": False}, "belum terverifikasi"),
    ],
)
def test_unknown_disabled_or_unverified_gets_the_polite_page(on_province, email, claims, text):
    at = AppTest.from_file(page("1_Ringkasan_Mingguan.py"), default_timeout=60)
    signed_in(at, email, **claims).run()
    assert not at.exception
    # the e-mail is data: escaped by t() with a word joiner before '@' against autolinks
    assert text in at.warning[0].value.replace("\u2060", "")
    assert (
        at.markdown[-1].value.replace("\u2060", "")
        == "Untuk mendapat akses, hubungi admin Kinerja: admin@jatengprov.go.id."
    )
    assert [b.label for b in at.button] == ["Keluar"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    last = AccessStore(on_province).audit(limit=1, event="sign_in_denied")[0]
    assert last["actor"] == email


def test_a_sign_in_is_audited_once_per_session(on_province):
    store = AccessStore(on_province)
    before = len(store.audit(limit=10_000, event="sign_in", actor=EMAIL["viewer"]))
    at = run("7_Data_Definisi.py", "viewer")
    at.run()
    after = store.audit(limit=10_000, event="sign_in", actor=EMAIL["viewer"])
    assert len(after) == before + 1
    assert (after[0]["role"], after[0]["region"]) == ("viewer", "33.74")


def test_without_sign_in_real_data_is_refused_and_the_demo_opens(tmp_path, monkeypatch, demo_db):
    real = tmp_path / "kinerja.duckdb"
    shutil.copy(demo_db, real)
    from etl.meta import set_meta

    set_meta(real, {"is_demo": "false"})
    monkeypatch.setenv("KINERJA_DB", str(real))
    at = AppTest.from_file(page("1_Ringkasan_Mingguan.py"), default_timeout=60).run()
    assert not at.exception
    assert "belum diatur untuk masuk" in at.warning[0].value
    assert not at.metric and not at.button
    monkeypatch.setenv("KINERJA_DB", str(demo_db))
    at = AppTest.from_file(page("1_Ringkasan_Mingguan.py"), default_timeout=60).run()
    assert at.metric and not at.exception


def test_a_demo_with_a_real_load_added_is_not_open(tmp_path, monkeypatch, demo_db):
    """A demo into which an older Kinerja loaded a real export (today's loader refuses it:
    tests/etl/test_privacy*) is real data: it does not open without sign-in."""
    import duckdb

    from etl.errors import LoadError
    from etl.load import load_file
    from tests.etl.conftest import FIXTURES

    mixed = tmp_path / "kinerja.duckdb"
    shutil.copy(demo_db, mixed)
    with pytest.raises(LoadError, match="demo database"):
        load_file(FIXTURES / "lapor_ringkas.csv", db=mixed, source="lapor", region="33.74")
    con = duckdb.connect(str(mixed))  # what an older version's load left behind
    con.execute(
        "INSERT INTO loads (load_id, source, target, file_name, started_at, finished_at, outcome) "
        "SELECT max(load_id) + 1, 'lapor', 'complaints', 'lapor_ringkas.csv', "
        "TIMESTAMP '2099-01-01 00:00:00', TIMESTAMP '2099-01-01 00:00:01', 'loaded' FROM loads"
    )
    con.close()
    monkeypatch.setenv("KINERJA_DB", str(mixed))
    at = AppTest.from_file(page("1_Ringkasan_Mingguan.py"), default_timeout=60).run()
    assert not at.metric and "belum diatur untuk masuk" in at.warning[0].value


def _download(agency):
    import streamlit as st

    from ui import data

    produce = data.download("tangani.csv", {"agency_id": agency}, lambda: b"isi")
    st.session_state["got"] = produce()


def test_a_download_of_a_complaint_list_is_audited(on_province):
    at = AppTest.from_function(_download, args=(AGENCY,), default_timeout=60)
    signed_in(at, EMAIL["agency_head"]).run()
    assert at.session_state["got"] == b"isi"
    last = AccessStore(on_province).audit(limit=1, event="download")[0]
    assert (last["actor"], last["agency"], last["detail"]) == (
        EMAIL["agency_head"], AGENCY, {"what": "tangani.csv"},
    )  # fmt: skip
    at = AppTest.from_function(_download, args=(OTHER,), default_timeout=60)
    signed_in(at, EMAIL["agency_head"]).run()
    assert at.exception  # refused before any file is made
    assert "got" not in at.session_state
