"""Build the demo city: generate a synthetic city, write its raw exports, load them via the ETL.

The demo proves the pipeline: nothing is written to the warehouse directly. Files go to
``workdir``; ``etl.load.load_file`` loads each into a fresh database beside the target, which then
replaces the target in one ``os.replace()`` so the app never sees a half-built demo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from etl.demo.calendar import WorkCalendar
from etl.demo.complaints import generate_complaints
from etl.demo.files import write_files
from etl.demo.geo import load_kelurahan
from etl.demo.params import CITY_AGENCIES, CORE_AGENCIES, DemoParams
from etl.demo.services import generate_services
from kinerja.paths import CITIES_DIR, CONFIG_DIR, resolve_db


@dataclass
class DemoCity:
    """Everything generated for one demo city, before any file is written."""

    city: str
    config: dict
    agencies: dict[str, tuple[str, str, int]]
    first_day: dt.date
    end: dt.date
    complaints: pd.DataFrame
    services: pd.DataFrame


def default_end(today: dt.date) -> dt.date:
    """The Sunday ending the last complete ISO week before ``today``."""
    return today - dt.timedelta(days=today.weekday() + 1)


def load_city(city: str) -> dict:
    """The city preset (``config/cities/<city>.toml``); it must name districts and categories."""
    path = CITIES_DIR / f"{city}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in CITIES_DIR.glob("*.toml")))
        raise ValueError(f"unknown demo city {city!r}; presets: {known}")
    cfg = tomllib.loads(path.read_text(encoding="utf-8"))
    if not cfg.get("districts", {}).get("population") or not cfg.get("sla", {}).get(
        "category_class"
    ):
        raise ValueError(f"{path.name} has no district populations or categories for a demo")
    return cfg


def agency_table(city: str, districts: list[str]) -> dict[str, tuple[str, str, int]]:
    """Agency key -> (name, short name, LAPOR! id): core offices, city offices, kecamatan."""
    out = dict(CORE_AGENCIES) | CITY_AGENCIES.get(city, {})
    for i, d in enumerate(sorted(districts)):
        out[f"kec:{d}"] = (f"Kecamatan {d}", f"Kec. {d}", 201 + i)
    return out


def generate_city(
    city: str = "semarang",
    weeks: int = 104,
    seed: int = 7,
    end: dt.date | None = None,
    params: DemoParams | None = None,
) -> DemoCity:
    """Generate complaints and service applications (pure: same arguments, same frames)."""
    params = params or DemoParams()
    if not 1 <= int(weeks) <= 520:
        raise ValueError(f"weeks must be between 1 and 520, not {weeks}")
    if isinstance(end, str):
        end = dt.date.fromisoformat(end)
    cfg = load_city(city)
    zone = ZoneInfo(cfg["city"]["timezone"])
    end = end or default_end(dt.datetime.now(zone).date())
    first_day = end - dt.timedelta(days=7 * weeks - 1)
    cal = WorkCalendar(
        first_day - dt.timedelta(days=7),
        end + dt.timedelta(days=3 * 366),
        cfg["city"].get("country", "ID"),
    )
    kel = load_kelurahan(cfg["city"]["geo_kelurahan"])
    agencies = agency_table(city, sorted({k.kecamatan for k in kel}))
    keys = {k for k in agencies if not k.startswith("kec:")}
    complaints = generate_complaints(cal, first_day, end, cfg, kel, keys, params, seed)
    complaints["seq"] = complaints.groupby("channel").cumcount() + 1
    standards = tomllib.loads((CONFIG_DIR / "service_standards.toml").read_text("utf-8"))
    services = generate_services(cal, first_day, end, cfg, standards["standards"], params, seed)
    return DemoCity(city, cfg, agencies, first_day, end, complaints, services)


def demo_salt(name: str, seed: int) -> str:
    """Fake reporters only: a salt derived from the seed keeps a demo database deterministic."""
    return hashlib.sha256(f"kinerja-demo-{name}-{seed}".encode()).hexdigest()[:32]


def _existing_is_real(path: Path) -> bool:
    """True when ``path`` is a warehouse that is not a demo (never overwrite real data)."""
    if not path.exists():
        return False
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        rows = con.execute("SELECT value FROM wh.meta WHERE key = 'is_demo'").fetchall()
        n = con.execute(
            "SELECT (SELECT count(*) FROM wh.complaints) + (SELECT count(*) FROM wh.services)"
        ).fetchall()[0][0]
    except duckdb.Error:
        return True
    finally:
        con.close()
    return n > 0 and not (rows and rows[0][0] == "true")


def build_demo(
    db=None,
    city: str = "semarang",
    weeks: int = 104,
    seed: int = 7,
    end: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    workdir=None,
    params: DemoParams | None = None,
) -> dict:
    """Generate the demo city, write its raw exports and load them through ``etl.load``.

    The database is built beside ``db`` and replaces it at the end (a previous demo is replaced;
    a database holding real data is refused). Returns counts, the files and the timings.
    """
    from etl.load import load_file
    from etl.meta import set_meta
    from etl.store import writer_lock

    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    target = resolve_db(db)
    if _existing_is_real(target):
        raise ValueError(f"{target} holds real (non-demo) data; give another --db for the demo")
    say(f"Generating the demo city {city} ({weeks} weeks, seed {seed})")
    demo = generate_city(city, weeks, seed, end, params)
    t_gen = time.perf_counter()
    scratch = None if workdir else tempfile.TemporaryDirectory(prefix="kinerja-demo-")
    work = Path(workdir) if workdir else Path(scratch.name)
    zone = demo.config["city"]["timezone"]
    region = demo.config["city"].get("region_code")
    # The exports are written in the city's own local time (WITA for Bontang) and loaded with
    # that zone, as a clerk there would run `etl load --tz Asia/Makassar`.
    say("Writing raw export files")
    files = write_files(demo, work, params)
    t_write = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.demo-{os.getpid()}")
    _remove_db(tmp)
    as_of = dt.datetime.combine(demo.end + dt.timedelta(days=1), dt.time(0), ZoneInfo(zone))
    tmp.with_name(tmp.name + ".salt").write_text(demo_salt(city, seed))
    totals = {"lapor": [0, 0, 0], "generic": [0, 0, 0], "generic_services": [0, 0, 0]}
    try:
        for i, (path, source) in enumerate(files, start=1):
            say(f"Loading file {i}/{len(files)}: {path.name}")
            exported = None if source == "lapor" else as_of
            s = load_file(
                path,
                db=tmp,
                source=source,
                exported_at=exported,
                timezone=zone,
                region=region,
                refresh_kpi=False,  # built once, by set_meta below
            )
            totals[source][0] += 1
            totals[source][1] += s.read
            totals[source][2] += s.quarantined
        set_meta(
            tmp,
            {
                "city": city,
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
        if scratch is not None:  # the raw files were only a means to load
            scratch.cleanup()
    t_load = time.perf_counter()
    say("Demo city ready")
    return {
        "db": str(target),
        "city": city,
        "weeks": weeks,
        "seed": seed,
        "first_day": demo.first_day.isoformat(),
        "end": demo.end.isoformat(),
        "n_complaints": len(demo.complaints),
        "n_services": len(demo.services),
        "n_files": len(files),
        "workdir": str(work) if workdir else None,
        "loads": {k: {"files": v[0], "read": v[1], "quarantined": v[2]} for k, v in totals.items()},
        "seconds": {
            "generate": round(t_gen - t0, 2),
            "write": round(t_write - t_gen, 2),
            "load": round(t_load - t_write, 2),
            "total": round(t_load - t0, 2),
        },
    }


def _remove_db(path: Path) -> None:
    for p in (
        path,
        path.with_name(path.name + ".wal"),
        path.with_name(path.name + ".lock"),
        path.with_name(path.name + ".salt"),
    ):
        if p.exists():
            p.unlink()
