"""KPI figures: the KPI layer's weekly table × agency and backlog series against pandas.

Both sides run in their own child process (``python -m bench.kpi_bench kpi|pandas DB RUNS OUT``)
so their peak memory is their own; each writes its last result to Parquet, and the parent
checks that both give the same numbers before it reports the ratio.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.measure import median, run_child
from bench.pandas_kpi import rules_from, timed

COUNTS = ["received", "closed", "backlog"]
RATES = [
    "rejected_share",
    "response_rate",
    "clearance_rate",
    "response_sla_compliance",
    "resolution_sla_compliance",
    "median_days_to_respond",
    "median_days_to_resolve",
    "p90_days_to_respond",
    "p90_days_to_resolve",
]


def _clock() -> tuple[float, float]:
    """(wall, CPU of this process, all threads) in seconds."""
    return time.perf_counter(), time.process_time()


def kpi_child(db: str, runs: int, out: Path) -> dict:
    """Time Warehouse.open, weekly(by agency) cold and warm, and backlog_series."""
    from kpi import Warehouse

    times: dict[str, list[float]] = {}
    for _ in range(runs):
        marks = [_clock()]
        wh = Warehouse.open(db)
        marks.append(_clock())
        weeks = wh.weeks()
        first, last = weeks["week"].iloc[0], weeks["week"].iloc[-1]
        marks.append(_clock())
        table = wh.weekly(first, last, by="agency_id")
        marks.append(_clock())
        wh.weekly(first, last, by="agency_id")
        marks.append(_clock())
        series = wh.backlog_series(first, last)
        marks.append(_clock())
        ages = wh.backlog_ages(None, by="agency_id")
        marks.append(_clock())
        spans = {"open": (0, 1), "weekly": (2, 3), "weekly_warm": (3, 4), "backlog": (4, 5),
                 "ages": (5, 6)}  # fmt: skip
        for key, (a, b) in spans.items():
            times.setdefault(key, []).append(marks[b][0] - marks[a][0])
            times.setdefault(f"cpu_{key}", []).append(marks[b][1] - marks[a][1])
        info = wh.info()
        wh.close()
    table.to_parquet(out / "kpi_weekly.parquet")
    series.to_parquet(out / "kpi_backlog.parquet")
    ages.to_parquet(out / "kpi_ages.parquet")
    return {
        "kpi_tables": info["kpi_tables"],
        "times": times,
        "rows": len(table),
        "weeks": len(weeks),
        "as_of": str(info["data_as_of"]),
    }


def pandas_child(db: str, runs: int, out: Path) -> dict:
    """Time the pandas path (read, prepare, weekly, backlog) with the city's own SLA rules."""
    from kpi.settings import load_settings

    con = duckdb.connect()
    con.execute("ATTACH ? AS wh (READ_ONLY)", [db])
    meta = dict(con.execute("SELECT key, value FROM wh.meta").fetchall())
    as_of = con.execute(
        "SELECT max(greatest(created_at, first_response_at, closed_at)) FROM wh.complaints"
    ).fetchall()[0][0]
    con.close()
    rules = rules_from(load_settings(city=meta.get("city")))
    local_as_of = pd.Timestamp(as_of).tz_localize("UTC").tz_convert(rules.timezone)
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        table, series, ages, phases = timed(db, rules, local_as_of.tz_localize(None))
        for key, value in phases.items():
            times.setdefault(key, []).append(value)
    table.to_parquet(out / "pandas_weekly.parquet")
    series.to_parquet(out / "pandas_backlog.parquet")
    ages.to_parquet(out / "pandas_ages.parquet")
    return {"times": times, "rows": len(table)}


def _same(a: pd.Series, b: pd.Series, exact: bool) -> np.ndarray:
    x, y = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
    both_missing = np.isnan(x) & np.isnan(y)
    close = (x == y) if exact else (np.abs(x - y) <= 1e-9)
    return both_missing | close


def compare(out: Path) -> dict:
    """Cell-by-cell comparison of the two weekly tables and backlog series."""
    k = pd.read_parquet(out / "kpi_weekly.parquet")
    p = pd.read_parquet(out / "pandas_weekly.parquet")
    for df in (k, p):
        df["week_start"] = pd.to_datetime(df["week_start"]).dt.strftime("%Y-%m-%d")
    # Weeks only one side lists are reported, not compared (see ``weeks_only_*``).
    kw, pw = set(k["week_start"]), set(p["week_start"])
    result: dict = {
        "rows_kpi": len(k),
        "rows_pandas": len(p),
        "weeks_only_kpi": sorted(kw - pw),
        "weeks_only_pandas": sorted(pw - kw),
        "metrics": {},
    }
    k, p = k[k["week_start"].isin(pw)], p[p["week_start"].isin(kw)]
    merged = k.merge(p, on=["week_start", "agency_id"], how="outer", suffixes=("_kpi", "_pd"))
    result["rows_matched"] = int(
        (merged["received_kpi"].notna() & merged["received_pd"].notna()).sum()
    )
    result["rows_compared"] = len(merged)
    for col in COUNTS + RATES:
        ok = _same(merged[f"{col}_kpi"], merged[f"{col}_pd"], exact=col in COUNTS)
        bad = merged.loc[~ok, ["week_start", "agency_id", f"{col}_kpi", f"{col}_pd"]]
        result["metrics"][col] = {
            "cells": len(merged),
            "mismatches": int((~ok).sum()),
            "examples": bad.head(3).astype(str).to_dict("records"),
        }
    kb = pd.read_parquet(out / "kpi_backlog.parquet")
    pb = pd.read_parquet(out / "pandas_backlog.parquet")
    kb["week_end"] = pd.to_datetime(kb["week_end"]).dt.strftime("%Y-%m-%d")
    pb["week_end"] = pd.to_datetime(pb["week_end"]).dt.strftime("%Y-%m-%d")
    common = set(kb["week_end"]) & set(pb["week_end"])
    kb, pb = kb[kb["week_end"].isin(common)], pb[pb["week_end"].isin(common)]
    mb = kb.merge(pb, on="week_end", how="outer", suffixes=("_kpi", "_pd"))
    for col in ("backlog", "overdue_backlog"):
        ok = _same(mb[f"{col}_kpi"], mb[f"{col}_pd"], exact=True)
        result["metrics"][f"series_{col}"] = {
            "cells": len(mb),
            "mismatches": int((~ok).sum()),
            "examples": mb.loc[~ok].head(3).astype(str).to_dict("records"),
        }
    # backlog ageing at the data's as-of time, per agency and age bucket (non-empty cells)
    ka = pd.read_parquet(out / "kpi_ages.parquet")
    pa = pd.read_parquet(out / "pandas_ages.parquet")
    ka = ka[ka["n"] > 0]
    ma = ka.merge(pa.astype({"bucket": str}), on=["agency_id", "bucket"], how="outer",
                  suffixes=("_kpi", "_pd"))  # fmt: skip
    ok = _same(ma["n_kpi"], ma["n_pd"], exact=True)
    result["metrics"]["backlog_ages"] = {
        "cells": len(ma),
        "mismatches": int((~ok).sum()),
        "examples": ma.loc[~ok].head(3).astype(str).to_dict("records"),
    }
    result["identical"] = result["rows_matched"] == result["rows_compared"] and all(
        m["mismatches"] == 0 for m in result["metrics"].values()
    )
    return result


def run(db: Path, out: Path, runs: int) -> dict:
    """Both children, the comparison and the ratios."""
    figures: dict = {}
    for side in ("kpi", "pandas"):
        child = run_child(["-m", "bench.kpi_bench", side, str(db), str(runs), str(out)])
        if child.returncode != 0:
            raise RuntimeError(f"{side} child failed: {child.stderr.strip()[-1500:]}")
        data = json.loads(child.stdout.strip().splitlines()[-1])
        data["seconds"] = {key: median(v) for key, v in data.pop("times").items()}
        data["peak_mib"] = round(child.peak_mib, 1)
        figures[side] = data
    figures["check"] = compare(out)
    k, p = figures["kpi"]["seconds"], figures["pandas"]["seconds"]
    # End to end: from the database file to the table (pandas reads and prepares; the KPI layer
    # opens, which prepares its tables). In memory: the table alone, data already prepared.
    figures["ratio_end_to_end"] = round(
        (p["read"] + p["prepare"] + p["weekly"]) / (k["open"] + k["weekly"]), 1
    )
    figures["ratio_in_memory"] = round(p["weekly"] / k["weekly_warm"], 1)
    figures["ratio_end_to_end_cpu"] = round(
        (p["cpu_read"] + p["cpu_prepare"] + p["cpu_weekly"]) / (k["cpu_open"] + k["cpu_weekly"]), 1
    )
    figures["ratio_in_memory_cpu"] = round(p["cpu_weekly"] / k["cpu_weekly_warm"], 1)
    return figures


if __name__ == "__main__":
    side, db_arg, runs_arg, out_arg = sys.argv[1:5]
    child_fn = kpi_child if side == "kpi" else pandas_child
    print(json.dumps(child_fn(db_arg, int(runs_arg), Path(out_arg)), default=str))
