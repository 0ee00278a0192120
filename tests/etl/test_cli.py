"""The CLI: every command documented, --json keys, status and sources output, database lookup."""

import json
import subprocess
import sys

import pytest

from etl.cli import build_parser, main
from tests.etl.conftest import FIXTURES

COMMANDS = ["load", "status", "migrate", "sources", "demo", "forget", "remask"]


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, env=env
    )


def test_every_command_is_documented(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    for command in COMMANDS:
        assert command in top
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0
        text = capsys.readouterr().out
        assert f"usage: python -m etl {command}" in text
        assert len(text.splitlines()) >= 3
    subparsers = build_parser()._subparsers._group_actions[0]
    assert sorted(subparsers.choices) == sorted(COMMANDS)
    for action in subparsers._choices_actions:
        assert action.help, action.dest


def test_load_json_keys_and_values(db):
    proc = run("load", str(FIXTURES / "lapor_ringkas.csv"), "--source", "lapor", "--db", str(db),
               "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {k: out[k] for k in ("read", "inserted", "updated", "unchanged", "quarantined")} == {
        "read": 20, "inserted": 16, "updated": 0, "unchanged": 0, "quarantined": 4,
    }  # fmt: skip
    assert out["reasons"] == {
        "duplicate_id": 1, "missing_id": 1, "unknown_status": 1, "unparseable_date": 1,
    }  # fmt: skip


def test_summary_status_and_db_from_environment(db):
    env = {"KINERJA_DB": str(db), "PATH": "/usr/bin:/bin", "KINERJA_SALT": "x"}
    proc = run("load", str(FIXTURES / "generic_complaints.csv"), "--source", "generic", env=env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"Loaded generic_complaints.csv as source 'generic' into {db} (load 1)"
    assert "  rows read              6" in lines
    assert "  quarantined            2" in lines
    assert "    closed_before_created            1" in lines
    status = run("status", env=env)
    assert status.returncode == 0, status.stderr
    assert "  generic                    4 rows" in status.stdout
    assert "  generic           unparseable_date                 1" in status.stdout
    as_json = json.loads(run("status", "--json", env=env).stdout)
    assert as_json["sources"][0]["n_rows"] == 4
    assert [r["outcome"] for r in as_json["loads"]] == ["loaded"]


def test_status_without_database(tmp_path):
    proc = run("status", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2
    assert "no database yet" in proc.stderr and "Traceback" not in proc.stderr


def test_sources_lists_every_builtin_mapping():
    proc = run("sources")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines() if line and line[0] != " "]
    assert names == [
        "boston311", "generic", "generic_services", "lapor", "laporgub", "nyc311", "open311",
    ]  # fmt: skip
    assert "Tanggal Generate" in proc.stdout


def test_load_requires_source_or_mapping():
    proc = run("load", "x.csv")
    assert proc.returncode == 2
    assert "one of the arguments --source --mapping is required" in proc.stderr


def test_status_lists_quarantined_rows(db):
    env = {"KINERJA_DB": str(db), "PATH": "/usr/bin:/bin", "KINERJA_SALT": "x"}
    assert (
        run("load", str(FIXTURES / "lapor_ringkas.csv"), "--source", "lapor", env=env).returncode
        == 0
    )
    out = run("status", "--rows", "2", env=env).stdout
    assert "  lapor_ringkas.csv:27  unknown_status  status  status Dibatalkan" in out
    assert (
        "  lapor_ringkas.csv:28  unparseable_date  created_at  value 31 Feb 2024 10:00:00 "
        "does not match the date formats"
    ) in out
    assert "lapor_ringkas.csv:29" not in out
