"""Synthetic public-service applications (population documents, permits) per service type.

Durations are drawn so that each type's on-time rate against its published standard
(``config/service_standards.toml``) is realistic: population documents mostly same or next day,
building permits (PBG) often late, and a KTP-el blank-card shortage that hurts for a few weeks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from etl.demo.calendar import WorkCalendar
from etl.demo.exports import fmt_local
from etl.demo.params import DemoParams

NAT = np.datetime64("NaT", "s")

# Service type -> (id prefix, agency key, applications per 100k residents a week, on-time rate).
SERVICE_TYPES: dict[str, tuple[str, str, float, float]] = {
    "KTP-el": ("KTP", "dukcapil", 7.0, 0.86),
    "Kartu Keluarga": ("KK", "dukcapil", 5.0, 0.9),
    "Akta Kelahiran": ("AKL", "dukcapil", 3.0, 0.93),
    "Akta Kematian": ("AKM", "dukcapil", 1.2, 0.95),
    "Surat Pindah": ("SPN", "dukcapil", 1.8, 0.9),
    "Kartu Identitas Anak": ("KIA", "dukcapil", 2.0, 0.88),
    "Persetujuan Bangunan Gedung (PBG)": ("PBG", "dpmptsp", 0.5, 0.55),
    "Sertifikat Laik Fungsi (SLF)": ("SLF", "dpmptsp", 0.15, 0.7),
    "Izin Reklame": ("REK", "dpmptsp", 0.4, 0.8),
    "Surat Izin Praktik Tenaga Kesehatan": ("SIP", "dpmptsp", 0.3, 0.85),
    "Izin Usaha Mikro Kecil": ("IUMK", "dpmptsp", 1.0, 0.92),
    "Nomor Induk Berusaha (NIB)": ("NIB", "dpmptsp", 2.5, 0.97),
}
WEEKDAY = np.array([1.5, 1.3, 1.2, 1.2, 1.0, 0.5, 0.3])
CHANNELS_START = {"walk-in": 0.55, "mpp": 0.15, "web": 0.2, "app": 0.1}
CHANNELS_END = {"walk-in": 0.35, "mpp": 0.2, "web": 0.25, "app": 0.2}
SIGMA = 0.6
REJECT_SHARE = 0.03
STUCK_SHARE = 0.01


def generate_services(
    cal: WorkCalendar,
    first_day: dt.date,
    last_day: dt.date,
    city: dict,
    standards: dict[str, int],
    params: DemoParams,
    seed: int,
) -> pd.DataFrame:
    """One row per application received from ``first_day`` to ``last_day`` (local dates)."""
    rng = np.random.default_rng([seed, 2])
    pop = city["districts"]["population"]
    districts = sorted(pop)
    dist_p = np.array([pop[d] for d in districts], dtype=float)
    first, last = (first_day - cal.start).days, (last_day - cal.start).days + 1
    day_f = WEEKDAY[cal.weekday[first:last]] / 7 * np.where(cal.is_holiday[first:last], 0.3, 1.0)
    frames = []
    for stype, (prefix, agency, rate, on_time) in SERVICE_TYPES.items():
        if stype not in standards:
            continue
        lam = rate * params.services_scale * dist_p.sum() / 1e5 * day_f
        counts = rng.poisson(lam)
        day = np.repeat(np.arange(first, last), counts)
        n = len(day)
        secs = rng.integers(int(7.5 * 3600), 15 * 3600, n)
        submitted = np.sort(cal.days[day].astype("datetime64[s]") + secs.astype("timedelta64[s]"))
        frac = (np.sort(day) - first) / max(last - first - 1, 1)
        ok = np.full(n, on_time)
        if stype == "KTP-el":
            lo = params.ktp_shortage_at
            hi = lo + params.ktp_shortage_weeks * 7 / max(last - first, 1)
            ok = np.where((frac >= lo) & (frac < hi), 0.45, ok)
        bound = standards[stype] + 0.5
        z = np.array([NormalDist().inv_cdf(p) for p in ok])
        wd = np.exp(np.log(bound) - SIGMA * z + SIGMA * rng.standard_normal(n))
        completed = cal.add_working_days(submitted, wd)
        stuck = rng.random(n) < STUCK_SHARE
        rejected = (rng.random(n) < REJECT_SHARE) & ~stuck
        a = np.array(list(CHANNELS_START.values()))
        b = np.array(list(CHANNELS_END.values()))
        p = a[None, :] + (b - a)[None, :] * frac[:, None]
        ch = (rng.random(n)[:, None] > p.cumsum(axis=1)).sum(axis=1).clip(0, len(a) - 1)
        frames.append(
            pd.DataFrame(
                {
                    "id": [f"{prefix}-{i + 1:06d}" for i in range(n)],
                    "service_type": stype,
                    "agency_key": agency,
                    "submitted_at": submitted,
                    "completed_at": np.where(stuck, NAT, completed),
                    "rejected": rejected,
                    "district": np.array(districts, dtype=object)[
                        rng.choice(len(districts), size=n, p=dist_p / dist_p.sum())
                    ],
                    "channel": np.array(list(CHANNELS_START), dtype=object)[ch],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def write_services(
    path: Path, df: pd.DataFrame, t: np.datetime64, agencies: dict, indonesian: bool, shift_h: float
) -> int:
    """One ``generic_services`` export of applications ``df`` with their status at ``t``."""
    done = df["completed_at"].to_numpy()
    finished = ~np.isnat(done) & (done <= t)
    rejected = df["rejected"].to_numpy() & finished
    words = ("baru", "selesai", "ditolak") if indonesian else ("open", "completed", "rejected")
    status = np.where(rejected, words[2], np.where(finished, words[1], words[0]))
    out = pd.DataFrame(
        {
            "id": df["id"].to_numpy(),
            "service_type": df["service_type"].to_numpy(),
            "agency": [agencies[a][0] for a in df["agency_key"]],
            "submitted_at": fmt_local(df["submitted_at"].to_numpy(), shift_h),
            "completed_at": fmt_local(np.where(finished, done, np.datetime64("NaT")), shift_h),
            "status": status,
            "district": df["district"].to_numpy(),
            "channel": df["channel"].to_numpy(),
        }
    )
    out.to_csv(path, index=False, encoding="utf-8")
    return len(out)
