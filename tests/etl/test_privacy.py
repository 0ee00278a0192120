"""Personal data is never stored: names, phones, e-mails and NIKs are dropped, hashed or masked."""

import hashlib

import duckdb

from etl.load import load_file
from tests.etl.conftest import FIXTURES, read_table

SECRETS = [
    "Budi Santoso", "Siti Aminah", "081234567890", "085700000000", "0812 3456 7890",
    "kiki@example.com", "3374012345678901", "Sampah tidak diangkut seminggu",
]  # fmt: skip


def _all_text(db) -> str:
    """Every value of every table, as one string."""
    con = duckdb.connect(str(db), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    text = "\n".join(str(con.execute(f"SELECT * FROM {t}").fetchall()) for t in tables)
    con.close()
    return text


def test_no_personal_data_anywhere(db):
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    load_file(FIXTURES / "generic_complaints.csv", db=db, source="generic")
    text = _all_text(db)
    assert [s for s in SECRETS if s in text] == []
    assert "[email]" in text and "[nik]" in text and "[phone]" in text


def test_masked_titles(db):
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    load_file(FIXTURES / "generic_complaints.csv", db=db, source="generic")
    titles = {r[1]: r[9] for r in read_table(db, "complaints")}
    assert titles["3412013"] == "Parkir liar, hub [email]"
    assert titles["3412014"] == "NIK [nik] tidak terdaftar"
    assert titles["WA-1"] == "Jalan rusak hub [phone]"


def test_reporter_hash_is_salted(db):
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    hashes = {r[1]: r[11] for r in read_table(db, "complaints")}
    # the db fixture sets KINERJA_SALT=test-salt
    assert hashes["3412001"] == hashlib.sha256(b"test-saltbudi santoso").hexdigest()
    assert hashes["3412001"] != hashlib.sha256(b"budi santoso").hexdigest()


def test_quarantine_raw_has_no_personal_columns(db):
    load_file(FIXTURES / "lapor_ringkas.csv", db=db, source="lapor")
    raws = [r[7] for r in read_table(db, "quarantine")]
    assert len(raws) == 4
    for raw in raws:
        assert '"Nama Pelapor"' not in raw and '"Isi Laporan Awal"' not in raw
        assert '"Tracking ID"' in raw


def test_random_salt_kept_beside_database(tmp_path, monkeypatch):
    monkeypatch.delenv("KINERJA_SALT", raising=False)
    db = tmp_path / "k.duckdb"
    load_file(FIXTURES / "generic_complaints.csv", db=db, source="generic")
    salt_file = tmp_path / "k.duckdb.salt"
    salt = salt_file.read_text().strip()
    assert len(salt) == 64 and int(salt, 16) and salt_file.stat().st_mode & 0o777 == 0o600
    hashes = {r[1]: r[11] for r in read_table(db, "complaints")}
    assert hashes["WA-1"] == hashlib.sha256(f"{salt}budi".encode()).hexdigest()


def test_anonymous_reporters_get_no_hash(db, tmp_path):
    path = tmp_path / "anon.csv"
    path.write_text(
        "id,created_at,status,reporter_name\n"
        "1,2025-01-01 08:00:00,open,Anonim\n2,2025-01-01 09:00:00,open,ANONIM\n"
        "3,2025-01-01 10:00:00,open,\n4,2025-01-01 11:00:00,open,Budi\n"
    )
    load_file(path, db=db, source="generic")
    hashes = [r[11] for r in read_table(db, "complaints", "complaint_id")]
    assert hashes == [None, None, None, hashlib.sha256(b"test-saltbudi").hexdigest()]
