"""Raw export files in the shapes the ETL reads, each as of its own export time.

* SP4N-LAPOR! "Laporan Ringkas" CSV: metadata preamble, the national column set, dates like
  "23 Sep 2024" or "1 Desember 2021", statuses in LAPOR!'s own words, no response/closing times.
* ``generic`` CSV per city channel: full timestamps, rating, reopen count, reporter columns
  (which the ETL must drop).
Times are written in the zone the mapping declares (``tz_offset_hours`` from the city's zone).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LAPOR_COLUMNS = (
    "Tracking ID",
    "Tanggal Laporan Masuk",
    "Waktu Laporan Masuk",
    "Nama Pelapor",
    "Klasifikasi Laporan",
    "ID Kategori",
    "Kategori",
    "Judul Laporan",
    "Isi Laporan Awal",
    "Isi Laporan Akhir",
    "Tipe Laporan",
    "Sumber Laporan",
    "Instansi Induk",
    "ID Instansi Terdisposisi",
    "Instansi Terdisposisi",
    "Status Laporan",
    "Alasan Tunda/Arsip",
    "Provinsi",
    "Kota/Kabupaten",
    "Kecamatan",
    "Kelurahan",
)
GENERIC_COLUMNS = (
    "id",
    "created_at",
    "status",
    "agency",
    "category",
    "channel",
    "district",
    "village",
    "lat",
    "lon",
    "title",
    "first_response_at",
    "closed_at",
    "satisfaction",
    "reopen_count",
    "reporter_name",
    "reporter_phone",
)
LAPOR_SOURCES = ("Website", "Android", "Website", "iOS", "SMS", "Android", "Twitter")
GENERIC_PREFIX = {
    "whatsapp": "WA",
    "instagram": "IG",
    "x": "X",
    "facebook": "FB",
    "phone": "CC",
    "web": "WEB",
    "app": "APP",
    "walikota": "WK",
    "bupati": "BP",
    "laporgub": "LG",
}
REJECT_TEXT = {
    "spam": "Laporan tidak jelas / spam",
    "duplicate": "Laporan duplikat",
    "not_authority": "Bukan kewenangan {induk}",
}
# State codes of a complaint at an export time.
NEW, DISPOSED, IN_PROGRESS, RESOLVED, REJECTED = range(5)


def state_at(df: pd.DataFrame, t: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(state code, agency key shown, reopen count so far) of each complaint at local time t."""

    def le(col: str) -> np.ndarray:
        v = df[col].to_numpy()
        return ~np.isnat(v) & (v <= t)

    rejected = df["reject_reason"].notna().to_numpy() & le("closed_at")
    reopened = le("reopened_at")
    resolved = (le("closed1_at") & ~reopened) | le("closed_at")
    state = np.full(len(df), NEW)
    state[le("disposed_at")] = DISPOSED
    state[le("first_response_at")] = IN_PROGRESS
    state[resolved] = RESOLVED
    state[rejected] = REJECTED
    moved = le("reassigned_at")
    now = df["agency_key"].to_numpy(dtype=object, na_value=None)
    agency = np.where(moved, now, df["first_agency_key"].to_numpy(dtype=object, na_value=None))
    agency = np.where((state == NEW) & ~rejected, None, agency)
    reopens = np.where(reopened, df["reopen_count"].to_numpy(), 0)
    return state, agency, reopens


def fmt_local(ts: np.ndarray, shift_h: float) -> np.ndarray:
    """'YYYY-MM-DD HH:MM:SS' strings ('' for NaT), shifted into the file's zone."""
    s = pd.Series(ts).astype("datetime64[s]") + pd.Timedelta(hours=shift_h)
    return s.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").to_numpy()


def _lapor_dates(ts: pd.Series, indonesian: bool) -> pd.Series:
    """Dates as LAPOR! writes them: "23 Sep 2024" or, in Indonesian, "1 Desember 2021"."""
    months = pd.Series(MONTHS_ID if indonesian else MONTHS_EN)
    month = months.iloc[ts.dt.month.to_numpy() - 1].reset_index(drop=True)
    return ts.dt.day.astype(str) + " " + month + " " + ts.dt.year.astype(str)


def lapor_status_text(state: np.ndarray, reason: np.ndarray, u: np.ndarray) -> np.ndarray:
    """LAPOR!'s own status wording for each state (the wording varies, the meaning does not)."""
    v = (u * 7) % 1
    done = np.where(
        v < 0.5,
        "Selesai",
        np.where(
            v < 0.65,
            "Ditutup oleh Pelapor",
            np.where(v < 0.9, "Ditutup oleh Sistem", "Ditutup oleh Admin"),
        ),
    )
    busy = np.where(
        v < 0.1, "Menunggu Kelengkapan Informasi", np.where(v < 0.15, "Tunda", "Proses")
    )
    archived = np.where(
        reason == "duplicate",
        "Diarsipkan oleh Sistem",
        np.where(v < 0.1, "Diarsipkan oleh Pelapor", "Diarsipkan oleh Admin"),
    )
    return np.select(
        [state == NEW, state == DISPOSED, state == IN_PROGRESS, state == RESOLVED],
        ["Belum Diverifikasi", "Belum Ditindaklanjuti", busy, done],
        archived,
    )


def write_lapor(
    path: Path,
    df: pd.DataFrame,
    t: np.datetime64,
    period: tuple[str, str],
    city: dict,
    agencies: dict,
    shift_h: float,
    indonesian: bool,
) -> int:
    """One "Laporan Ringkas" export of complaints ``df`` with their status at time ``t``."""
    out = lapor_rows(df, t, city, agencies, shift_h, indonesian)
    write_lapor_file(path, out, t, period, f"Pemerintah {city['city']['name']}")
    return len(out)


def write_lapor_file(
    path: Path, out: pd.DataFrame, t: np.datetime64, period: tuple[str, str], instansi: str
) -> None:
    """Write "Laporan Ringkas" rows under the export's metadata preamble."""
    generated = str(np.datetime64(t, "D"))
    preamble = [
        ["Judul Laporan", "", "Laporan Ringkas"],
        ["Nama Instansi", "", instansi],
        ["Tanggal Generate", "", generated],
        ["Periode Masuk", "", f"({period[0]}) - ({period[1]})"],
        ["Status Laporan", "", "Semua"],
        ["Kategori", "", "Semua"],
        [],
        [],
        [],
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(preamble)
        out.to_csv(fh, index=False, lineterminator="\n")


def lapor_rows(
    df: pd.DataFrame, t: np.datetime64, city: dict, agencies: dict, shift_h: float, indonesian: bool
) -> pd.DataFrame:
    """The "Laporan Ringkas" rows of complaints ``df`` of one city, with their status at ``t``."""
    state, agency, _ = state_at(df, t)
    reason = df["reject_reason"].fillna("").to_numpy()
    u = df["u"].to_numpy()
    induk = f"Pemerintah {city['city']['name']}"
    created = pd.Series(df["created_at"].to_numpy()).astype("datetime64[s]") + pd.Timedelta(
        hours=shift_h
    )
    names = df["reporter_name"].to_numpy(dtype=object)
    anonymous = u < 0.3
    status = lapor_status_text(state, reason, u)
    alasan = np.where(
        state == REJECTED,
        [REJECT_TEXT.get(r, "").format(induk=induk) for r in reason],
        np.where(status == "Tunda", "Menunggu alokasi anggaran", ""),
    )
    agency_name = np.array([agencies[a][0] if a else "" for a in agency], dtype=object)
    agency_id = np.array([str(agencies[a][2]) if a else "" for a in agency], dtype=object)
    cats = sorted(city["sla"]["category_class"])
    out = pd.DataFrame(
        {
            "Tracking ID": df["lapor_id"].astype(str).to_numpy(),
            "Tanggal Laporan Masuk": _lapor_dates(created, indonesian).to_numpy(),
            "Waktu Laporan Masuk": created.dt.strftime("%H:%M:%S").to_numpy(),
            "Nama Pelapor": np.where(anonymous, "Anonim", names),
            "Klasifikasi Laporan": np.where(
                u < 0.85, "Pengaduan", np.where(u < 0.95, "Aspirasi", "Permintaan Informasi")
            ),
            "ID Kategori": df["category"]
            .map({c: str(100 + i) for i, c in enumerate(cats)})
            .to_numpy(),
            "Kategori": df["category"].to_numpy(),
            "Judul Laporan": df["title"].to_numpy(),
            "Isi Laporan Awal": (
                "Saya "
                + df["reporter_name"]
                + " warga "
                + df["village"].fillna(df["district"])
                + " melaporkan: "
                + df["title"]
                + "."
            ).to_numpy(),
            "Isi Laporan Akhir": np.where(
                state == RESOLVED, "Sudah ditindaklanjuti oleh " + agency_name, ""
            ),
            "Tipe Laporan": np.where(anonymous, "Anonim", "Rahasia"),
            "Sumber Laporan": np.array(LAPOR_SOURCES)[(u * 1000).astype(int) % len(LAPOR_SOURCES)],
            "Instansi Induk": induk,
            "ID Instansi Terdisposisi": agency_id,
            "Instansi Terdisposisi": agency_name,
            "Status Laporan": status,
            "Alasan Tunda/Arsip": alasan,
            "Provinsi": city["city"]["province"],
            "Kota/Kabupaten": city["city"]["name"],
            "Kecamatan": df["district"].to_numpy(),
            "Kelurahan": df["village"].to_numpy(),
        },
        columns=list(LAPOR_COLUMNS),
    )
    return out


def write_generic(
    path: Path,
    df: pd.DataFrame,
    t: np.datetime64,
    agencies: dict,
    indonesian: bool,
    shift_h: float,
) -> int:
    """One city-channel export (``generic`` template) with each complaint's state at ``t``."""
    state, agency, reopens = state_at(df, t)
    words = (
        ("baru", "baru", "proses", "selesai", "ditolak")
        if indonesian
        else ("open", "open", "in_progress", "resolved", "rejected")
    )
    closed = df["closed_at"].to_numpy()
    closed1 = df["closed1_at"].to_numpy()
    final = ~np.isnat(closed) & (closed <= t)
    shown_close = np.where(
        state >= RESOLVED, np.where(final, closed, closed1), np.datetime64("NaT")
    )
    resp = df["first_response_at"].to_numpy()
    shown_resp = np.where(~np.isnat(resp) & (resp <= t), resp, np.datetime64("NaT"))
    rating = df["satisfaction"].astype("float").to_numpy()
    rating = np.where((state == RESOLVED) & final & ~np.isnan(rating), rating, np.nan)
    u = df["u"].to_numpy()
    out = pd.DataFrame(
        {
            "id": (
                df["channel"].map(GENERIC_PREFIX) + "-" + df["seq"].astype(str).str.zfill(6)
            ).to_numpy(),
            "created_at": fmt_local(df["created_at"].to_numpy(), shift_h),
            "status": np.array(words)[state],
            "agency": [agencies[a][0] if a else "" for a in agency],
            "category": df["category"].to_numpy(),
            "channel": df["channel"].to_numpy(),
            "district": df["district"].to_numpy(),
            "village": df["village"].to_numpy(),
            "lat": df["lat"].map("{:.6f}".format).to_numpy(),
            "lon": df["lon"].map("{:.6f}".format).to_numpy(),
            "title": df["title"].to_numpy(),
            "first_response_at": fmt_local(shown_resp, shift_h),
            "closed_at": fmt_local(shown_close, shift_h),
            "satisfaction": [str(int(r)) if r == r else "" for r in rating],
            "reopen_count": reopens.astype(int),
            "reporter_name": np.where(u < 0.8, df["reporter_name"].to_numpy(), ""),
            "reporter_phone": np.where(u < 0.6, df["reporter_phone"].to_numpy(), ""),
        },
        columns=list(GENERIC_COLUMNS),
    )
    out.to_csv(path, index=False, encoding="utf-8")
    return len(out)
