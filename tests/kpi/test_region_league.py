"""The region league (issue 11) on a hand-computed two-region fixture.

Kabupaten Demak (33.21): ten complaints on Monday 2026-03-02, all answered in time, eight of
them resolved by their deadline, two still open: response SLA 10/10 → attainment 1.00/0.90,
resolution SLA 8/10 = 0.80 → 1.00, clearance 8/10 = 0.80 → 0.80: score (1.111 + 1 + 0.8) / 3
= 0.97. Kota Semarang (33.74): twelve, all answered and resolved in time: 1.111, 1.25 (capped),
1.00: score 1.12. The provincial OPD (33): three such complaints and one on Friday (which
also sets the data's as-of time after Tuesday's deadlines), seven deadlines in the week, fewer
than ten: shown, not ranked. Deadlines come from the source, so no calendar is involved.
"""

from __future__ import annotations

import math

from kpi import Warehouse
from tests.kpi.conftest import wib


def _rows(region: str, n: int, resolved: int, prefix: str) -> list[dict]:
    out = []
    for i in range(n):
        done = i < resolved
        out.append(
            {
                "complaint_id": f"{prefix}{i}",
                "region_code": region,
                "agency_id": f"{region}:dinas-pekerjaan-umum",
                "created_at": wib("2026-03-02 09:00"),
                "first_response_at": wib("2026-03-02 10:00"),
                "response_due_at": wib("2026-03-02 17:00"),
                "resolution_due_at": wib("2026-03-03 17:00"),
                "status": "resolved" if done else "in_progress",
                "closed_at": wib("2026-03-03 12:00") if done else None,
            }
        )
    return out


FRIDAY = {
    "complaint_id": "P-fri",
    "region_code": "33",
    "agency_id": "33:dinas-pekerjaan-umum",
    "created_at": wib("2026-03-06 16:00"),
    "first_response_at": wib("2026-03-06 16:30"),
    "response_due_at": wib("2026-03-06 17:00"),
    "resolution_due_at": wib("2026-03-10 17:00"),
    "status": "in_progress",
}
ROWS = _rows("33.21", 10, 8, "D") + _rows("33.74", 12, 12, "S") + _rows("33", 3, 3, "P") + [FRIDAY]
REGIONS = {
    "regions": [
        ("33", "Provinsi Jawa Tengah", "province", None, "Asia/Jakarta", "WIB", 38_430_645),
        ("33.21", "Kabupaten Demak", "kabupaten", "33", "Asia/Jakarta", "WIB", 1_254_204),
        ("33.74", "Kota Semarang", "kota", "33", "Asia/Jakarta", "WIB", 1_702_379),
    ]
}


def test_region_league_hand_computed(db_factory):
    path = db_factory(
        complaints=ROWS,
        meta={"city": "jateng", "home_region": "33"},
        **REGIONS,
    )
    wh = Warehouse.open(path)
    league = wh.region_league("2026-W10")
    rows = league.regions.set_index("region_code")
    assert league.parent == "33" and league.window == ("2026-W07", "2026-W10")
    assert list(league.regions["region_code"]) == ["33.74", "33.21", "33"]
    got = rows.loc["33.74", ["rank", "score", "status", "is_ranked"]].tolist()
    assert got == [1, 1.12, "green", True]
    assert rows.loc["33.21", ["rank", "score", "status"]].tolist() == [2, 0.97, "amber"]
    assert rows.loc["33", "is_ranked"] == False  # noqa: E712 (numpy bool)
    assert rows.loc["33", "not_ranked_reason"] == "few_obligations"
    assert rows.loc["33.21", "received"] == 10 and rows.loc["33.21", "backlog"] == 2
    assert math.isclose(rows.loc["33.21", "per_10k"], 10 / 1_254_204 * 10_000)
    assert rows.loc["33.74", "week_score"] == 1.12  # one week of data: window = week
    assert rows.loc["33.74", "rank_change_reason"] == "no_previous_week"
    # the rows add up to the province
    whole = wh.summary("2026-W10", None, {"region": "33"})
    assert whole["received"] == int(league.regions["received"].sum()) == 26
    assert whole["backlog"] == int(league.regions["backlog"].sum()) == 3


def test_agency_league_of_one_government(db_factory):
    path = db_factory(
        complaints=ROWS,
        meta={"city": "jateng", "home_region": "33"},
        **REGIONS,
    )
    wh = Warehouse.open(path)
    assert list(wh.league("2026-W10", region="33.21").agencies["agency_id"]) == [
        "33.21:dinas-pekerjaan-umum"
    ]
    # the province's own agencies only: its kab/kota are compared in the region league
    assert list(wh.league("2026-W10", region="33").agencies["agency_id"]) == [
        "33:dinas-pekerjaan-umum"
    ]
    assert len(wh.league("2026-W10").agencies) == 3  # same name, three regions: three agencies
