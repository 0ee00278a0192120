"""``python -m bench.province --rows 1000000``: the province-scale run (issue 11).

The benchmark's generated complaints (``bench.generate``) spread over Jawa Tengah: each row gets
a ``region`` column naming its kabupaten/kota ("Kabupaten Demak", as a provincial spreadsheet
writes it; drawn in proportion to the 2025 populations) or, for one in twelve, the province's
own OPD ("Pemerintah Provinsi Jawa Tengah"). The file is loaded with ``python -m etl load
--source generic --region 33`` (the ETL matches the names to codes), then: opening the
warehouse, the region league (cold, warm), and every page with AppTest at the province's scope
(cold, first view, warm). Figures: ``bench/results_province.json`` (and printed as a table).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

from bench import pages_bench
from bench.generate import generate
from bench.measure import machine, run_child
from kinerja import regions

HERE = Path(__file__).resolve().parent
PROVINCE = "33"
OWN_SHARE = 1 / 12  # complaints about the province's own services (roads, SMA/SMK, Samsat)


def with_regions(src: Path, dst: Path, seed: int) -> dict[str, int]:
    """Copy the generated CSV adding a ``region`` column; returns rows per region code."""
    kab = regions.children(PROVINCE)
    names = ["Pemerintah Provinsi Jawa Tengah"] + [r.name for r in kab]
    codes = [PROVINCE] + [r.code for r in kab]
    pop = np.array([r.population for r in kab], dtype=float)
    weights = np.concatenate([[OWN_SHARE], (1 - OWN_SHARE) * pop / pop.sum()])
    edges = np.cumsum(weights)
    lows = np.concatenate([[0.0], edges[:-1]])
    bands = [(float(lo), float(hi), n) for lo, hi, n in zip(lows, edges, names, strict=True)]
    bands[-1] = (bands[-1][0], 2.0, bands[-1][2])  # the last band takes any rounding remainder
    con = duckdb.connect()
    con.execute("CREATE TABLE bands (lo DOUBLE, hi DOUBLE, region VARCHAR)")
    con.executemany("INSERT INTO bands VALUES (?, ?, ?)", bands)
    con.execute(
        """COPY (
            SELECT c.* EXCLUDE (u), b.region
            FROM (SELECT *, (hash(id || $seed) % 1000000) / 1000000.0 AS u
                  FROM read_csv($src, all_varchar = true)) c
            JOIN bands b ON c.u >= b.lo AND c.u < b.hi
            ORDER BY c.id
        ) TO $dst (HEADER, DELIMITER ',')""",
        {"seed": str(seed), "src": str(src), "dst": str(dst)},
    )
    rows = con.execute(
        "SELECT region, count(*) FROM read_csv($p, all_varchar = true) GROUP BY 1", {"p": str(dst)}
    ).fetchall()
    con.close()
    by_name = dict(zip(names, codes, strict=True))
    return {by_name[n]: int(c) for n, c in rows}


def region_league_times(db: Path, runs: int) -> dict:
    """Warehouse.open and the region league of the last complete week, cold and warm."""
    from kpi import Warehouse

    opened, cold, warm = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        wh = Warehouse.open(db)
        opened.append(time.perf_counter() - t0)
        week = wh.info()["default_week"]
        t1 = time.perf_counter()
        league = wh.region_league(week)
        cold.append(time.perf_counter() - t1)
        t2 = time.perf_counter()
        wh.region_league(week)
        warm.append(time.perf_counter() - t2)
        wh.close()
    return {
        "open": round(statistics.median(opened), 3),
        "region_league_first": round(statistics.median(cold), 3),
        "region_league_again": round(statistics.median(warm), 3),
        "regions_ranked": league.n_ranked,
        "rows": len(league.regions),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.province", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {"rows": args.rows, "runs": args.runs, "machine": machine()}
    manifest = generate(args.rows, out, args.seed)
    csv = out / f"complaints_{args.rows}_province.csv"
    result["rows_per_region"] = with_regions(Path(manifest.base_csv), csv, args.seed)
    db = out / f"province_{args.rows}.duckdb"
    for p in (db, db.with_name(db.name + ".salt")):
        p.unlink(missing_ok=True)
    from etl.meta import set_meta

    set_meta(db, {"city": "jateng", "home_region": PROVINCE, "is_demo": "false"})
    load = run_child(
        [
            "-m",
            "etl",
            "load",
            str(csv),
            "--source",
            "generic",
            "--region",
            PROVINCE,
            "--db",
            str(db),
            "--json",
        ]  # fmt: skip
    )
    if load.returncode != 0:
        raise SystemExit(f"load failed: {load.stderr[-1500:]}")
    summary = json.loads(load.stdout[load.stdout.index("{") :])
    result["load"] = {
        "seconds": round(load.seconds, 1),
        "cpu_seconds": round(load.cpu_seconds, 1),
        "peak_mib": round(load.peak_mib, 1),
        "read": summary["read"],
        "quarantined": summary["quarantined"],
        "regions": len(summary.get("regions", {})),
    }
    result["kpi"] = region_league_times(db, args.runs)
    result["pages"] = pages_bench.run(db, args.runs)
    text = json.dumps(result, indent=2, default=str)
    if not args.no_write:
        (HERE / "results_province.json").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
