"""Write the demo city's raw exports: which files, covering which weeks, in load order.

LAPOR! exports overlap (each holds several weeks, statuses as of its "Tanggal Generate"; one
every few weeks, then weekly for the recent weeks, the last covering the whole period) so later
exports update earlier rows. Each city desk and each service agency exports once, at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from etl.demo.exports import write_generic, write_lapor
from etl.demo.params import DemoParams
from etl.demo.services import write_services

if TYPE_CHECKING:
    from etl.demo.build import DemoCity

# The city's own complaint desks, one export each: desk -> channels it handles.
DESKS = {
    "command_center": ("phone", "web", "app"),
    "whatsapp": ("whatsapp",),
    "media_sosial": ("instagram", "x", "facebook"),
    "kanal_pimpinan": ("walikota", "bupati", "laporgub"),
}
INDONESIAN_STATUS_DESKS = ("whatsapp", "kanal_pimpinan")


def export_dates(first_day: dt.date, end: dt.date, params: DemoParams) -> list[dt.date]:
    """LAPOR! "Tanggal Generate" dates: every few weeks, then weekly for the recent weeks.

    Each is the Monday after a complete week; the last is the Monday after ``end``.
    """
    weeks = (end - first_day).days // 7 + 1
    recent = max(weeks - params.lapor_weekly_recent_weeks, 0)
    ks = [
        k for k in range(weeks) if k >= recent or (recent - 1 - k) % params.lapor_every_weeks == 0
    ]
    return [first_day + dt.timedelta(days=7 * (k + 1)) for k in ks]


def write_files(
    demo: DemoCity,
    workdir: Path,
    params: DemoParams | None = None,
    shifts: dict[str, float] | None = None,
) -> list[tuple[Path, str]]:
    """Write every raw export; returns (path, source) in load order (oldest export first)."""
    params = params or DemoParams()
    shifts = shifts or {}
    workdir.mkdir(parents=True, exist_ok=True)
    c = demo.complaints
    files: list[tuple[Path, str]] = []
    lapor = c[c["channel"] == "lapor"]
    created = lapor["created_at"].to_numpy()
    gens = export_dates(demo.first_day, demo.end, params)
    for k, gen in enumerate(gens):
        full = k == len(gens) - 1  # the last export covers the whole period
        lo = (
            demo.first_day
            if full
            else max(demo.first_day, gen - dt.timedelta(days=7 * params.lapor_window_weeks))
        )
        t = np.datetime64(gen, "s")
        rows = lapor[(created >= np.datetime64(lo, "s")) & (created < t)]
        path = workdir / f"laporan_ringkas_{demo.city}_{gen.isoformat()}.csv"
        period = (lo.isoformat(), (gen - dt.timedelta(days=1)).isoformat())
        write_lapor(
            path,
            rows,
            t,
            period,
            demo.config,
            demo.agencies,
            shifts.get("lapor", 0.0),
            indonesian=k % 2 == 1,
        )
        files.append((path, "lapor"))
    t_end = np.datetime64(demo.end + dt.timedelta(days=1), "s")
    for desk, channels in DESKS.items():
        rows = c[c["channel"].isin(channels)]
        if len(rows) == 0:
            continue
        path = workdir / f"aduan_{demo.city}_{desk}_{demo.end.isoformat()}.csv"
        write_generic(
            path,
            rows,
            t_end,
            demo.agencies,
            desk in INDONESIAN_STATUS_DESKS,
            shifts.get("generic", 0.0),
        )
        if desk == "command_center" and params.flawed_rows:
            append_flawed_rows(path, demo.end)
        files.append((path, "generic"))
    for agency, rows in demo.services.groupby("agency_key", sort=True):
        path = workdir / f"layanan_{demo.city}_{agency}_{demo.end.isoformat()}.csv"
        write_services(
            path,
            rows,
            t_end,
            demo.agencies,
            agency == "dukcapil",
            shifts.get("generic_services", 0.0),
        )
        files.append((path, "generic_services"))
    return files


def append_flawed_rows(path: Path, end: dt.date) -> None:
    """Add the typos a real desk export has, so the demo shows quarantine at work: two rows
    each with an impossible date, a closing time before the complaint, an unknown status."""
    day = (end - dt.timedelta(days=10)).isoformat()
    bad = [
        ("CC-ERR-1", f"{day[:8]}32 09:15:00", "open", ""),
        ("CC-ERR-2", "kemarin sore", "baru", ""),
        ("CC-ERR-3", f"{day} 10:00:00", "resolved", f"{day} 09:00:00"),
        ("CC-ERR-4", f"{day} 14:30:00", "selesai", f"{day} 08:05:00"),
        ("CC-ERR-5", f"{day} 11:00:00", "menunggu", ""),
        ("CC-ERR-6", f"{day} 16:45:00", "dialihkan", ""),
    ]
    with path.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")  # as pandas wrote the rest
        for cid, created, status, closed in bad:
            w.writerow(
                [
                    cid,
                    created,
                    status,
                    "Dinas Pekerjaan Umum",
                    "Jalan Rusak",
                    "phone",
                    "",
                    "",
                    "",
                    "",
                    "Jalan berlubang",
                    "",
                    closed,
                    "",
                    "0",
                    "Budi Santoso",
                    "081234567890",
                ]
            )
