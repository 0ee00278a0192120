"""The realism a demo audience notices is really in the loaded data (Semarang, WIB = UTC+7)."""

from __future__ import annotations

import tomllib

from kinerja.paths import CITIES_DIR
from tests.demo.conftest import query

LOCAL = "(created_at + INTERVAL 7 HOUR)"  # Semarang local time (WIB) of a UTC timestamp
LOW_LYING = tuple(
    tomllib.loads((CITIES_DIR / "semarang.toml").read_text("utf-8"))["districts"]["low_lying"]
)
SLOW = "33.74:dinas-perumahan-dan-kawasan-permukiman"
IMPROVING = "33.74:dinas-lingkungan-hidup"


def test_rainy_season_brings_floods_to_low_lying_districts(demo):
    db, _ = demo
    rainy, dry, low_share = query(
        db,
        f"""
        SELECT count(*) FILTER (month({LOCAL}) IN (12, 1, 2)) / 13.0,
               count(*) FILTER (month({LOCAL}) IN (7, 8, 9)) / 13.0,
               avg((district IN ?)::INT) FILTER (month({LOCAL}) IN (11, 12, 1, 2, 3))
        FROM complaints WHERE category = 'Banjir dan Genangan'""",
        [list(LOW_LYING)],
    )[0]
    assert rainy > 2.5 * dry  # flood complaints per week, Dec-Feb vs Jul-Sep
    # Low-lying districts hold 45 % of the population but most rainy-season flood complaints.
    assert low_share > 0.6
    roads = query(
        db,
        f"""
        SELECT count(*) FILTER (month({LOCAL}) IN (12, 1, 2)) /
               count(*) FILTER (month({LOCAL}) IN (7, 8, 9))
        FROM complaints WHERE category = 'Jalan Rusak'""",
    )[0][0]
    assert roads > 1.3


def test_mondays_busy_weekends_quiet(demo):
    db, _ = demo
    per_day = dict(query(db, f"SELECT isodow({LOCAL}), count(*) FROM complaints GROUP BY 1"))
    weekday = sum(per_day[d] for d in range(1, 6)) / 5
    weekend = (per_day[6] + per_day[7]) / 2
    assert weekend < 0.75 * weekday
    assert max(per_day, key=per_day.get) == 1  # Monday


def _backlog(db, agency: str, t: str) -> int:
    """Open valid complaints of an agency at local time t (city channels report closing times)."""
    return query(
        db,
        f"""
        SELECT count(*) FROM complaints
        WHERE source = 'generic' AND agency_id = ? AND status <> 'rejected'
          AND {LOCAL} < CAST(? AS TIMESTAMP)
          AND (closed_at IS NULL OR closed_at + INTERVAL 7 HOUR >= CAST(? AS TIMESTAMP))""",
        [agency, t, t],
    )[0][0]


def test_slow_agency_backlog_grows(demo):
    db, _ = demo
    series = [
        _backlog(db, SLOW, t) for t in ("2025-09-01", "2025-12-01", "2026-03-01", "2026-06-01")
    ]
    assert series == sorted(series) and series[-1] > 2.5 * series[0]
    # A fast agency of similar size keeps its backlog small: only the long tail accumulates.
    fast = [_backlog(db, "perumda-air-minum-tirta-moedal", t) for t in ("2025-09-01", "2026-06-01")]
    assert series[-1] - series[0] > 10 * (fast[1] - fast[0])


def _median_response_days(db, agency: str, lo: str, hi: str) -> float:
    return query(
        db,
        f"""
        SELECT median(epoch(first_response_at - created_at) / 86400) FROM complaints
        WHERE source = 'generic' AND agency_id = ? AND status <> 'rejected'
          AND {LOCAL} >= CAST(? AS DATE) AND {LOCAL} < CAST(? AS DATE)""",
        [agency, lo, hi],
    )[0][0]


def test_improving_agency_responds_faster(demo):
    db, _ = demo
    before = _median_response_days(db, IMPROVING, "2025-07-01", "2025-11-01")
    after = _median_response_days(db, IMPROVING, "2026-03-01", "2026-07-01")
    assert after < 0.4 * before


def test_ramadan_and_lebaran_slow_responses(demo):
    db, _ = demo
    days = {}
    for label, lo, hi in (
        ("before", "2026-01-05", "2026-02-16"),
        ("ramadan", "2026-02-18", "2026-03-25"),
        ("after", "2026-04-06", "2026-05-11"),
    ):
        days[label] = query(
            db,
            f"""
            SELECT median(epoch(first_response_at - created_at) / 86400) FROM complaints
            WHERE source = 'generic' AND status <> 'rejected' AND agency_id <> ?
              AND {LOCAL} >= CAST(? AS DATE) AND {LOCAL} < CAST(? AS DATE)""",
            [IMPROVING, lo, hi],
        )[0][0]
    assert days["ramadan"] > 1.2 * max(days["before"], days["after"])


def test_whatsapp_and_instagram_grow(demo):
    db, _ = demo
    first, last = query(
        db,
        f"""
        SELECT avg((channel = 'whatsapp')::INT), avg((channel = 'instagram')::INT)
        FROM complaints GROUP BY {LOCAL} >= DATE '2026-04-01' ORDER BY {LOCAL} >= DATE '2026-04-01'
        """,
    )
    assert last[0] > first[0] + 0.05
    assert last[1] > first[1] + 0.02


def test_ratings_reward_fast_resolution(demo):
    db, _ = demo
    fast, slow, rated = query(
        db,
        """
        SELECT avg(satisfaction) FILTER (closed_at - created_at < INTERVAL 3 DAY),
               avg(satisfaction) FILTER (closed_at - created_at > INTERVAL 14 DAY),
               count(satisfaction) / count(*)
        FROM complaints WHERE status = 'resolved' AND closed_at IS NOT NULL""",
    )[0]
    assert fast > slow + 0.8
    assert 0.3 < rated < 0.7


def test_rejections_reopenings_and_a_long_tail(demo):
    db, _ = demo
    rejected, reopened, old_open = query(
        db,
        """
        SELECT avg((status = 'rejected')::INT),
               avg((reopen_count > 0)::INT) FILTER (status = 'resolved' AND source = 'generic'),
               count(*) FILTER (status IN ('open', 'in_progress')
                                AND created_at < TIMESTAMP '2026-06-28' - INTERVAL 90 DAY)
        FROM complaints""",
    )[0]
    assert 0.04 < rejected < 0.12
    assert 0.03 < reopened < 0.09
    assert old_open > 100


def test_service_standards_and_on_time_spread(demo):
    db, _ = demo
    rows = dict(
        query(
            db,
            """
        SELECT service_type, median(epoch(completed_at - submitted_at) / 86400) FROM services
        WHERE status = 'completed' GROUP BY 1""",
        )
    )
    assert len(rows) == 12
    assert rows["Nomor Induk Berusaha (NIB)"] < 1.5 and rows["KTP-el"] < 2
    assert rows["Persetujuan Bangunan Gedung (PBG)"] > 28  # often later than its 28 working days
    standard = dict(query(db, "SELECT DISTINCT service_type, standard_days FROM services"))
    assert standard["Persetujuan Bangunan Gedung (PBG)"] == 28 and standard["KTP-el"] == 1
