"""The benchmark's data generator: the generic layout, consistent lives, an exact overlap."""

import json

import duckdb
import pytest

from bench.generate import generate

COLUMNS = [
    "id",
    "created_at",
    "status",
    "agency",
    "category",
    "channel",
    "district",
    "village",
    "lat",
    "lon",
    "title",
    "first_response_at",
    "closed_at",
    "satisfaction",
    "reopen_count",
    "reporter_name",
    "reporter_phone",
]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return generate(3000, tmp_path_factory.mktemp("gen"), seed=7)


def test_layout_and_manifest(made):
    con = duckdb.connect()
    rel = con.sql("SELECT * FROM read_csv(?)", params=[made.base_csv])
    assert rel.columns == COLUMNS
    assert con.sql("SELECT count(*) FROM read_csv(?)", params=[made.base_csv]).fetchall() == [
        (3000,)
    ]
    assert (made.overlap_rows, made.overlap_updated, made.overlap_unchanged) == (600, 300, 300)
    saved = json.loads(open(made.base_csv.replace(".csv", ".json")).read())
    assert saved["overlap_updated"] == 300


def test_lives_are_consistent(made):
    con = duckdb.connect()
    bad = con.sql(
        """SELECT count(*) FILTER (WHERE closed_at < created_at OR first_response_at < created_at),
                  count(*) FILTER (WHERE status IN ('selesai', 'ditolak') AND closed_at IS NULL),
                  count(*) FILTER (WHERE status IN ('baru', 'proses') AND closed_at IS NOT NULL),
                  count(*) FILTER (WHERE status = 'baru' AND first_response_at IS NOT NULL),
                  count(DISTINCT agency), count(DISTINCT category), count(DISTINCT district)
           FROM read_csv(?)""",
        params=[made.base_csv],
    ).fetchall()
    assert bad == [(0, 0, 0, 0, 30, 22, 16)]


def test_overlap_changes_exactly_the_announced_rows(made):
    con = duckdb.connect()
    changed = con.sql(
        """SELECT count(*) FROM read_csv(?) o JOIN read_csv(?) b USING (id)
           WHERE (o.status, o.first_response_at, o.closed_at, o.reopen_count, o.satisfaction)
                 IS DISTINCT FROM
                 (b.status, b.first_response_at, b.closed_at, b.reopen_count, b.satisfaction)""",
        params=[made.overlap_csv, made.base_csv],
    ).fetchall()
    assert changed == [(300,)]
