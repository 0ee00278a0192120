"""The masker (etl/privacy.py): every personal-data payload is masked, ordinary text is not, and
the SQL macro DuckDB runs agrees with the Python reference on every value."""

import duckdb
import pytest

from etl import privacy

# The 22 title variants of issue 10 (and more forms of the same kinds).
PERSONAL = {
    # NIK: 16 digits, plain, grouped, glued to a label, followed by an underscore
    "3374012345678901": "[nik]",
    "3374 0123 4567 8902": "[nik]",
    "3374-0123-4567-8903": "[nik]",
    "NIK3374012345678904": "NIK[nik]",
    "NIK: 3374012345678905": "NIK: [nik]",
    "3374012345678906_": "[nik]_",
    "33.74.01.234567.8907": "[nik]",
    "No.KTP3374012345678908": "No.KTP[nik]",
    "KTP 3374.0123.4567.8909": "KTP [nik]",
    "nik:3374012345678910": "nik:[nik]",
    "３３７４０１２３４５６７８９１１": "[nik]",
    # mobiles: +62, 62, 08, (08..), without the 0, separators, parentheses
    "081234567890": "[phone]",
    "0812-3456-7890": "[phone]",
    "0812 3456 7890": "[phone]",
    "0812.3456.7890": "[phone]",
    "+6281234567890": "[phone]",
    "+62 812-3456-7890": "[phone]",
    "+62 (812) 3456 7890": "[phone]",
    "+62 (0)812 3456 7890": "[phone]",
    "62812 3456 7890": "[phone]",
    "6281234567890": "[phone]",
    "(0812) 3456 7801": "[phone]",
    "812-3456-7899": "[phone]",
    "０８１２３４５６７８９０": "[phone]",
    "081234567890_": "[phone]_",
    "wa.me/6281234567890": "wa.me/[phone]",
    "WA:081234567890": "WA:[phone]",
    "hp081234567890": "hp[phone]",
    # landlines with area codes
    "(024) 7654321": "[phone]",
    "024-7654395": "[phone]",
    "024 7654321": "[phone]",
    "0247654321": "[phone]",
    "+62 24 7654321": "[phone]",
    "+62-21-5551234": "[phone]",
    "(021) 555-1234": "[phone]",
    # other countries (the Boston and NYC samples)
    "(617) 555-1234": "[phone]",
    "617-555-1234": "[phone]",
    "+1 617 555 1234": "[phone]",
    # e-mails, also without a dot and with a full-width at-sign
    "kiki@example.com": "[email]",
    "admin@localhost": "[email]",
    "budi.santoso＠gmail.com": "[email]",
    "BUDI@EXAMPLE.CO.ID": "[email]",
    "budi_santoso+lapor@mail.go.id": "[email]",
    # in running text, several in a row
    "Jalan rusak, hub 0812-3456-7890 (Pak RT)": "Jalan rusak, hub [phone] (Pak RT)",
    "NIK 3374012345678901 HP 081234567890 kiki@example.com": "NIK [nik] HP [phone] [email]",
    "3374012345678901,3374012345678902,3374012345678903": "[nik],[nik],[nik]",
    "0812-3456-7890/0813-1111-2222": "[phone]/[phone]",
    "Dinas 081234567890": "Dinas [phone]",
    # next to other numbers: a year, an RT, a house number, another phone or NIK
    "2025 081234567890": "2025 [phone]",
    "RT 03 081234567890": "RT 03 [phone]",
    "No 5 3374012345678901": "No 5 [nik]",
    "3374012345678901 081234567890": "[nik] [phone]",
    "081234567890 081398765432": "[phone] [phone]",
    "RT 03 3374 0123 4567 8902": "RT 03 [nik]",
}

# Ordinary text with numbers: dates, times, money, RT/RW, years, ids, postcodes, coordinates.
ORDINARY = [
    "2025-03-03",
    "2025-03-03 08:00:00",
    "2025-03-03T08:00:00+07:00",
    "03/03/2025",
    "03-03-2025",
    "20250303",
    "3 Maret 2025",
    "Rp 1.500.000",
    "Rp1.500.000,00",
    "Rp 150.000.000",
    "Rp 850.000.000",
    "Rp 1.500.000.000",
    "RT 03/RW 05",
    "RT 003 / RW 005",
    "RT.03 RW.05",
    "Kecamatan Semarang Tengah",
    "Kelurahan Pedurungan Kidul",
    "Tahun 2025",
    "2024-2025",
    "2026-W47",
    "LAPOR-2025-000123",
    "3412013",
    "WA-1",
    "101001234567",
    "12345678",
    "No. 12/2025",
    "SK No. 050/123/2025",
    "Jl. Pemuda No. 148",
    "KM 12",
    "Pukul 08.00-16.00",
    "jam 08:00",
    "Tgl 03-03-2025 jam 08.00",
    "Call center 112",
    "Lantai 3",
    "50%",
    "12 x 24 jam",
    "Kode pos 50241",
    "Semarang 50132",
    "1.234.567",
    "-6.9932123, 110.4203456",
    "0.8123456",
    "Aduan 2025-03-03 08:00:00 RT 03/RW 05 Rp 1.500.000",
    "Dinas Pekerjaan Umum",
    "Banjir @ Jl. Pemuda",
    "2025-03-03 2025-03-04",
    "Rp 1.062.812.345",
    "1.062.812.345,00",
    "08.00-16.00 WIB",
    "03 03 2025",
]


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    privacy.install(c)
    yield c
    c.close()


def sql_mask(con, values: list[str]) -> list[str]:
    return [r[0] for r in con.execute("SELECT kj_mask(v) FROM unnest(?) t(v)", [values]).fetchall()]


def test_every_personal_payload_is_masked():
    assert {v: privacy.mask(v) for v in PERSONAL} == PERSONAL


def test_ordinary_text_is_not_masked():
    assert [v for v in ORDINARY if privacy.mask(v) != v] == []


def test_sql_macro_agrees_with_python_on_every_payload(con):
    values = [*PERSONAL, *ORDINARY]
    assert sql_mask(con, values) == [privacy.mask(v) for v in values]


def test_personal_values(con):
    whole = ["3374012345678901", "HP: 0812-3456-7890", "kiki@example.com", "(024) 7654321"]
    partial = ["Jalan rusak, hub 0812-3456-7890", "Dinas 081234567890", "RT 03/RW 05", None]
    assert [privacy.is_personal_value(v) for v in whole + partial] == [True] * 4 + [False] * 4
    got = con.execute("SELECT kj_is_personal(v) FROM unnest(?) t(v)", [whole + partial]).fetchall()
    assert [r[0] for r in got] == [True] * 4 + [False] * 4


def test_personal_headers():
    personal = ["nik", "NIK", "No. KTP", "nama", "Nama Lengkap", "nama_lengkap", "Nama Pelapor",
                "alamat", "Alamat Pelapor", "first_name", "last_name", "email", "E-mail", "phone",
                "telepon", "No. HP", "no_hp", "reporter_phone", "WhatsApp"]  # fmt: skip
    ordinary = ["agency", "Nama OPD", "nama_layanan", "kecamatan", "status", "created_at",
                "service_name", "address", "Kategori", "id"]  # fmt: skip
    assert [h for h in personal if not privacy.is_personal_header(h)] == []
    assert [h for h in ordinary if privacy.is_personal_header(h)] == []


def test_scrub_fields_of_a_shifted_row():
    # "A1,2025-03-03 08:00:00,Budi Santoso" read under the header id,created_at,status,agency:
    # the reporter's name sits in the status column; no column name can be trusted.
    row = ["A1", "2025-03-03 08:00:00", "Budi Santoso", None, "hub 081234567890", "baru"]
    assert privacy.scrub_fields(row, keep={"baru"}) == [
        "A1", "2025-03-03 08:00:00", "[teks]", None, "hub [phone]", "baru"
    ]  # fmt: skip
