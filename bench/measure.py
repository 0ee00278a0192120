"""Timing and memory helpers: a command in a child process, medians, the machine.

Peak memory is the child's own maximum resident set size, read from ``os.wait4`` (the rusage
of exactly that child), so figures of one step never mix with another's.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ChildRun:
    """One child process: wall seconds, peak RSS in MiB, exit code, output, CPU seconds.

    CPU seconds (user + system, all threads) are less sensitive than wall time to other work
    running on the machine, so the ETL table shows both.
    """

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0


def run_child(args: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run ``python -m module args...`` from the repository root; time it, read its peak memory.

    ``args`` starts with ``-m MODULE``; the module runs under ``bench.peak``, which records the
    process's own high-water mark (see bench/peak.py for why ``ru_maxrss`` is not used).
    """
    if args[0] != "-m":
        raise ValueError("run_child expects ['-m', MODULE, ...]")
    with tempfile.TemporaryDirectory(prefix="bench_child_") as tmp:
        peak = Path(tmp) / "peak"
        with open(Path(tmp) / "out", "w+") as out, open(Path(tmp) / "err", "w+") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench.peak", str(peak), *args],
                cwd=ROOT,
                stdout=out,
                stderr=err,
                env=env or os.environ,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            kib = int(peak.read_text()) if peak.exists() else 0
            cpu = usage.ru_utime + usage.ru_stime
            return ChildRun(seconds, kib / 1024, proc.returncode, out.read(), err.read(), cpu)


def median(values: list[float]) -> float:
    """The median, rounded to milliseconds (what the tables print)."""
    return round(statistics.median(values), 3)


def machine() -> dict[str, object]:
    """Core count, memory, CPU model, versions and the date: the context of every figure."""
    mem_kib = 0
    cpu = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb
    import numpy
    import pandas

    # A snapshot made by `git archive` has no .git: it names its commit in BENCH_COMMIT.
    commit = (
        os.environ.get("BENCH_COMMIT")
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
    return {
        "commit": commit,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024**2, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
