"""The province demo: Provinsi Jawa Tengah, 35 kabupaten/kota and the provincial channel.

Each kab/kota is generated like the demo city (``etl.demo.complaints``), with its BPS/Kemendagri
name and code, its real kecamatan, a volume scaled to its population (kota complain more per
resident than kabupaten, Semarang most) and the differences a governor would want to spot: two
regions clearly faster, two clearly slower, one that reforms mid-period, and the rainy-season
flooding (rob and banjir) of the north coast (Pantura). LaporGub!, the provincial channel
(about 23,000 complaints a year in 2022), disposes complaints to provincial OPD (region 33) or
to the kab/kota government (the kab/kota's region).

Files, as the province's operators would receive them: SP4N-LAPOR! "Laporan Ringkas" exports of
the whole province (one every few weeks, then weekly; "Instansi Induk" says each row's region),
one export of each kab/kota's own desks and one of its service applications, and one LaporGub
export. All are loaded through ``etl.load.load_file`` like any file (see ``build_province``).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.demo.build import agency_table, default_end, load_city
from etl.demo.calendar import WorkCalendar
from etl.demo.complaints import generate_complaints
from etl.demo.geo import Kelurahan, load_kelurahan
from etl.demo.params import CORE_AGENCIES, DemoParams
from etl.demo.services import generate_services
from kinerja import regions
from kinerja.paths import DATA_DIR, GEO_DIR
from kinerja.regions import Region

PROVINCES = {"jateng": "33"}
KECAMATAN_FILE = DATA_DIR / "regions" / "kecamatan_33.csv"

# Complaints per 100,000 residents a week through a region's own desks and SP4N-LAPOR!
# (Semarang, the provincial capital, is the demo city's 22).
RATE = {"kota": 12.0, "kabupaten": 4.5}
OWN_RATE = {"33.74": 22.0, "33.72": 16.0}
# Regions a governor should notice: delays multiply by the factor (below 1: faster).
SKILL = {"33.72": 0.45, "33.19": 0.55, "33.29": 2.4, "33.15": 2.1}
IMPROVING = "33.27"  # Kabupaten Pemalang: a reform halfway through the period
# Pantura, the north coast: tidal flooding (rob) and river floods in the rainy season.
NORTH_COAST = {
    "33.29", "33.28", "33.76", "33.27", "33.26", "33.75", "33.25", "33.24",
    "33.74", "33.21", "33.20", "33.18", "33.17",
}  # fmt: skip
LAPORGUB_PER_100K_WEEK = 23_000 / 52 / 38_430_645 * 100_000  # ~1.15
SERVICES_SCALE = 0.12  # the province demo shows fewer applications per resident than the city

# Provincial OPD (Organisasi Perangkat Daerah Provinsi Jawa Tengah) that LaporGub! disposes to.
PROVINCE_AGENCIES: dict[str, tuple[str, str, int]] = {
    "dpubmck": (
        "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya Provinsi Jawa Tengah",
        "DPU BMCK",
        301,
    ),
    "psda": ("Dinas Pekerjaan Umum Sumber Daya Air dan Penataan Ruang Provinsi Jawa Tengah",
             "PUSDATARU", 302),
    "dlhk": ("Dinas Lingkungan Hidup dan Kehutanan Provinsi Jawa Tengah", "DLHK", 303),
    "dishub": ("Dinas Perhubungan Provinsi Jawa Tengah", "Dishub Prov", 304),
    "dinkes": ("Dinas Kesehatan Provinsi Jawa Tengah", "Dinkes Prov", 305),
    "disdikbud": ("Dinas Pendidikan dan Kebudayaan Provinsi Jawa Tengah", "Disdikbud", 306),
    "dinsos": ("Dinas Sosial Provinsi Jawa Tengah", "Dinsos Prov", 307),
    "bpbd": ("Badan Penanggulangan Bencana Daerah Provinsi Jawa Tengah", "BPBD Prov", 308),
    "satpol": ("Satuan Polisi Pamong Praja Provinsi Jawa Tengah", "Satpol PP Prov", 309),
    "bapenda": ("Badan Pendapatan Daerah Provinsi Jawa Tengah", "Bapenda Prov", 310),
    "disnakertrans": ("Dinas Tenaga Kerja dan Transmigrasi Provinsi Jawa Tengah", "Disnakertrans",
                      311),
    "dpmptsp": ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa Tengah",
                "DPMPTSP Prov", 312),
}  # fmt: skip
# LaporGub!: category -> [(provincial OPD, weight)], "@kec" = the kab/kota government.
LAPORGUB_ROUTING: dict[str, list[tuple[str, float]]] = {
    "Banjir dan Genangan": [("psda", 0.35), ("bpbd", 0.15), ("@kec", 0.5)],
    "Drainase dan Saluran": [("psda", 0.2), ("@kec", 0.8)],
    "Jalan Rusak": [("dpubmck", 0.45), ("@kec", 0.55)],
    "Penerangan Jalan Umum": [("dishub", 0.2), ("@kec", 0.8)],
    "Sampah dan Kebersihan": [("dlhk", 0.1), ("@kec", 0.9)],
    "Pencemaran Lingkungan": [("dlhk", 0.6), ("@kec", 0.4)],
    "Lalu Lintas dan Parkir": [("dishub", 0.4), ("@kec", 0.6)],
    "Ketertiban Umum dan PKL": [("satpol", 0.2), ("@kec", 0.8)],
    "Air Bersih": [("@kec", 1.0)],
    "Layanan Kesehatan": [("dinkes", 0.4), ("@kec", 0.6)],
    "Administrasi Kependudukan": [("@kec", 1.0)],
    "Perizinan": [("dpmptsp", 0.3), ("@kec", 0.7)],
    "Pendidikan": [("disdikbud", 0.7), ("@kec", 0.3)],  # SMA/SMK are the province's
    "Bantuan Sosial": [("dinsos", 0.4), ("@kec", 0.6)],
    "Bangunan dan Tata Ruang": [("psda", 0.2), ("@kec", 0.8)],
    "Pohon dan Taman": [("@kec", 1.0)],
    "Kebakaran dan Bencana": [("bpbd", 0.5), ("@kec", 0.5)],
    "Perumahan dan Permukiman": [("@kec", 1.0)],
    "Ketenagakerjaan": [("disnakertrans", 0.7), ("@kec", 0.3)],
    "Pasar dan Perdagangan": [("@kec", 1.0)],
    "Pajak Daerah": [("bapenda", 0.8), ("@kec", 0.2)],  # motor vehicle tax (Samsat)
    "Lainnya": [("dpubmck", 0.1), ("@kec", 0.9)],
}
LAPORGUB_MIX = {"web": 0.3, "whatsapp": 0.3, "x": 0.1, "instagram": 0.12, "facebook": 0.08,
                "app": 0.05, "phone": 0.05}  # fmt: skip


@dataclass
class RegionDemo:
    """One kab/kota of the province demo, generated."""

    region: Region
    config: dict
    agencies: dict[str, tuple[str, str, int]]
    complaints: pd.DataFrame
    services: pd.DataFrame


@dataclass
class ProvinceDemo:
    """The whole province: its kab/kota and the LaporGub! complaints."""

    province: Region
    key: str
    config: dict
    first_day: dt.date
    end: dt.date
    regions: list[RegionDemo]
    laporgub: pd.DataFrame
    laporgub_agencies: dict[str, tuple[str, str, int]]


def kecamatan(code: str) -> list[str]:
    """The kecamatan names of a kab/kota (``data/regions/kecamatan_33.csv``), sorted."""
    with KECAMATAN_FILE.open(encoding="utf-8", newline="") as fh:
        return sorted(r["name"] for r in csv.DictReader(fh) if r["region_code"] == code)


def kabkota_geometry() -> dict[str, dict]:
    """Kab/kota code -> boundary geometry (``data/geo/jateng_kabkota.geojson``)."""
    doc = json.loads((GEO_DIR / "jateng_kabkota.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["kode"]: f["geometry"] for f in doc["features"]}


def region_config(prov: dict, region: Region, rng: np.random.Generator) -> tuple[dict, list]:
    """A city-like config for one kab/kota and its places (kelurahan, or one place per
    kecamatan inside the kab/kota boundary when no kelurahan boundaries are at hand)."""
    if region.preset and region.preset not in PROVINCES:
        own = load_city(region.preset)  # Kota Semarang: its real kelurahan and populations
        kel = load_kelurahan(own["city"]["geo_kelurahan"])
        cfg = {**own, "sla": prov["sla"]}
        return cfg, kel
    names = kecamatan(region.code)
    share = rng.dirichlet(np.full(len(names), 4.0))
    pop = {n: int(s * (region.population or 100_000)) for n, s in zip(names, share, strict=True)}
    coast = region.code in NORTH_COAST
    low = [n for n in names if rng.random() < (0.55 if coast else 0.08)]
    cfg = {
        "city": {"name": region.name, "province": "Jawa Tengah", "timezone": region.timezone},
        "districts": {"population": pop, "low_lying": low},
        "sla": prov["sla"],
    }
    geom = kabkota_geometry()[region.code]
    return cfg, [Kelurahan(n, n, geom) for n in names]


def region_params(base: DemoParams, region: Region) -> DemoParams:
    """The generator knobs of one kab/kota: volume, skill, reform, flooding, channels."""
    rate = OWN_RATE.get(region.code, RATE.get(region.level, 4.5))
    start, end = dict(base.channel_mix_start), dict(base.channel_mix_end)
    start["laporgub"] = end["laporgub"] = 0.0  # LaporGub! is generated province-wide
    if region.level == "kabupaten":  # the head of a kabupaten is a bupati
        start["bupati"], end["bupati"] = start.pop("walikota"), end.pop("walikota")
    coast = region.code in NORTH_COAST
    return dataclasses.replace(
        base,
        complaints_per_100k_week=rate,
        channel_mix_start=start,
        channel_mix_end=end,
        skill_factor=SKILL.get(region.code, 1.0),
        improving_everyone=region.code == IMPROVING,
        improving_factor=0.35 if region.code == IMPROVING else base.improving_factor,
        storm_multiplier=4.0 if coast else 2.0,
        storm_day_probability=0.12 if coast else 0.05,
        slow_agency=base.slow_agency if region.code == "33.74" else "",
        improving_agency=base.improving_agency if region.code == "33.74" else "",
        services_scale=SERVICES_SCALE,
        flawed_rows=False,
    )


def local_agencies(region: Region, districts: list[str]) -> dict[str, tuple[str, str, int]]:
    """The OPD of a kab/kota (the water utility and hospital named after it) and its kecamatan."""
    out = agency_table("semarang" if region.code == "33.74" else "", districts)
    short = region.name.replace("Kabupaten ", "Kab. ")
    out.setdefault("pdam", (f"Perumda Air Minum {short}", "PDAM", 109))
    out.setdefault("rsud", (f"RSUD {short}", "RSUD", 119))
    return out


def generate_province(
    province: str = "jateng",
    weeks: int = 52,
    seed: int = 7,
    end: dt.date | None = None,
    params: DemoParams | None = None,
    only: list[str] | None = None,
) -> ProvinceDemo:
    """Generate every kab/kota and the LaporGub! complaints (pure: same arguments, same data).

    ``only``: generate just these kab/kota codes (tests).
    """
    if province not in PROVINCES:
        raise ValueError(f"unknown province {province!r}; known: {', '.join(PROVINCES)}")
    if not 1 <= int(weeks) <= 260:
        raise ValueError(f"weeks must be between 1 and 260, not {weeks}")
    params = params or DemoParams()
    prov = regions.get(PROVINCES[province])
    cfg = load_city_province(province)
    end = end or default_end(dt.date.today())
    first_day = end - dt.timedelta(days=7 * weeks - 1)
    cal = WorkCalendar(first_day - dt.timedelta(days=7), end + dt.timedelta(days=3 * 366), "ID")
    kabkota = [r for r in regions.children(prov.code) if not only or r.code in only]
    out: list[RegionDemo] = []
    for i, region in enumerate(kabkota):
        rng = np.random.default_rng([seed, 11, i])
        rcfg, places = region_config(cfg, region, rng)
        p = region_params(params, region)
        districts = sorted({k.kecamatan for k in places})
        agencies = local_agencies(region, districts)
        keys = {k for k in agencies if not k.startswith("kec:")}
        c = generate_complaints(cal, first_day, end, rcfg, places, keys, p, seed * 1000 + i)
        if region.preset is None:  # one place per kecamatan: no kelurahan to name
            c["village"] = None
        c["seq"] = c.groupby("channel").cumcount() + 1
        standards = _standards()
        s = generate_services(cal, first_day, end, rcfg, standards, p, seed * 1000 + i)
        out.append(RegionDemo(region, rcfg, agencies, c, s))
    _renumber_lapor(out)
    lg, lg_agencies = _laporgub(cal, first_day, end, cfg, kabkota, params, seed)
    return ProvinceDemo(prov, province, cfg, first_day, end, out, lg, lg_agencies)


def load_city_province(province: str) -> dict:
    """The province preset (``config/cities/<province>.toml``)."""
    import tomllib

    from kinerja.paths import CITIES_DIR

    return tomllib.loads((CITIES_DIR / f"{province}.toml").read_text(encoding="utf-8"))


def _standards() -> dict[str, int]:
    import tomllib

    from kinerja.paths import CONFIG_DIR

    doc = tomllib.loads((CONFIG_DIR / "service_standards.toml").read_text("utf-8"))
    return doc["standards"]


def _renumber_lapor(demos: list[RegionDemo]) -> None:
    """SP4N-LAPOR! tracking ids are national: number the province's complaints in order."""
    frames = [(i, d.complaints) for i, d in enumerate(demos)]
    stamps = np.concatenate(
        [c.loc[c["channel"] == "lapor", "created_at"].to_numpy() for _, c in frames]
    )
    owner = np.concatenate([np.full((c["channel"] == "lapor").sum(), i) for i, c in frames])
    order = np.argsort(stamps, kind="stable")
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = 5_100_000 + np.arange(len(order)) * 3 + 1
    for i, c in frames:
        mask = (c["channel"] == "lapor").to_numpy()
        c.loc[mask, "lapor_id"] = ids[owner == i]


def _laporgub(cal, first_day, end, cfg, kabkota: list[Region], params, seed):
    """LaporGub! complaints: located in a kab/kota (by population), disposed to a provincial
    OPD or to the kab/kota government (``kec:<name>`` is the kab/kota here)."""
    names = {r.name: r for r in kabkota}
    geom = kabkota_geometry()
    city = {
        "city": {"name": "Provinsi Jawa Tengah", "province": "", "timezone": "Asia/Jakarta"},
        "districts": {
            "population": {r.name: r.population or 0 for r in kabkota},
            "low_lying": [r.name for r in kabkota if r.code in NORTH_COAST],
        },
        "sla": cfg["sla"],
    }
    places = [Kelurahan(r.name, r.name, geom[r.code]) for r in kabkota]
    mix = dict.fromkeys(params.channel_mix_start, 0.0) | LAPORGUB_MIX
    p = dataclasses.replace(
        params,
        complaints_per_100k_week=LAPORGUB_PER_100K_WEEK,
        channel_mix_start=mix,
        channel_mix_end=mix,
        routing=LAPORGUB_ROUTING,
        slow_agency="",
        improving_agency="",
        unassigned_share=0.0,
    )
    agencies = dict(PROVINCE_AGENCIES)
    for i, r in enumerate(kabkota):
        agencies[f"kec:{r.name}"] = (f"Pemerintah {r.name}", r.name, 400 + i)
    c = generate_complaints(cal, first_day, end, city, places, set(PROVINCE_AGENCIES), p, seed)
    c["kabkota"] = c["district"]
    c["region_code"] = c["kabkota"].map({n: r.code for n, r in names.items()})
    rng = np.random.default_rng([seed, 12])
    kec = {r.code: kecamatan(r.code) for r in kabkota}
    c["district"] = [
        kec[code][int(u * len(kec[code]))] if kec[code] else None
        for code, u in zip(c["region_code"], rng.random(len(c)), strict=True)
    ]
    c["village"] = None
    c["seq"] = np.arange(1, len(c) + 1)
    return c, agencies


__all__ = ["ProvinceDemo", "RegionDemo", "generate_province", "PROVINCES", "CORE_AGENCIES"]
