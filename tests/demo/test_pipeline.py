"""The demo is built through the real ETL: files written, loaded, counted, nothing lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl.demo import build_demo
from etl.load import load_file
from tests.demo.conftest import END, WEEKS, query


def test_every_source_loaded_and_nothing_lost(demo):
    db, result = demo
    rows = query(
        db,
        "SELECT source, outcome, count(*), sum(n_read), sum(n_inserted + n_updated "
        "+ n_unchanged + n_quarantined), sum(n_quarantined) FROM loads "
        "GROUP BY ALL ORDER BY source",
    )
    assert [r[:2] for r in rows] == [
        ("generic", "loaded"),
        ("generic_services", "loaded"),
        ("lapor", "loaded"),
    ]
    for source, _, n_files, n_read, n_accounted, n_quarantined in rows:
        assert n_read == n_accounted  # rows read = loaded + quarantined
        expected = {"files": n_files, "read": n_read, "quarantined": n_quarantined}
        assert result["loads"][source] == expected
    # Only the six typos planted in the command-centre export are quarantined.
    assert [r[5] for r in rows] == [6, 0, 0]
    reasons = query(
        db, "SELECT file_name, reason, count(*) FROM quarantine GROUP BY ALL ORDER BY 2"
    )
    desk = f"aduan_semarang_command_center_{END.isoformat()}.csv"
    assert reasons == [
        (desk, "closed_before_created", 2),
        (desk, "unknown_status", 2),
        (desk, "unparseable_date", 2),
    ]
    # 8 weekly exports for the recent weeks plus one every 4 weeks before (44 weeks: 11).
    assert dict((r[0], r[2]) for r in rows) == {"lapor": 19, "generic": 4, "generic_services": 2}
    assert result["n_files"] == 25


def test_database_holds_every_generated_record(demo):
    db, result = demo
    n_complaints, n_services = query(
        db, "SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM services)"
    )[0]
    assert n_complaints == result["n_complaints"]
    assert n_services == result["n_services"]
    files = sorted(p.name for p in Path(result["workdir"]).iterdir())
    assert len(files) == result["n_files"]
    assert files[0] == f"aduan_semarang_command_center_{END.isoformat()}.csv"


def test_meta_marks_the_demo(demo):
    db, _ = demo
    meta = dict(query(db, "SELECT key, value FROM meta"))
    assert meta["city"] == "semarang" and meta["is_demo"] == "true" and meta["demo_seed"] == "7"
    assert "demo_generated_at" in meta


def test_overlapping_lapor_exports_update_statuses(demo):
    db, _ = demo
    updated = query(db, "SELECT sum(n_updated) FROM loads WHERE source = 'lapor'")[0][0]
    assert updated > 1000
    # Complaints seen first as open and later as resolved, from successive exports.
    moved = query(
        db,
        """
        SELECT count(*) FROM (
            SELECT complaint_id FROM status_history WHERE source = 'lapor'
            GROUP BY complaint_id
            HAVING bool_or(status = 'open') AND bool_or(status = 'resolved'))""",
    )[0][0]
    assert moved > 100


def test_lapor_rows_follow_the_export_semantics(demo):
    db, _ = demo
    rows = dict(
        query(
            db,
            """
        SELECT status, count(*) FROM complaints WHERE source = 'lapor' GROUP BY status""",
        )
    )
    assert set(rows) == {"open", "in_progress", "resolved", "rejected"}
    flags = query(
        db,
        """
        SELECT bool_and(NOT has_response_time AND NOT has_close_time),
               bool_and(closed_at_missing = (status IN ('resolved', 'rejected')))
        FROM complaints WHERE source = 'lapor'""",
    )[0]
    assert flags == (True, True)
    unassigned = query(
        db,
        "SELECT count(*) FROM complaints WHERE source = 'lapor' "
        "AND agency_id = '33.74:unassigned' AND status <> 'rejected'",
    )[0][0]
    assert unassigned > 20  # never disposed: kept under the explicit 'unassigned' agency


def test_volume_channels_and_agencies(demo):
    db, _ = demo
    n, lapor = query(db, "SELECT count(*), count(*) FILTER (source = 'lapor') FROM complaints")[0]
    assert 250 * WEEKS < n < 550 * WEEKS  # Semarang: a few hundred a week
    assert 0.15 < lapor / n < 0.25  # LAPOR! is a minority channel
    names = {r[0] for r in query(db, "SELECT name FROM agencies")}
    assert 25 <= len(names - {"Belum terdisposisi"}) <= 35
    for name in (
        "Dinas Pekerjaan Umum",
        "Dinas Lingkungan Hidup",
        "Satuan Polisi Pamong Praja",
        "Perumda Air Minum Tirta Moedal",
        "Kecamatan Genuk",
        "Dinas Sosial",
    ):
        assert name in names


def test_progress_messages(demo):
    _, result = demo
    assert result["messages"][0].startswith("Generating the demo city semarang")
    assert result["messages"][-1] == "Demo city ready"
    assert sum(m.startswith("Loading file") for m in result["messages"]) == result["n_files"]


def test_refuses_to_overwrite_real_data(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("id,created_at,status\nA1,2026-01-05 08:00:00,open\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    load_file(real, db=db, source="generic")
    with pytest.raises(ValueError, match="holds real"):
        build_demo(db=db, city="bontang", weeks=2, end=END, workdir=tmp_path / "files")
    assert query(db, "SELECT count(*) FROM complaints") == [(1,)]


def test_unknown_city_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown demo city 'atlantis'"):
        build_demo(db=tmp_path / "k.duckdb", city="atlantis", weeks=2, end=END)


def test_weeks_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="weeks must be between 1 and 520, not 0"):
        build_demo(db=tmp_path / "k.duckdb", city="bontang", weeks=0, end=END)
    assert not (tmp_path / "k.duckdb").exists()


def test_lapor_uses_every_status_wording_and_city_channels_all_present(demo):
    db, _ = demo
    raw = {
        r[0] for r in query(db, "SELECT DISTINCT raw_status FROM complaints WHERE source = 'lapor'")
    }
    assert raw == {
        "Belum Diverifikasi",
        "Belum Ditindaklanjuti",
        "Proses",
        "Menunggu Kelengkapan Informasi",
        "Tunda",
        "Selesai",
        "Ditutup oleh Sistem",
        "Ditutup oleh Pelapor",
        "Ditutup oleh Admin",
        "Diarsipkan oleh Admin",
        "Diarsipkan oleh Sistem",
        "Diarsipkan oleh Pelapor",
    }
    channels = {
        r[0] for r in query(db, "SELECT DISTINCT channel FROM complaints WHERE source = 'generic'")
    }
    assert channels == {
        "whatsapp",
        "instagram",
        "x",
        "facebook",
        "phone",
        "web",
        "app",
        "walikota",
        "laporgub",
    }


def test_reassigned_complaints_change_agency_between_exports(demo):
    db, result = demo
    seen: dict[str, list[str]] = {}
    for path in sorted(Path(result["workdir"]).glob("laporan_ringkas_*.csv")):  # oldest first
        with path.open(encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("Tracking ID,"))
        for row in csv.DictReader(lines[header:]):
            if row["Instansi Terdisposisi"]:
                seen.setdefault(row["Tracking ID"], []).append(row["Instansi Terdisposisi"])
    moved = {k: v for k, v in seen.items() if len(set(v)) > 1}
    assert len(moved) > 10  # caught only when an export falls between disposal and move
    stored = dict(
        query(
            db,
            "SELECT c.complaint_id, a.name FROM complaints c JOIN agencies a "
            "USING (agency_id) WHERE c.source = 'lapor'",
        )
    )
    assert all(stored[k] == v[-1] for k, v in moved.items())  # the newest export wins
