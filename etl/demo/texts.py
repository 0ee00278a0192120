"""Indonesian text for the demo: complaint titles per category and fake reporter identities.

Reporter names and phone numbers are invented on purpose: the ETL must drop them (and mask the
phone numbers some citizens type into a title), and the demo tests check that it does.
"""

from __future__ import annotations

import numpy as np

TITLES: dict[str, tuple[str, ...]] = {
    "Banjir dan Genangan": (
        "Banjir setinggi lutut di {v}",
        "Genangan air tidak surut di {v}",
        "Rob masuk rumah warga {v}",
    ),
    "Drainase dan Saluran": ("Saluran air tersumbat di {v}", "Gorong-gorong rusak di {v}"),
    "Jalan Rusak": ("Jalan berlubang di {v}", "Aspal mengelupas dan membahayakan di {v}"),
    "Penerangan Jalan Umum": ("Lampu PJU mati di {v}", "Lampu jalan berkedip di {v}"),
    "Sampah dan Kebersihan": ("Sampah menumpuk belum diangkut di {v}", "TPS penuh di {v}"),
    "Pencemaran Lingkungan": ("Bau limbah pabrik di {v}", "Asap pembakaran sampah di {v}"),
    "Lalu Lintas dan Parkir": ("Parkir liar di bahu jalan {v}", "Lampu lalu lintas mati {v}"),
    "Ketertiban Umum dan PKL": ("PKL menutup trotoar di {v}", "Keributan malam hari di {v}"),
    "Air Bersih": ("Air PDAM tidak mengalir di {v}", "Pipa air bocor di {v}"),
    "Layanan Kesehatan": ("Antrean puskesmas terlalu lama {v}", "Fogging DBD di {v}"),
    "Administrasi Kependudukan": ("KTP-el belum jadi, warga {v}", "Data KK tidak sesuai {v}"),
    "Perizinan": ("Izin usaha belum terbit", "Proses PBG lama"),
    "Pendidikan": ("Pungutan sekolah di {v}", "Masalah zonasi PPDB warga {v}"),
    "Bantuan Sosial": ("Bansos tidak tepat sasaran di {v}", "Belum menerima BLT di {v}"),
    "Bangunan dan Tata Ruang": ("Bangunan tanpa izin di {v}", "Bangunan melanggar GSB {v}"),
    "Pohon dan Taman": ("Pohon tumbang menutup jalan {v}", "Dahan pohon rawan patah {v}"),
    "Kebakaran dan Bencana": ("Kebakaran rumah di {v}", "Tanah longsor di {v}"),
    "Perumahan dan Permukiman": ("Rumah tidak layak huni di {v}", "Fasum perumahan rusak {v}"),
    "Ketenagakerjaan": ("Upah di bawah UMK", "Pesangon belum dibayar"),
    "Pasar dan Perdagangan": ("Los pasar bocor", "Harga sembako naik di pasar {v}"),
    "Pajak Daerah": ("Tagihan PBB tidak sesuai", "Denda pajak daerah keliru"),
    "Lainnya": ("Usulan kegiatan warga {v}", "Pertanyaan layanan kelurahan {v}"),
}

FIRST_NAMES = (
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Eko",
    "Sri",
    "Joko",
    "Rina",
    "Ahmad",
    "Wahyu",
    "Nur",
    "Indah",
    "Bambang",
    "Yuliana",
    "Hendra",
    "Fitri",
    "Slamet",
    "Ratna",
    "Dimas",
    "Ayu",
    "Rizky",
    "Lestari",
    "Teguh",
    "Wulandari",
)
LAST_NAMES = (
    "Santoso",
    "Rahayu",
    "Wibowo",
    "Setiawan",
    "Susanti",
    "Hidayat",
    "Pratama",
    "Kurniawan",
    "Handayani",
    "Saputra",
    "Nugroho",
    "Purnomo",
    "Utami",
    "Sutrisno",
)


def fake_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` invented full names ("Budi Santoso")."""
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    return np.char.add(np.char.add(first, " "), last)


def fake_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` invented Indonesian mobile numbers ("081234567890")."""
    digits = rng.integers(10**9, 10**10, n)
    return np.array([f"08{d}" for d in digits])


def titles(rng: np.random.Generator, category: np.ndarray, village: np.ndarray) -> np.ndarray:
    """A title per complaint from its category's templates and its kelurahan name."""
    u = rng.random(len(category))
    out = np.empty(len(category), dtype=object)
    for i, (cat, vil) in enumerate(zip(category, village, strict=True)):
        options = TITLES.get(cat, TITLES["Lainnya"])
        out[i] = options[int(u[i] * len(options))].format(v=vil)
    return out
