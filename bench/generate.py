"""Synthetic complaint exports for the benchmark, in the `generic` CSV layout (ARCHITECTURE §2).

Why synthetic: the benchmark needs millions of rows with the shape of a province-wide
deployment (about 30 agencies, 22 categories, Semarang's 16 districts and 177 villages, two-plus
years, every status, response and closing times) and two exports of the same complaints:

- the *base* export, a snapshot taken at ``export_at`` (statuses as they stood then), and
- an *overlapping* export: the newest 20 % of the complaints, re-exported later, in which exactly
  half (10 % of all rows) have moved on (first response, resolution, or a reopening).

Everything is drawn with numpy in one pass (no Python loop over rows); DuckDB formats the
strings and writes the CSV. Same seed, same files.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from bench.vocab import AGENCIES, CATEGORIES, CHANNELS, DISTRICTS, FIRST_NAMES, LAST_NAMES, villages

START = np.datetime64("2024-01-01T00:00:00", "s")
DAYS = 820  # 2024-01-01 .. 2026-03-30: two years and a quarter
HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 6, 5, 4, 3, 2], dtype=float
)
CLASS_MEDIAN_DAYS = {"quick": 4.0, "normal": 10.0, "complex": 35.0}
SEMARANG = Path(__file__).resolve().parent.parent / "config" / "cities" / "semarang.toml"


@dataclass
class Manifest:
    """What was generated, and what a correct load of it must report."""

    rows: int
    seed: int
    base_csv: str
    overlap_csv: str
    export_at: str
    overlap_export_at: str
    overlap_rows: int
    overlap_updated: int
    overlap_unchanged: int


def _created(rng: np.random.Generator, n: int) -> np.ndarray:
    """Creation times (local, seconds): weekday rhythm, rainy-season surge, growth, office hours."""
    day = np.arange(DAYS)
    dates = START.astype("datetime64[D]") + day
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    weight = np.array([1.15, 1.1, 1.05, 1.0, 0.95, 0.6, 0.5])[weekday]
    weight *= np.where(np.isin(month, [11, 12, 1, 2, 3]), 1.3, 1.0)
    weight *= 1.0 + 0.3 * day / DAYS
    d = rng.choice(DAYS, size=n, p=weight / weight.sum())
    h = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    secs = d * 86400 + h * 3600 + rng.integers(0, 3600, size=n)
    secs.sort()
    return secs


def _category_classes() -> np.ndarray:
    """SLA class of each category, as the Semarang preset sets it (the DB's city)."""
    classes = tomllib.loads(SEMARANG.read_text())["sla"]["category_class"]
    return np.array([classes.get(c, "normal") for c in CATEGORIES])


def _truth(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Each complaint's whole life: who, what, where, and when it is (or will be) answered/closed."""
    created = _created(rng, n)
    cat = rng.choice(len(CATEGORIES), size=n, p=_zipf(len(CATEGORIES), 0.8))
    primary = np.arange(len(CATEGORIES)) % len(AGENCIES)
    agency = np.where(rng.random(n) < 0.85, primary[cat], rng.integers(0, len(AGENCIES), n))
    slowness = rng.uniform(0.5, 2.2, len(AGENCIES))[agency]  # some agencies are much slower
    respond = np.exp(rng.normal(np.log(30 * 3600), 1.0, n)) * slowness
    median_days = np.vectorize(CLASS_MEDIAN_DAYS.get)(_category_classes())[cat]
    resolve = np.exp(rng.normal(np.log(median_days * 86400), 0.9, n)) * slowness
    resolve = np.maximum(resolve, respond + 600)
    never = rng.random(n)
    respond[never < 0.01] = np.inf
    resolve[never < 0.03] = np.inf  # forgotten complaints stay open
    rejected = rng.random(n) < 0.07
    resolve[rejected] = np.minimum(respond[rejected], 3 * 86400.0)
    vil_district, vil_name, vil_lat, vil_lon = villages()
    vil = rng.integers(0, len(vil_name), n)
    rated = rng.random(n) < 0.4
    stars = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.06, 0.08, 0.18, 0.38, 0.30])
    reopen = rng.choice([0, 1, 2], size=n, p=[0.965, 0.03, 0.005])
    return {
        "created": created,
        "respond_at": created + respond,
        "close_at": created + resolve,
        "rejected": rejected,
        "agency": agency,
        "category": cat,
        "channel": rng.choice(len(CHANNELS), size=n, p=_zipf(len(CHANNELS), 1.0)),
        "village": vil,
        "district": vil_district[vil],
        "lat": np.round(vil_lat[vil] + rng.normal(0, 0.004, n), 6),
        "lon": np.round(vil_lon[vil] + rng.normal(0, 0.004, n), 6),
        "satisfaction": np.where(rated & ~rejected, stars, 0),
        "reopen": np.where(rejected, 0, reopen),
        "first": rng.integers(0, len(FIRST_NAMES), n),
        "last": rng.integers(0, len(LAST_NAMES), n),
        "phone": rng.integers(10**9, 10**10, n),
        "phone_in_title": rng.random(n) < 0.01,
    }


def _zipf(k: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** s
    return w / w.sum()


def _snapshot(t: dict[str, np.ndarray], at: float | np.ndarray, rows: np.ndarray) -> pa.Table:
    """The export as seen at local time ``at`` (seconds; one value or one per row)."""
    created = t["created"][rows]
    responded = t["respond_at"][rows] <= at
    closed = t["close_at"][rows] <= at
    rejected = t["rejected"][rows]
    status = np.where(closed, np.where(rejected, 3, 2), np.where(responded, 1, 0))
    sat = np.where(closed & (status == 2), t["satisfaction"][rows], 0)

    def ts(secs: np.ndarray, mask: np.ndarray) -> pa.Array:
        values = START + np.where(mask, secs, 0).astype(np.int64)
        return pa.array(values, type=pa.timestamp("s"), mask=~mask)

    return pa.table(
        {
            "i": pa.array(rows.astype(np.int64)),
            "created": ts(created, np.ones(len(rows), bool)),
            "status": pa.array(status.astype(np.int8)),
            "agency": pa.array(t["agency"][rows].astype(np.int16)),
            "category": pa.array(t["category"][rows].astype(np.int16)),
            "channel": pa.array(t["channel"][rows].astype(np.int16)),
            "district": pa.array(t["district"][rows].astype(np.int16)),
            "village": pa.array(t["village"][rows].astype(np.int16)),
            "lat": pa.array(t["lat"][rows]),
            "lon": pa.array(t["lon"][rows]),
            "first_response": ts(t["respond_at"][rows], responded),
            "closed": ts(t["close_at"][rows], closed),
            "satisfaction": pa.array(sat.astype(np.int8), mask=sat == 0),
            "reopen": pa.array(np.where(closed, t["reopen"][rows], 0).astype(np.int8)),
            "first": pa.array(t["first"][rows].astype(np.int16)),
            "last": pa.array(t["last"][rows].astype(np.int16)),
            "phone": pa.array(t["phone"][rows]),
            "phone_in_title": pa.array(t["phone_in_title"][rows]),
        }
    )


WRITE_SQL = """
COPY (
    SELECT 'BM-' || lpad(CAST(i + 1 AS VARCHAR), 8, '0') AS id,
           strftime(created, '%Y-%m-%d %H:%M:%S') AS created_at,
           ['baru', 'proses', 'selesai', 'ditolak'][status + 1] AS status,
           $agencies[agency + 1] AS agency,
           $categories[category + 1] AS category,
           $channels[channel + 1] AS channel,
           $districts[village + 1] AS district,
           $villages[village + 1] AS village,
           lat, lon,
           $categories[category + 1] || ' di ' || $villages[village + 1]
               || CASE WHEN phone_in_title THEN ', hubungi 08' || CAST(phone AS VARCHAR) ELSE '' END
               AS title,
           strftime(first_response, '%Y-%m-%d %H:%M:%S') AS first_response_at,
           strftime(closed, '%Y-%m-%d %H:%M:%S') AS closed_at,
           satisfaction,
           reopen AS reopen_count,
           $first[first + 1] || ' ' || $last[last + 1] AS reporter_name,
           '08' || CAST(phone AS VARCHAR) AS reporter_phone
    FROM snap ORDER BY i
) TO $path (HEADER, DELIMITER ',')
"""


def _write(table: pa.Table, path: Path) -> None:
    vil_district, vil_name, _, _ = villages()
    con = duckdb.connect()
    con.register("snap", table)
    con.execute(
        WRITE_SQL,
        {
            "agencies": list(AGENCIES),
            "categories": list(CATEGORIES),
            "channels": list(CHANNELS),
            "districts": [DISTRICTS[d] for d in vil_district],
            "villages": list(vil_name),
            "first": list(FIRST_NAMES),
            "last": list(LAST_NAMES),
            "path": str(path),
        },
    )
    con.close()


def _progress(t: dict[str, np.ndarray], rows: np.ndarray, at: float, later: float) -> None:
    """Move the given rows on by ``later`` (in place): respond, resolve or reopen-and-resolve."""
    responded = t["respond_at"][rows] <= at
    closed = t["close_at"][rows] <= at
    gap = np.linspace(3600, later - 3600, len(rows))
    new_close = np.where(closed | responded, at + gap, t["close_at"][rows])
    sooner = np.minimum(t["respond_at"][rows], at + gap / 2)
    t["respond_at"][rows] = np.where(responded, t["respond_at"][rows], sooner)
    t["reopen"][rows] = np.where(closed, t["reopen"][rows] + 1, t["reopen"][rows])
    t["close_at"][rows] = new_close
    t["rejected"][rows] = t["rejected"][rows] & ~closed & ~responded


def generate(rows: int, out_dir: Path, seed: int = 20260101) -> Manifest:
    """Write ``complaints_<rows>.csv`` and ``complaints_<rows>_overlap.csv``; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    t = _truth(rng, rows)
    export_at = float(DAYS * 86400)
    base = out_dir / f"complaints_{rows}.csv"
    _write(_snapshot(t, export_at, np.arange(rows)), base)

    tail = np.arange(rows - rows // 5, rows)
    changed = np.sort(rng.choice(tail, size=rows // 10, replace=False))
    later = 7 * 86400.0
    _progress(t, changed, export_at, later)
    overlap = out_dir / f"complaints_{rows}_overlap.csv"
    seen_at = np.where(np.isin(tail, changed), export_at + later, export_at)
    _write(_snapshot(t, seen_at, tail), overlap)

    def stamp(secs: float) -> str:
        return str(START + np.int64(secs)).replace("T", " ")

    manifest = Manifest(
        rows=rows,
        seed=seed,
        base_csv=str(base),
        overlap_csv=str(overlap),
        export_at=stamp(export_at),
        overlap_export_at=stamp(export_at + later),
        overlap_rows=len(tail),
        overlap_updated=len(changed),
        overlap_unchanged=len(tail) - len(changed),
    )
    (out_dir / f"complaints_{rows}.json").write_text(json.dumps(asdict(manifest), indent=2))
    return manifest
