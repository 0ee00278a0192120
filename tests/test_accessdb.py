"""The access store (kinerja.accessdb) and ``python -m kinerja users|audit``: users checked and
kept, imports all or nothing, every change audited in the same transaction, the CLI and the app
writing at once, formulas neutralised in the CSV, the file readable by its owner only."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from kinerja.accessdb import AccessStore, User, UserError, access_path, audit_rows, validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "kinerja.duckdb"  # the warehouse need not exist for the access store


def kinerja(*args, db=None):
    cmd = [sys.executable, "-m", "kinerja", *args, *(["--db", str(db)] if db else [])]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


def test_the_store_sits_beside_the_database_readable_by_its_owner_only(db):
    store = AccessStore(db)
    store.put_user("Admin@JatengProv.go.id", "admin", by="tests")
    assert store.path == access_path(db) == db.with_name("kinerja.duckdb.access.sqlite")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert not db.exists()


def test_users_are_kept_normalised_and_changes_are_audited(db):
    store = AccessStore(db)
    first = store.put_user(" Kadis@SemarangKota.go.id ", "agency_head", None, "33.74:dinas-pu",
                           by="admin@jatengprov.go.id")  # fmt: skip
    assert (first.email, first.region, first.agency, first.active) == (
        "kadis@semarangkota.go.id", "33.74", "33.74:dinas-pu", True,
    )  # fmt: skip
    store.put_user("kadis@semarangkota.go.id", "viewer", "33.74", by="admin@jatengprov.go.id")
    store.disable("KADIS@semarangkota.go.id", by="cli:root")
    user = store.user("kadis@SEMARANGKOTA.go.id")
    assert user.to_dict() | {"changed_at": None} == {
        "email": "kadis@semarangkota.go.id",
        "role": "viewer",
        "region": "33.74",
        "agency": None,
        "active": False,
        "changed_by": "cli:root",
        "changed_at": None,
    }
    assert user.principal() is None  # disabled: no principal
    changes = [(e["actor"], e["detail"]["after"], e["detail"].get("before")) for e in store.audit()]
    assert changes[0] == (
        "cli:root",
        {"email": "kadis@semarangkota.go.id", "role": "viewer", "region": "33.74",
         "agency": None, "active": False},
        {"email": "kadis@semarangkota.go.id", "role": "viewer", "region": "33.74",
         "agency": None, "active": True},
    )  # fmt: skip
    assert changes[2][2] is None  # the first change had no "before"
    assert [e["event"] for e in store.audit()] == ["user_change"] * 3


@pytest.mark.parametrize(
    ("entry", "code", "column"),
    [
        (("not-an-email", "viewer", "33.74"), "bad_email", "email"),
        (("a@b.id", "mayor", "33.74"), "bad_role", "role"),
        (("a@b.id", "viewer", None), "region_required", "region"),
        (("a@b.id", "viewer", "99.99"), "unknown_region", "region"),
        (("a@b.id", "governor", "33.74"), "governor_province", "region"),
        (("a@b.id", "regional_head", "33"), "head_kabkota", "region"),
        (("a@b.id", "agency_head", "33.74"), "agency_required", "agency"),
        (("a@b.id", "agency_head", "33.74", "dinas pu"), "agency_format", "agency"),
        (("a@b.id", "agency_head", "33.74", "33.74:Dinas PU"), "agency_format", "agency"),
        (("a@b.id", "agency_head", "33.74", "33.01:dinas-pu"), "agency_outside_region", "agency"),
        (("a@b.id", "viewer", "33.74", "33.74:dinas-pu"), "agency_not_allowed", "agency"),
        (("a@b.id", "viewer", "33.74", None, "maybe"), "bad_active", "active"),
    ],
)
def test_a_wrong_entry_names_its_column_and_changes_nothing(db, entry, code, column):
    store = AccessStore(db)
    with pytest.raises(UserError) as err:
        store.put_user(*entry, by="tests")
    assert (err.value.code, err.value.column) == (code, column)
    assert store.users() == [] and store.audit() == []


def test_valid_entries_of_each_role():
    assert validate("a@b.id", "governor", "33") == ("a@b.id", "governor", "33", None, True)
    assert validate("a@b.id", "regional_head", "33.74")[2] == "33.74"
    assert validate("a@b.id", "regional_head", "US-BOS")[2] == "US-BOS"  # a city
    assert validate("a@b.id", "admin", None, None, "tidak") == (
        "a@b.id",
        "admin",
        None,
        None,
        False,
    )
    assert validate("a@b.id", "operator", "33")[2] == "33"


def test_import_is_all_or_nothing_and_names_row_and_column(db):
    store = AccessStore(db)
    store.put_user("admin@jatengprov.go.id", "admin", by="tests")
    bad = (
        "\ufeffemail;role;region;agency;active\n"
        "gub@jatengprov.go.id;governor;33;;ya\n"
        "kadis@semarangkota.go.id;agency_head;33.74;33.01:dinas-pu;ya\n"
    )
    with pytest.raises(UserError) as err:
        store.import_text(bad, by="admin@jatengprov.go.id")
    assert (err.value.row, err.value.column, err.value.code) == (
        3,
        "agency",
        "agency_outside_region",
    )
    assert [u.email for u in store.users()] == ["admin@jatengprov.go.id"]
    good = bad.replace("33.01:dinas-pu", "33.74:dinas-pu") + "\n;;;;\nop@semarangkota.go.id,x\n"
    with pytest.raises(UserError) as err:  # a comma inside a semicolon file: one bad role
        store.import_text(good, by="x")
    assert (err.value.row, err.value.code) == (5, "bad_role")
    done = store.import_text(good.rsplit("op@", 1)[0], by="admin@jatengprov.go.id", name="u.csv")
    assert [(u.email, u.role, u.region) for u in done] == [
        ("gub@jatengprov.go.id", "governor", "33"),
        ("kadis@semarangkota.go.id", "agency_head", "33.74"),
    ]
    assert store.audit(limit=1)[0]["detail"]["file"] == "u.csv"


@pytest.mark.parametrize(
    ("text", "code", "row"),
    [
        ("", "empty_file", 1),
        ("email,region\na@b.id,33\n", "missing_column", 1),
        ("email,role,region\n", "empty_file", 2),
        ("email,role,region\na@b.id,viewer,33\nA@B.id,viewer,33\n", "duplicate_email", 3),
    ],
)
def test_import_refuses_unusable_files(db, text, code, row):
    with pytest.raises(UserError) as err:
        AccessStore(db).import_text(text, by="tests")
    assert (err.value.code, err.value.row) == (code, row)


def test_audit_filters_and_csv_cells_cannot_be_formulas(db):
    store = AccessStore(db)
    store.log("a@b.id", "operator", "upload", "failed", "33.74", None, file="=HYPERLINK(1)")
    store.log("@evil", "viewer", "denied", "denied", "33.01", None, reason="outside_region")
    assert [e["event"] for e in store.audit(event="upload")] == ["upload"]
    assert [e["actor"] for e in store.audit(actor="A@B.ID")] == ["a@b.id"]
    rows = audit_rows(store.audit())
    assert rows[0][1:7] == ["'@evil", "viewer", "denied", "denied", "33.01", ""]
    assert rows[1][7] == '{"file": "=HYPERLINK(1)"}'  # inside JSON: the cell starts with {
    assert audit_rows([{**store.audit()[0], "agency": "+62 811"}])[0][6] == "'+62 811"
    with pytest.raises(ValueError):
        store.log("a@b.id", "viewer", "not_an_event")


def _write_many(args) -> int:
    path, who, n = args
    store = AccessStore(path)
    for i in range(n):
        store.log(who, "viewer", "download", "ok", "33.74", None, i=i)
        if i % 10 == 0:
            store.put_user(f"{who}-{i}@b.id", "viewer", "33.74", by=who)
    return n


def test_the_app_and_the_cli_write_at_the_same_time(db):
    """Short transactions with a busy timeout: concurrent writers in several processes all
    succeed, and readers are never refused."""
    AccessStore(db).put_user("admin@b.id", "admin", by="tests")
    with ProcessPoolExecutor(max_workers=3) as pool:
        jobs = [pool.submit(_write_many, (db, f"w{k}", 120)) for k in range(3)]
        reads = [len(AccessStore(db).audit(limit=10)) for _ in range(50)]
        assert [j.result() for j in jobs] == [120, 120, 120]
    store = AccessStore(db)
    assert len(store.audit(limit=10_000, event="download")) == 360
    assert len(store.users()) == 1 + 3 * 12
    assert min(reads) >= 1


def test_cli_add_list_disable_import_and_audit(db, tmp_path):
    got = kinerja("users", "add", "Gub@JatengProv.go.id", "--role", "governor", "--region", "33",
                  db=db)  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert got.stdout.startswith(
        "saved: gub@jatengprov.go.id  governor  33  active  (changed by cli:"
    )
    bad = kinerja("users", "add", "x@b.id", "--role", "regional_head", "--region", "33", db=db)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "error: column 'region': a regional head's region is a kabupaten/kota (e.g. 33.74)"
    )
    sheet = tmp_path / "users.csv"
    sheet.write_text("email,role,region,agency\nop@semarangkota.go.id,operator,33.74,\n")
    got = kinerja("users", "import", str(sheet), "--by", "admin@jatengprov.go.id", db=db)
    assert (got.returncode, got.stdout.strip()) == (0, "imported 1 user(s) from users.csv")
    assert kinerja("users", "disable", "op@semarangkota.go.id", db=db).returncode == 0
    listed = json.loads(kinerja("users", "list", "--json", db=db).stdout)
    assert [(u["email"], u["role"], u["active"], u["changed_by"][:4]) for u in listed] == [
        ("gub@jatengprov.go.id", "governor", True, "cli:"),
        ("op@semarangkota.go.id", "operator", False, "cli:"),
    ]
    missing = kinerja("users", "disable", "nobody@b.id", db=db)
    assert (missing.returncode, missing.stderr.strip()) == (2, "error: no such user: nobody@b.id")
    nofile = kinerja("users", "import", str(tmp_path / "none.csv"), db=db)
    assert nofile.returncode == 2 and "none.csv" in nofile.stderr
    table = list(csv.reader(io.StringIO(kinerja("audit", "--csv", db=db).stdout)))
    assert table[0] == ["at", "actor", "role", "event", "outcome", "region", "agency", "detail"]
    assert [(r[1], r[3]) for r in table[1:]] == [
        (table[1][1], "user_change"),
        ("admin@jatengprov.go.id", "user_change"),
        (table[3][1], "user_change"),
    ]
    assert os.environ.get("KINERJA_DB") != str(db)  # the CLI took --db, not the environment


def test_every_cli_command_is_documented():
    top = kinerja("--help").stdout
    assert "users" in top and "audit" in top
    for action in ("add", "list", "disable", "import"):
        got = kinerja("users", action, "--help")
        assert got.returncode == 0 and f"usage: python -m kinerja users {action}" in got.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m kinerja users add|list|disable|import FILE" in readme
    assert "python -m kinerja audit" in readme


def test_user_type_is_frozen():
    u = User("a@b.id", "viewer", "33.74", None, True, "x", "t")
    with pytest.raises(AttributeError):
        u.role = "admin"  # type: ignore[misc]
