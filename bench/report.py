"""Write the figures: ``bench/results.json`` (every size, for comparisons over time) and the
generated tables of ``bench/RESULTS.md`` (between two markers; the prose around them is kept).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = "<!-- results:start -->", "<!-- results:end -->"
MIB_2GB = 2048


def targets(r: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue that this run can judge."""
    out: list[tuple[str, str, bool | None]] = []
    r = {k: v for k, v in r.items() if not (isinstance(v, dict) and "error" in v)}
    rows = r["rows"]
    if "etl" in r:
        e = r["etl"]
        ratio = f"{e['load_vs_floor']}× wall, {e.get('load_vs_floor_cpu')}× CPU"
        cpu = e.get("load_vs_floor_cpu") or e["load_vs_floor"]
        out.append(("ETL ≤ 2× DuckDB read_csv", ratio + " (the target is CPU)", cpu <= 2))
        if rows >= 5_000_000:
            peak = max(e[s]["peak_mib"] for s in ("load", "reload", "overlap"))
            out.append(("ETL peak ≤ 2 GB at 5 M", f"{peak:.0f} MiB", peak <= MIB_2GB))
    if "kpi" in r:
        k = r["kpi"]
        for key, label in (("ratio_end_to_end", "end to end"), ("ratio_in_memory", "in memory")):
            out.append((f"KPI weekly ≥ 10× pandas ({label})", f"{k[key]}×", k[key] >= 10))
        out.append(
            ("KPI and pandas give the same numbers", _check(k["check"]), k["check"]["identical"])
        )
        if rows >= 5_000_000:
            s = k["kpi"]["seconds"]
            out.append(("KPI weekly < 1 s at 5 M (query)", f"{s['weekly']:.2f} s", s["weekly"] < 1))
            both = s["open"] + s["weekly"]
            out.append(("KPI weekly < 1 s at 5 M (incl. open)", f"{both:.2f} s", both < 1))
    if "pages" in r and rows >= 1_000_000:
        pages = r["pages"]["pages"].values()
        worst = max(p["warm"] for p in pages)
        broken = sum(bool(p["errors"]) for p in pages)
        note = f"slowest {worst:.2f} s" + (f"; {broken} page(s) showed errors" if broken else "")
        out.append(("every page < 1.5 s warm at 1 M", note, worst < 1.5 and not broken))
    return out


def _check(check: dict) -> str:
    bad = {k: v["mismatches"] for k, v in check["metrics"].items() if v["mismatches"]}
    cells = sum(v["cells"] for v in check["metrics"].values())
    text = f"{cells} cells compared, " + (f"mismatches {bad}" if bad else "0 mismatches")
    for side in ("kpi", "pandas"):
        if check.get(f"weeks_only_{side}"):
            text += f"; weeks only the {side} side lists: {', '.join(check[f'weeks_only_{side}'])}"
    return text


def _when(part: dict) -> str:
    m = part.get("measured")
    return f" — commit {m['commit']}, {m['date']}, load average {m['load_average']}" if m else ""


def _t(seconds: dict, key: str) -> str:
    cpu = seconds.get(f"cpu_{key}")
    return f"{seconds[key]:.2f}" + (f" ({cpu:.2f})" if cpu is not None else "")


def _size(rows: int) -> str:
    return f"{rows / 1e6:g} M" if rows >= 1_000_000 else f"{rows / 1e3:g} k"


def render(r: dict) -> str:
    """Markdown tables for one benchmark size."""
    m = r["machine"]
    lines = [
        f"### {_size(r['rows'])} complaints ({r['rows']:,} rows), median of {r['runs']} runs",
        "",
        f"{m['date']} · {m['cores']} cores ({m['cpu']}) · {m['memory_gib']} GiB RAM · Python "
        f"{m['python']}, DuckDB {m['duckdb']}, pandas {m['pandas']} · commit "
        f"{m.get('commit', '?')} · load average at start {m['load_average']}",
        "",
    ]
    for part in ("etl", "kpi", "pages"):
        if "error" in r.get(part, {}):
            lines += [f"**{part.upper()} failed**: `{r[part]['error'][-400:]}`", ""]
    r = {k: v for k, v in r.items() if not (isinstance(v, dict) and "error" in v)}
    if "etl" in r:
        e = r["etl"]
        lines += [
            f"**ETL** (CSV {e['csv_mib']} MiB → database {e['db_mib']} MiB; child processes, "
            f"interpreter start included; {e.get('runs', r['runs'])} run(s)){_when(e)}",
            "",
            "| step | median s | CPU s | peak MiB | runs (s) |",
            "|---|---:|---:|---:|---|",
        ]
        names = {
            "floor": "floor: DuckDB `CREATE TABLE t AS SELECT * FROM read_csv(...)`",
            "load": "`python -m etl load` (empty database)",
            "reload": "re-load of the same file (all unchanged)",
            "overlap": "overlapping export (20 % of rows, 10 % updated)",
        }
        for key, label in names.items():
            s = e[key]
            lines.append(
                f"| {label} | {s['seconds']:.2f} | {s.get('cpu_seconds', 0):.1f} | "
                f"{s['peak_mib']:.0f} | {s['runs_seconds']} |"
            )
        cpu = e.get("load_vs_floor_cpu")
        lines += ["", f"ETL / floor: **{e['load_vs_floor']}×** wall, **{cpu}×** CPU", ""]
        builds = {
            k: e[k]["kpi_build"] for k in ("load", "reload", "overlap") if "kpi_build" in e[k]
        }
        if builds:
            parts = [f"{k} {b['seconds']:.2f} s ({b['cpu_seconds']:.2f} s CPU, {b['mode']})"
                     for k, b in builds.items()]  # fmt: skip
            lines += [
                "Of which the KPI tables built inside the load (`kpi.build.refresh`: staged "
                "complaints, daily rollup): " + "; ".join(parts) + ".",
                "",
            ]
    if "kpi" in r:
        k, p = r["kpi"]["kpi"], r["kpi"]["pandas"]
        ks, ps = k["seconds"], p["seconds"]
        lines += [
            f"**KPI weekly table**: every ISO week × every agency ({k['rows']:,} rows, "
            f"{k['weeks']} weeks), the city backlog series and the backlog ages per agency; KPI "
            f"tables {k.get('kpi_tables', '?')}{_when(r['kpi'])}",
            "",
            "| step | KPI layer s (CPU s) | pandas s (CPU s) |",
            "|---|---:|---:|",
            f"| open / read + prepare (zones, deadlines) | {_t(ks, 'open')} | "
            f"{_t(ps, 'read')} + {_t(ps, 'prepare')} |",
            f"| weekly × agency (first call) | {_t(ks, 'weekly')} | {_t(ps, 'weekly')} |",
            f"| weekly × agency (again) | {_t(ks, 'weekly_warm')} | – |",
            f"| backlog series | {_t(ks, 'backlog')} | {_t(ps, 'backlog_series')} |",
            f"| backlog ages by agency | {_t(ks, 'ages') if 'ages' in ks else '–'} | "
            f"{_t(ps, 'backlog_ages') if 'backlog_ages' in ps else '–'} |",
            f"| peak memory (MiB, whole child) | {r['kpi']['kpi']['peak_mib']:.0f} | "
            f"{r['kpi']['pandas']['peak_mib']:.0f} |",
            "",
            f"Ratio pandas / KPI layer: end to end (file → weekly table) "
            f"**{r['kpi']['ratio_end_to_end']}×** wall, {r['kpi'].get('ratio_end_to_end_cpu')}× "
            f"CPU; in memory (weekly table alone) **{r['kpi']['ratio_in_memory']}×** wall, "
            f"{r['kpi'].get('ratio_in_memory_cpu')}× CPU.",
            "",
            f"Check: {_check(r['kpi']['check'])}.",
            "",
        ]
    if "pages" in r:
        lines += [
            f"**Pages** (Streamlit AppTest, `KINERJA_DB` = the benchmark database; peak "
            f"{r['pages']['peak_mib']:.0f} MiB){_when(r['pages'])}",
            "",
            "| page | cold s | first view s | warm s | errors |",
            "|---|---:|---:|---:|---|",
        ]
        for name, v in r["pages"]["pages"].items():
            err = "; ".join(v["errors"])[:120] or "–"
            lines.append(
                f"| {name} | {v['cold']:.2f} | {v['first_view']:.2f} | {v['warm']:.2f} | {err} |"
            )
        lines.append("")
    lines += ["**Targets**", "", "| target | measured | met |", "|---|---|---|"]
    for name, value, met in targets(r):
        lines.append(f"| {name} | {value} | {'yes' if met else 'NO'} |")
    return "\n".join(lines) + "\n"


def write(
    result: dict, json_path: Path = HERE / "results.json", md_path: Path = HERE / "RESULTS.md"
):
    """Merge this size into results.json and regenerate the tables of RESULTS.md."""
    allr = json.loads(json_path.read_text()) if json_path.exists() else {}
    # Parts not measured this time (--skip) keep their previous figures and say when they were.
    prev = allr.get(str(result["rows"]), {})
    for part in ("etl", "kpi", "pages"):
        if part in prev and part not in result and "measured" not in prev[part]:
            m = prev["machine"]
            prev[part]["measured"] = {k: m.get(k) for k in ("commit", "date", "load_average")}
    allr[str(result["rows"])] = {**prev, **result}
    json_path.write_text(json.dumps(allr, indent=2, default=str) + "\n")
    body = "\n".join(render(allr[k]) for k in sorted(allr, key=int, reverse=True))
    text = md_path.read_text() if md_path.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    md_path.write_text(f"{head}{START}\n{body}{END}{tail}")
