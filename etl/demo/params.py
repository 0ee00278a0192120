"""Generator-only parameters of the demo city: agencies, routing, channel mix, realism knobs.

The city facts (districts, populations, low-lying districts, categories and SLA classes, service
standards) live in ``config/``; everything here only shapes the synthetic data. Each realism
effect the issue asks for has one named parameter so a demo can be tuned without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Agencies (OPD) common to both presets: key -> (full name, short name, LAPOR! numeric id).
CORE_AGENCIES: dict[str, tuple[str, str, int]] = {
    "dpu": ("Dinas Pekerjaan Umum", "DPU", 101),
    "dlh": ("Dinas Lingkungan Hidup", "DLH", 102),
    "dishub": ("Dinas Perhubungan", "Dishub", 103),
    "satpol": ("Satuan Polisi Pamong Praja", "Satpol PP", 104),
    "dinkes": ("Dinas Kesehatan", "Dinkes", 105),
    "dukcapil": ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", 106),
    "dpmptsp": (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        107,
    ),
    "disdik": ("Dinas Pendidikan", "Disdik", 108),
    "dinsos": ("Dinas Sosial", "Dinsos", 110),
    "bpbd": ("Badan Penanggulangan Bencana Daerah", "BPBD", 111),
    "damkar": ("Dinas Pemadam Kebakaran", "Damkar", 112),
    "disperkim": ("Dinas Perumahan dan Kawasan Permukiman", "Disperkim", 113),
    "distaru": ("Dinas Penataan Ruang", "Distaru", 114),
    "disnaker": ("Dinas Tenaga Kerja", "Disnaker", 115),
    "disdag": ("Dinas Perdagangan", "Disdag", 116),
    "bapenda": ("Badan Pendapatan Daerah", "Bapenda", 117),
    "kominfo": ("Dinas Komunikasi dan Informatika", "Diskominfo", 118),
}

# Per-city agencies: the water utility and hospital have local names; small cities add a few
# offices so that the agency list stays within the 25-35 a real city has.
CITY_AGENCIES: dict[str, dict[str, tuple[str, str, int]]] = {
    "semarang": {
        "pdam": ("Perumda Air Minum Tirta Moedal", "PDAM", 109),
        "rsud": ("RSUD K.R.M.T. Wongsonegoro", "RSUD", 119),
    },
    "bontang": {
        "pdam": ("Perumda Air Minum Tirta Taman", "PDAM", 109),
        "rsud": ("RSUD Taman Husada", "RSUD", 119),
        "dispar": ("Dinas Pariwisata", "Dispar", 120),
        "dispora": ("Dinas Pemuda dan Olahraga", "Dispora", 121),
        "diskop": ("Dinas Koperasi dan Usaha Mikro", "Diskop UM", 122),
        "dkp": ("Dinas Ketahanan Pangan", "DKP", 123),
    },
}

# Category -> [(agency key, weight)]; "@kec" is the complaint's own kecamatan office.
ROUTING: dict[str, list[tuple[str, float]]] = {
    "Banjir dan Genangan": [("dpu", 0.7), ("bpbd", 0.2), ("@kec", 0.1)],
    "Drainase dan Saluran": [("dpu", 0.85), ("@kec", 0.15)],
    "Jalan Rusak": [("dpu", 0.9), ("@kec", 0.1)],
    "Penerangan Jalan Umum": [("disperkim", 0.65), ("dishub", 0.35)],
    "Sampah dan Kebersihan": [("dlh", 0.85), ("@kec", 0.15)],
    "Pencemaran Lingkungan": [("dlh", 1.0)],
    "Lalu Lintas dan Parkir": [("dishub", 1.0)],
    "Ketertiban Umum dan PKL": [("satpol", 0.75), ("@kec", 0.25)],
    "Air Bersih": [("pdam", 1.0)],
    "Layanan Kesehatan": [("dinkes", 0.6), ("rsud", 0.4)],
    "Administrasi Kependudukan": [("dukcapil", 0.9), ("@kec", 0.1)],
    "Perizinan": [("dpmptsp", 1.0)],
    "Pendidikan": [("disdik", 1.0)],
    "Bantuan Sosial": [("dinsos", 0.8), ("@kec", 0.2)],
    "Bangunan dan Tata Ruang": [("distaru", 0.8), ("satpol", 0.2)],
    "Pohon dan Taman": [("disperkim", 0.6), ("dlh", 0.4)],
    "Kebakaran dan Bencana": [("damkar", 0.6), ("bpbd", 0.4)],
    "Perumahan dan Permukiman": [("disperkim", 1.0)],
    "Ketenagakerjaan": [("disnaker", 1.0)],
    "Pasar dan Perdagangan": [("disdag", 1.0)],
    "Pajak Daerah": [("bapenda", 1.0)],
    "Lainnya": [
        ("kominfo", 0.3),
        ("@kec", 0.5),
        ("dispar", 0.05),
        ("dispora", 0.05),
        ("diskop", 0.05),
        ("dkp", 0.05),
    ],
}

# Relative share of each category in a dry-season week.
CATEGORY_SHARE: dict[str, float] = {
    "Banjir dan Genangan": 4,
    "Drainase dan Saluran": 7,
    "Jalan Rusak": 11,
    "Penerangan Jalan Umum": 7,
    "Sampah dan Kebersihan": 12,
    "Pencemaran Lingkungan": 3,
    "Lalu Lintas dan Parkir": 6,
    "Ketertiban Umum dan PKL": 6,
    "Air Bersih": 6,
    "Layanan Kesehatan": 4,
    "Administrasi Kependudukan": 5,
    "Perizinan": 2,
    "Pendidikan": 3,
    "Bantuan Sosial": 4,
    "Bangunan dan Tata Ruang": 2,
    "Pohon dan Taman": 3,
    "Kebakaran dan Bencana": 1,
    "Perumahan dan Permukiman": 2,
    "Ketenagakerjaan": 1,
    "Pasar dan Perdagangan": 2,
    "Pajak Daerah": 2,
    "Lainnya": 5,
}

# Rainy-season multiplier amplitude per category (at the season's peak, low-lying districts).
RAIN_AMPLITUDE: dict[str, float] = {
    "Banjir dan Genangan": 5.0,
    "Drainase dan Saluran": 2.5,
    "Jalan Rusak": 1.2,
    "Pohon dan Taman": 0.6,
}

# Agency skill: median working days to first response and to resolution after it, the share
# never resolved (long tail), and the lognormal spread. Agencies not listed use "default".
SKILL: dict[str, dict[str, float]] = {
    "default": {"respond": 1.5, "resolve": 4.0, "stuck": 0.02, "sigma": 0.8},
    "damkar": {"respond": 0.1, "resolve": 0.6, "stuck": 0.002, "sigma": 0.6},
    "bpbd": {"respond": 0.2, "resolve": 1.5, "stuck": 0.005, "sigma": 0.6},
    "pdam": {"respond": 0.3, "resolve": 1.5, "stuck": 0.005, "sigma": 0.6},
    "dukcapil": {"respond": 0.4, "resolve": 1.2, "stuck": 0.005, "sigma": 0.6},
    "dpu": {"respond": 2.0, "resolve": 8.0, "stuck": 0.03, "sigma": 0.9},
    "distaru": {"respond": 3.5, "resolve": 20.0, "stuck": 0.08, "sigma": 1.0},
    "bapenda": {"respond": 2.5, "resolve": 9.0, "stuck": 0.05, "sigma": 0.9},
    "disperkim": {"respond": 3.0, "resolve": 12.0, "stuck": 0.05, "sigma": 1.0},
    "dlh": {"respond": 4.0, "resolve": 9.0, "stuck": 0.04, "sigma": 0.9},
}


@dataclass(frozen=True)
class DemoParams:
    """Every knob of the generator, with defaults that give a plausible Indonesian city."""

    complaints_per_100k_week: float = 22.0  # Semarang (1.69 M): ~370 a week
    weekday_factor: tuple[float, ...] = (1.35, 1.2, 1.1, 1.05, 0.95, 0.7, 0.65)  # Mon..Sun
    hour_weights: tuple[float, ...] = (
        1,
        0.6,
        0.4,
        0.3,
        0.5,
        1.5,
        3,
        5,
        8,
        9,
        9,
        8,
        6,
        7,
        7,
        6,
        5,
        4,
        4,
        4,
        4,
        3,
        2,
        1.5,
    )
    rain_peak_doy: int = 20  # rainy season Nov-Mar, wettest around late January
    rain_width_days: float = 55.0
    rain_offseason_share: float = 0.3  # higher ground gets this share of the surge
    storm_day_probability: float = 0.08  # rainy-season days with a flood event
    storm_multiplier: float = 3.0
    holiday_volume_factor: float = 0.5  # fewer complaints on holidays / cuti bersama
    ramadan_slowdown: float = 1.4  # response and resolution take longer in Ramadan
    channel_mix_start: dict[str, float] = field(
        default_factory=lambda: {
            "lapor": 0.22,
            "whatsapp": 0.20,
            "instagram": 0.06,
            "x": 0.07,
            "facebook": 0.07,
            "phone": 0.15,
            "web": 0.10,
            "app": 0.06,
            "walikota": 0.04,
            "laporgub": 0.03,
        }
    )
    channel_mix_end: dict[str, float] = field(
        default_factory=lambda: {
            "lapor": 0.18,
            "whatsapp": 0.32,
            "instagram": 0.13,
            "x": 0.05,
            "facebook": 0.04,
            "phone": 0.10,
            "web": 0.06,
            "app": 0.07,
            "walikota": 0.03,
            "laporgub": 0.02,
        }
    )
    reassign_share: float = 0.07  # first disposed to the wrong agency
    reassign_delay_days: float = 2.0  # working days lost by a reassignment
    reject_share: dict[str, float] = field(
        default_factory=lambda: {
            "spam": 0.02,
            "duplicate": 0.025,
            "not_authority": 0.015,
        }
    )
    social_spam_factor: float = 2.5  # x / instagram / facebook carry more spam
    reopen_share: float = 0.06
    rated_share: float = 0.55
    slow_agency: str = "disperkim"  # designated agency whose backlog grows
    slow_stuck_end: float = 0.45  # its never-resolved share by the end of the period
    slow_resolve_growth: float = 2.5  # its resolution time multiplies by this over the period
    improving_agency: str = "dlh"  # the agency that improves mid-period
    improving_factor: float = 0.15  # its response/resolution times shrink to this share
    improving_at: float = 0.5  # when (share of the period) the change happens
    unassigned_share: float = 0.03  # LAPOR! rows never disposed
    # LAPOR! exports: each holds the complaints of the last ``lapor_window_weeks`` weeks with
    # their status on its "Tanggal Generate". One every ``lapor_every_weeks`` weeks, then weekly
    # for the most recent weeks: the same overlap story with fewer loads (each load copies the
    # database, so the count of files sets much of the build time). The window covers the whole
    # period, as a clerk's "since the start" export does: a complaint that left a narrower window
    # while still open would only be seen closed in a much later export, and the KPI layer
    # estimates LAPOR! closing times from the first export that shows them closed.
    lapor_window_weeks: int = 520
    lapor_every_weeks: int = 4  # older exports: one every this many weeks ...
    lapor_weekly_recent_weeks: int = 8  # ... and weekly for the most recent weeks
    flawed_rows: bool = True  # a few broken rows in one desk export, for the quarantine
    services_scale: float = 1.0
    # Province demo (etl/demo/province.py): a region's agencies as a whole, and routing.
    skill_factor: float = 1.0  # response/resolution delays and stuck share multiply by this
    improving_everyone: bool = False  # the reform of ``improving_agency`` reaches every agency
    routing: dict | None = None  # category -> [(agency key, weight)]; None: ROUTING
    ktp_shortage_at: float = 0.35  # KTP-el blank-card shortage: on-time rate drops for a while
    ktp_shortage_weeks: int = 6
