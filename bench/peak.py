"""``python -m bench.peak OUTFILE -m MODULE ARGS...``: run a module, then record its peak memory.

Why not ``ru_maxrss`` from ``wait4``: Linux carries the pre-``exec`` high-water mark of the
forked child (a copy of the parent, here the benchmark holding generated data) into the child's
``ru_maxrss``, so small children would report the parent's size. ``VmHWM`` of
``/proc/self/status`` at exit is the high-water mark of this process's own address space.
"""

from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def vm_hwm_kib() -> int:
    """This process's peak resident set size (KiB), 0 where /proc is not available."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    out, flag, module, *rest = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: python -m bench.peak OUTFILE -m MODULE [ARGS...]")
    atexit.register(lambda: Path(out).write_text(str(vm_hwm_kib())))
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
