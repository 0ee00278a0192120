"""Write the province demo's raw exports and load them through the ETL (``build_province``).

Files in load order: the province's SP4N-LAPOR! "Laporan Ringkas" exports (every few weeks, then
weekly; the whole province in each, "Instansi Induk" naming each row's government), one export
of each kab/kota's own desks (``--region`` = the kab/kota), one of its service applications, and
the LaporGub! export of the provincial channel (``--region 33``; "Disposisi" names the region).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from etl.demo.build import _existing_is_real, _remove_db, demo_salt
from etl.demo.exports import fmt_local, lapor_rows, state_at, write_generic, write_lapor_file
from etl.demo.files import export_dates
from etl.demo.params import DemoParams
from etl.demo.province import ProvinceDemo, generate_province
from etl.demo.services import write_services
from kinerja.paths import resolve_db

LAPORGUB_COLUMNS = (
    "No Aduan", "Tanggal Masuk", "Kanal", "Kategori", "Kabupaten/Kota", "Kecamatan", "Judul",
    "Uraian", "Nama Pelapor", "No HP", "Disposisi", "Status", "Tanggal Tanggapan",
    "Tanggal Selesai", "Penilaian",
)  # fmt: skip
LAPORGUB_CHANNEL = {"web": "Website", "whatsapp": "WhatsApp", "x": "Twitter",
                    "instagram": "Instagram", "facebook": "Facebook", "app": "Aplikasi",
                    "phone": "Telepon"}  # fmt: skip
LAPORGUB_STATUS = ("Belum Diproses", "Belum Diproses", "Diproses", "Selesai", "Ditolak")


def slug(name: str) -> str:
    return name.lower().replace("kabupaten ", "kab_").replace("kota ", "kota_").replace(" ", "_")


def write_province_files(
    demo: ProvinceDemo, workdir: Path, params: DemoParams | None = None
) -> list[tuple[Path, str, str]]:
    """Write every export; returns (path, source, region) in load order."""
    params = params or DemoParams()
    workdir.mkdir(parents=True, exist_ok=True)
    files: list[tuple[Path, str, str]] = []
    code = demo.province.code
    lapor = [(r, r.complaints[r.complaints["channel"] == "lapor"]) for r in demo.regions]
    for k, gen in enumerate(export_dates(demo.first_day, demo.end, params)):
        t = np.datetime64(gen, "s")
        parts = [
            lapor_rows(rows[rows["created_at"].to_numpy() < t], t, r.config, r.agencies, 0.0,
                       indonesian=k % 2 == 1)
            for r, rows in lapor
        ]  # fmt: skip
        out = pd.concat(parts, ignore_index=True).sort_values("Tracking ID", kind="stable")
        path = workdir / f"laporan_ringkas_{demo.key}_{gen.isoformat()}.csv"
        period = (demo.first_day.isoformat(), (gen - dt.timedelta(days=1)).isoformat())
        write_lapor_file(path, out, t, period, f"Pemerintah {demo.province.name}")
        files.append((path, "lapor", code))
    t_end = np.datetime64(demo.end + dt.timedelta(days=1), "s")
    for r in demo.regions:
        own = r.complaints[~r.complaints["channel"].isin(["lapor"])]
        path = workdir / f"aduan_{slug(r.region.name)}_{demo.end.isoformat()}.csv"
        write_generic(path, own, t_end, r.agencies, r.region.level == "kabupaten", 0.0)
        files.append((path, "generic", r.region.code))
    for r in demo.regions:
        path = workdir / f"layanan_{slug(r.region.name)}_{demo.end.isoformat()}.csv"
        write_services(path, r.services, t_end, r.agencies, True, 0.0)
        files.append((path, "generic_services", r.region.code))
    path = workdir / f"laporgub_{demo.key}_{demo.end.isoformat()}.csv"
    write_laporgub(path, demo.laporgub, t_end, demo.laporgub_agencies)
    files.append((path, "laporgub", code))
    return files


def write_laporgub(path: Path, df: pd.DataFrame, t: np.datetime64, agencies: dict) -> int:
    """The LaporGub! export with each complaint's state at ``t`` (columns of laporgub.toml)."""
    state, agency, _ = state_at(df, t)
    resp = df["first_response_at"].to_numpy()
    closed = df["closed_at"].to_numpy()
    done = ~np.isnat(closed) & (closed <= t) & (state >= 3)
    rating = df["satisfaction"].astype("float").to_numpy()
    u = df["u"].to_numpy()
    out = pd.DataFrame(
        {
            "No Aduan": ["LG-" + str(s).zfill(7) for s in df["seq"]],
            "Tanggal Masuk": fmt_local(df["created_at"].to_numpy(), 0.0),
            "Kanal": df["channel"].map(LAPORGUB_CHANNEL).to_numpy(),
            "Kategori": df["category"].to_numpy(),
            "Kabupaten/Kota": df["kabkota"].to_numpy(),
            "Kecamatan": df["district"].to_numpy(),
            "Judul": df["title"].to_numpy(),
            "Uraian": ("Mohon ditindaklanjuti: " + df["title"]).to_numpy(),
            "Nama Pelapor": np.where(u < 0.85, df["reporter_name"].to_numpy(), ""),
            "No HP": np.where(u < 0.7, df["reporter_phone"].to_numpy(), ""),
            "Disposisi": [agencies[a][0] if a else "" for a in agency],
            "Status": np.array(LAPORGUB_STATUS)[state],
            "Tanggal Tanggapan": fmt_local(
                np.where(~np.isnat(resp) & (resp <= t), resp, np.datetime64("NaT")), 0.0
            ),
            "Tanggal Selesai": fmt_local(np.where(done, closed, np.datetime64("NaT")), 0.0),
            "Penilaian": [
                str(int(r)) if r == r and ok and s == 3 else ""
                for r, ok, s in zip(rating, done, state, strict=True)
            ],
        },
        columns=list(LAPORGUB_COLUMNS),
    )
    out.to_csv(path, index=False, encoding="utf-8")
    return len(out)


def build_province(
    db=None,
    province: str = "jateng",
    weeks: int = 52,
    seed: int = 7,
    end: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    workdir=None,
    params: DemoParams | None = None,
    only: list[str] | None = None,
) -> dict:
    """Generate the province, write its exports and load them through ``etl.load``; the new
    database replaces ``db`` at the end (a database holding real data is refused).

    ``only``: just these kab/kota codes (tests); LaporGub! then disposes to them alone."""
    from etl.load import load_file
    from etl.meta import set_meta
    from etl.store import writer_lock

    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    target = resolve_db(db)
    if _existing_is_real(target):
        raise ValueError(f"{target} holds real (non-demo) data; give another --db for the demo")
    say(f"Generating the province demo {province} ({weeks} weeks, seed {seed})")
    demo = generate_province(province, weeks, seed, end, params, only)
    t_gen = time.perf_counter()
    scratch = None if workdir else tempfile.TemporaryDirectory(prefix="kinerja-province-")
    work = Path(workdir) if workdir else Path(scratch.name)
    say("Writing raw export files")
    files = write_province_files(demo, work, params)
    t_write = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.demo-{os.getpid()}")
    _remove_db(tmp)
    zone = demo.province.timezone
    as_of = dt.datetime.combine(demo.end + dt.timedelta(days=1), dt.time(0), ZoneInfo(zone))
    tmp.with_name(tmp.name + ".salt").write_text(demo_salt(province, seed))
    totals: dict[str, list[int]] = {}
    try:
        for i, (path, source, region) in enumerate(files, start=1):
            say(f"Loading file {i}/{len(files)}: {path.name}")
            exported = None if source == "lapor" else as_of
            s = load_file(
                path, db=tmp, source=source, exported_at=exported, region=region, refresh_kpi=False
            )
            got = totals.setdefault(source, [0, 0, 0])
            got[0], got[1], got[2] = got[0] + 1, got[1] + s.read, got[2] + s.quarantined
        set_meta(
            tmp,
            {
                "city": province,
                "home_region": demo.province.code,
                "is_demo": "true",
                "demo_seed": str(seed),
                "demo_generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        with writer_lock(target):
            os.replace(tmp, target)
            salt = tmp.with_name(tmp.name + ".salt")
            if salt.exists():
                os.replace(salt, target.with_name(target.name + ".salt"))
    finally:
        _remove_db(tmp)
        if scratch is not None:
            scratch.cleanup()
    t_load = time.perf_counter()
    say("Province demo ready")
    n_c = sum(len(r.complaints) for r in demo.regions) + len(demo.laporgub)
    return {
        "db": str(target),
        "province": province,
        "weeks": weeks,
        "seed": seed,
        "first_day": demo.first_day.isoformat(),
        "end": demo.end.isoformat(),
        "n_regions": len(demo.regions),
        "n_complaints": n_c,
        "n_laporgub": len(demo.laporgub),
        "n_services": sum(len(r.services) for r in demo.regions),
        "n_files": len(files),
        "db_bytes": target.stat().st_size,
        "loads": {k: {"files": v[0], "read": v[1], "quarantined": v[2]} for k, v in totals.items()},
        "seconds": {
            "generate": round(t_gen - t0, 2),
            "write": round(t_write - t_gen, 2),
            "load": round(t_load - t_write, 2),
            "total": round(t_load - t0, 2),
        },
    }
