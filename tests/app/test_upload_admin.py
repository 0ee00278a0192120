"""Uploads on the Data & Definisi page (operators) and the admin page (users, audit log), through
AppTest with ``at.user``, on a real (non-demo) database built by the ETL in tmp_path."""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load_file
from etl.meta import set_meta
from kinerja.accessdb import AccessStore
from tests.app.conftest import grant, metrics, page, seen, signed_in
from tests.etl.conftest import FIXTURES, snapshot
from ui.i18n import fmt_num

LAPOR = FIXTURES / "lapor_ringkas.csv"
OPERATOR = "operator@semarangkota.go.id"
CILACAP_OPERATOR = "operator@cilacapkab.go.id"
ADMIN = "admin@semarangkota.go.id"


@pytest.fixture
def real_db(tmp_path, monkeypatch):
    """Kota Semarang's first SP4N-LAPOR! export, loaded from the command line."""
    monkeypatch.setenv("KINERJA_SALT", "test-salt")
    db = tmp_path / "kinerja.duckdb"
    load_file(FIXTURES / "lapor_ringkas_later.csv", db=db, source="lapor", region="33.74")
    set_meta(db, {"city": "semarang", "is_demo": "false"})
    monkeypatch.setenv("KINERJA_DB", str(db))
    grant(db, OPERATOR, "operator", "33.74")
    grant(db, CILACAP_OPERATOR, "operator", "33.01")
    grant(db, ADMIN, "admin")
    return db


def data_page(email: str) -> AppTest:
    at = AppTest.from_file(page("7_Data_Definisi.py"), default_timeout=120)
    return signed_in(at, email).run()


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, content, "text/csv")).run()
    return at


def loads_table(at):
    return next(d.value for d in at.dataframe if "Berkas" in d.value.columns)


def test_an_operator_uploads_an_export_and_the_figures_change(real_db):
    at = data_page(OPERATOR)
    before = at.text[0].value  # freshness: SP4N-LAPOR! ... · N baris
    at = upload(at, LAPOR.name, LAPOR.read_bytes())
    assert (
        at.selectbox(key=[k for k in at.session_state if k.startswith("upload_source_")][0]).value
        == "lapor"
    )
    assert any("Format dan wilayah diisi dari isi berkas" in c.value for c in at.caption)
    at.button(key="upload_go").click().run()
    assert not at.exception and not at.error
    assert seen(at.success[0].value) == "Berkas lapor_ringkas.csv dimuat sebagai SP4N-LAPOR!."
    shown = {k: metrics(at)[k] for k in ("Dibaca", "Baru", "Diperbarui", "Tetap", "Dikarantina")}
    # the three rows the later export already holds are kept as stored (the newer export wins)
    assert shown == {"Dibaca": "20", "Baru": "13", "Diperbarui": "0", "Tetap": "3",
                     "Dikarantina": "4"}  # fmt: skip
    assert at.markdown[-1].value.splitlines() == [
        "- Periode data: 2024-01-02 s.d. 2024-12-12 (UTC)",
        "- Waktu ekspor: 2 Jun 2025 17.00 UTC (dari isi berkas)",
        "- 2 baris tetap seperti tersimpan: ekspor yang lebih baru sudah menulisnya.",
        "- Dikarantina, ID ganda dalam satu berkas: 1",
        "- Dikarantina, ID kosong: 1",
        "- Dikarantina, Status tidak dikenal: 1",
        "- Dikarantina, Tanggal tidak terbaca: 1",
    ]
    newest = loads_table(at).iloc[0]
    assert (newest["Berkas"], newest["Hasil"], newest["Dimuat oleh"]) == (
        "lapor_ringkas.csv", "✔ dimuat", OPERATOR,
    )  # fmt: skip
    assert before.endswith("· 4 baris") and at.text[0].value.endswith("· 17 baris")
    last = AccessStore(real_db).audit(limit=1, event="upload")[0]
    assert (last["actor"], last["outcome"], last["region"], last["detail"]["inserted"]) == (
        OPERATOR, "ok", "33.74", 13,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "foto.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00" * 50,
            "Berkas tidak dapat dimuat (berkas foto.csv): isi berkas bukan teks; diharapkan csv. "
            "Tidak ada data yang berubah.",
        ),
        (
            "ringkas.csv",
            b"Tracking ID,Status Laporan\n1,Proses\n",
            "Berkas tidak dapat dimuat (berkas ringkas.csv, kolom \u00abTanggal Laporan Masuk\u00bb): "
            "kolom wajib tidak ada (format lapor memerlukannya untuk created_at). "
            "Tidak ada data yang berubah.",
        ),
        (
            "=cmd|'calc'!A0.csv",
            b"a;b\n1;2\n",
            "Berkas tidak dapat dimuat (berkas =cmd|'calc'!A0.csv): baris judul kolom tidak "
            "ditemukan; diharapkan kolom",
        ),
    ],
)
def test_a_hostile_or_broken_upload_changes_nothing_and_says_why(real_db, name, content, message):
    before = snapshot(real_db)
    at = upload(data_page(OPERATOR), name, content)
    source_key = next(k for k in at.session_state if k.startswith("upload_source_"))
    at.selectbox(key=source_key).set_value("lapor")
    at.button(key="upload_go").click().run()
    assert not at.exception
    assert seen(at.error[0].value).startswith(message)
    assert snapshot(real_db) == before
    assert not [x for x in at.success if "dimuat sebagai" in x.value]
    assert AccessStore(real_db).audit(limit=1, event="upload")[0]["outcome"] == "failed"


def test_an_operator_cannot_load_another_regions_rows(real_db):
    before = snapshot(real_db)
    at = upload(data_page(CILACAP_OPERATOR), LAPOR.name, LAPOR.read_bytes())
    region_key = next(k for k in at.session_state if k.startswith("upload_region_"))
    assert at.selectbox(key=region_key).value == "33.01"  # only their region is offered
    at.button(key="upload_go").click().run()
    assert seen(at.error[0].value) == (
        "Berkas tidak dapat dimuat (berkas lapor_ringkas.csv, kolom \u00abInstansi Induk\u00bb): "
        "berkas berisi baris wilayah 33.74 (16 baris), di luar wilayah Anda (33.01). "
        "Tidak ada data yang berubah."
    )
    assert snapshot(real_db) == before


# ---- the admin page ---------------------------------------------------------------------------


def admin_page(email: str = ADMIN) -> AppTest:
    at = AppTest.from_file(page("8_Admin.py"), default_timeout=120)
    return signed_in(at, email).run()


def users_shown(at) -> dict[str, dict]:
    frame = at.dataframe[0].value
    return {r["E-mail"]: r for r in frame.to_dict("records")}


def test_an_admin_adds_changes_and_disables_users(real_db):
    at = admin_page()
    at.text_input(key="admin_email").input("Kadis@SemarangKota.go.id")
    at.selectbox(key="admin_role").set_value("agency_head")
    at.selectbox(key="admin_region").set_value("33.74")
    at.button[0].click().run()  # Simpan, without an agency
    assert (
        seen(at.error[0].value)
        == "Tidak disimpan (kolom \u00abagency\u00bb): kepala OPD memerlukan OPD."
    )
    at.text_input(key="admin_agency").input("33.74:dinas-pu")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert seen(at.success[0].value) == "Tersimpan: kadis@semarangkota.go.id (Kepala OPD / staf)."
    row = users_shown(at)["kadis@semarangkota.go.id"]
    assert (row["Peran"], row["OPD"], row["Aktif"]) == ("Kepala OPD / staf", "33.74:dinas-pu", "ya")
    at.selectbox(key="admin_disable_email").set_value("kadis@semarangkota.go.id")
    at.button(key="admin_disable").click().run()
    assert seen(at.success[0].value) == "kadis@semarangkota.go.id dinonaktifkan."
    assert users_shown(at)["kadis@semarangkota.go.id"]["Aktif"] == "tidak"
    changes = AccessStore(real_db).audit(event="user_change", actor=ADMIN)
    assert [c["detail"]["after"]["active"] for c in changes[:2]] == [False, True]


def test_an_admin_cannot_lock_themselves_out(real_db):
    at = admin_page()
    at.selectbox(key="admin_disable_email").set_value(ADMIN)
    at.button(key="admin_disable").click().run()
    assert at.info[-1].value.startswith("Pengelolaan pengguna: Anda tidak dapat menonaktifkan")
    assert users_shown(at)[ADMIN]["Aktif"] == "ya"


def test_an_admin_imports_users_all_or_nothing(real_db):
    at = admin_page()
    bad = b"email;role;region\nbaru@semarangkota.go.id;viewer;33.74\nx@y.id;mayor;33.74\n"
    at.file_uploader(key="admin_import_file").set_value(("pengguna.csv", bad, "text/csv")).run()
    at.button(key="admin_import").click().run()
    assert seen(at.error[0].value) == (
        "Tidak disimpan (baris 3, kolom \u00abrole\u00bb): peran tidak dikenal."
    )
    assert "baru@semarangkota.go.id" not in users_shown(at)
    good = bad.split(b"x@y.id")[0]
    at.file_uploader(key="admin_import_file").set_value(("pengguna.csv", good, "text/csv")).run()
    at.button(key="admin_import").click().run()
    assert seen(at.success[0].value) == "1 pengguna diimpor dari pengguna.csv."
    assert users_shown(at)["baru@semarangkota.go.id"]["Peran"] == "Pembaca (angka agregat)"


def test_the_audit_log_is_shown_to_admins_and_exported_as_csv(real_db):
    AccessStore(real_db).log('=HYPERLINK("http://x")', "viewer", "denied", "denied", "33.74")
    at = admin_page()
    audit = at.dataframe[1].value
    assert audit.columns.tolist() == ["Waktu (UTC)", "Siapa", "Peristiwa", "Hasil", "Cakupan",
                                      "Rincian"]  # fmt: skip
    denied = audit[audit["Peristiwa"] == "permintaan ditolak"]
    assert denied.iloc[0][["Siapa", "Peristiwa", "Hasil", "Cakupan"]].tolist() == [
        "=HYPERLINK(\"http://x\")", "permintaan ditolak", "ditolak", "33.74",
    ]  # fmt: skip
    assert at.get("download_button")
    at = AppTest.from_function(_audit_csv, default_timeout=60)
    signed_in(at, ADMIN).run()
    table = list(
        csv.reader(io.StringIO(at.session_state["csv"].decode("utf-8-sig")), delimiter=";")
    )
    assert table[0] == ["at", "actor", "role", "event", "outcome", "region", "agency", "detail"]
    denied = [r for r in table[1:] if r[3] == "denied"]
    assert denied[0][1:6] == ['\'=HYPERLINK("http://x")', "viewer", "denied", "denied", "33.74"]
    assert fmt_num(len(table) - 1) == fmt_num(len(AccessStore(real_db).audit()))


def _audit_csv():
    import streamlit as st

    from ui import data_admin

    st.session_state["csv"] = data_admin.audit_csv(data_admin.audit_log(), "id")


def test_nobody_else_reaches_users_or_the_audit_log(real_db):
    at = AppTest.from_function(_audit_csv, default_timeout=60)
    signed_in(at, OPERATOR).run()
    assert at.exception and "csv" not in at.session_state
