"""Names the synthetic city draws from: agencies (OPD), categories, channels, places, reporters.

Categories and districts are Semarang's (config/cities/semarang.toml, data/geo/), so the
benchmark database can use the Semarang preset's SLA classes and maps.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np

from kinerja.paths import GEO_DIR

AGENCIES = (
    "Dinas Pekerjaan Umum",
    "Dinas Lingkungan Hidup",
    "Dinas Perhubungan",
    "Satuan Polisi Pamong Praja",
    "Dinas Kesehatan",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Penanaman Modal dan PTSP",
    "Dinas Pendidikan",
    "Dinas Sosial",
    "Dinas Penataan Ruang",
    "Dinas Perumahan dan Kawasan Permukiman",
    "Badan Penanggulangan Bencana Daerah",
    "Dinas Pemadam Kebakaran",
    "Dinas Tenaga Kerja",
    "Dinas Perdagangan",
    "Badan Pendapatan Daerah",
    "PDAM Tirta Moedal",
    "Dinas Komunikasi Informatika Statistik dan Persandian",
    "Dinas Kebudayaan dan Pariwisata",
    "Dinas Pemuda dan Olahraga",
    "Dinas Koperasi dan UMKM",
    "Dinas Ketahanan Pangan",
    "Dinas Pertanian",
    "Dinas Perikanan",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Dinas Arsip dan Perpustakaan",
    "Badan Kesatuan Bangsa dan Politik",
    "Badan Kepegawaian Daerah",
    "RSUD KRMT Wongsonegoro",
    "Inspektorat",
)

CATEGORIES = (
    "Jalan Rusak",
    "Sampah dan Kebersihan",
    "Lalu Lintas dan Parkir",
    "Ketertiban Umum dan PKL",
    "Layanan Kesehatan",
    "Administrasi Kependudukan",
    "Perizinan",
    "Pendidikan",
    "Bantuan Sosial",
    "Bangunan dan Tata Ruang",
    "Perumahan dan Permukiman",
    "Banjir dan Genangan",
    "Kebakaran dan Bencana",
    "Ketenagakerjaan",
    "Pasar dan Perdagangan",
    "Pajak Daerah",
    "Air Bersih",
    "Drainase dan Saluran",
    "Penerangan Jalan Umum",
    "Pencemaran Lingkungan",
    "Pohon dan Taman",
    "Lainnya",
)

CHANNELS = ("whatsapp", "lapor", "web", "instagram", "phone", "app", "x", "facebook", "sms")

FIRST_NAMES = ("Budi", "Siti", "Agus", "Dewi", "Eko", "Sri", "Joko", "Rina", "Andi", "Wulan")
LAST_NAMES = ("Santoso", "Wibowo", "Lestari", "Hidayat", "Purnomo", "Rahayu", "Setiawan")


@cache
def _geo() -> tuple[tuple[str, ...], tuple[dict, ...]]:
    kec = json.loads((GEO_DIR / "semarang_kecamatan.geojson").read_text())
    kel = json.loads((GEO_DIR / "semarang_kelurahan.geojson").read_text())
    districts = tuple(f["properties"]["name"] for f in kec["features"])
    return districts, tuple(f["properties"] for f in kel["features"])


DISTRICTS = _geo()[0]


def villages() -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Semarang's kelurahan: district index, name, centre latitude and longitude."""
    districts, props = _geo()
    index = {d: i for i, d in enumerate(districts)}
    return (
        np.array([index[p["kecamatan"]] for p in props]),
        [p["name"] for p in props],
        np.array([p["lat"] for p in props]),
        np.array([p["lng"] for p in props]),
    )
