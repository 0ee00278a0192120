"""The brief's words in Indonesian and English: one catalogue, ``(id, en)`` per key.

The brief is a document of the KPI layer (``python -m kpi brief``, e-mail, the app's download),
so its text lives here rather than in the app's catalogue (``ui/i18n.py``); metric names come
from the glossary (``kpi.definitions``), as in the app.
"""

from __future__ import annotations

from kpi.definitions import METRICS

CATALOGUE: dict[str, tuple[str, str]] = {
    "title.region": ("Ringkasan Mingguan", "Weekly brief"),
    "title.agency": ("Rapor OPD", "Agency report card"),
    "week": ("Minggu {n} · {start} – {end}", "Week {n} · {start} – {end}"),
    "as_of": ("Data sampai {ts} {tz}", "Data as of {ts} {tz}"),
    "in_progress": ("minggu berjalan: datanya belum lengkap", "week in progress: data incomplete"),
    "demo": ("DATA DEMO — kota sintetis, bukan data sebenarnya",
             "DEMO DATA — a synthetic city, not real figures"),
    "page": ("Halaman", "Page"),
    "target": ("target {v}", "target {v}"),
    "wow": ("{v} dari minggu lalu", "{v} on last week"),
    "wow_none": ("minggu lalu: –", "last week: –"),
    "section.words": ("Minggu ini", "This week"),
    "section.alerts": ("Perlu perhatian", "Needs attention"),
    "alerts.none": ("Tidak ada yang perlu perhatian minggu ini.", "Nothing needs attention this week."),
    "alerts.more": ("… dan {n} lainnya (lihat aplikasi).", "… and {n} more (see the app)."),
    "family.spike": ("Lonjakan aduan", "Complaint spikes"),
    "family.deteriorating": ("OPD memburuk", "Agencies deteriorating"),
    "family.coming_due": ("Segera jatuh tempo", "Coming due"),
    "family.stale": ("Data tidak diperbarui", "Stale data"),
    "section.trend": ("Tren {n} minggu", "{n}-week trend"),
    "chart.flow": ("Aduan masuk dan selesai per minggu", "Complaints received and resolved"),
    "chart.backlog": ("Tunggakan pada akhir minggu", "Backlog at the end of each week"),
    "section.league.agency_id": ("Peringkat OPD", "Agency league"),
    "section.league.region_code": ("Peringkat kabupaten/kota", "League of regencies and cities"),
    "league.note": (
        "Peringkat atas skor {w} minggu terakhir (1,00 = tepat target); kurang dari {m} kewajiban"
        " jatuh tempo: ditampilkan, tidak diperingkat. ▲/▼: perubahan peringkat dari minggu lalu.",
        "Ranked on the score of the last {w} weeks (1.00 = on target); fewer than {m} obligations"
        " due: shown, not ranked. ▲/▼: rank change on last week.",
    ),
    "col.rank": ("#", "#"),
    "col.agency_id": ("OPD", "Agency"),
    "col.region_code": ("Kabupaten/kota", "Regency/city"),
    "col.score_window": ("Skor {w} mgg", "{w}-wk score"),
    "col.week_score": ("Skor minggu ini", "Week score"),
    "col.status": ("Status", "Status"),
    "col.move": ("±", "±"),
    "col.obligations": ("Kewajiban", "Obligations"),
    "status.green": ("Sesuai target", "On target"),
    "status.amber": ("Waspada", "Watch"),
    "status.red": ("Di bawah target", "Below target"),
    "status.none": ("Tidak ada nilai", "No value"),
    "not_ranked": ("–", "–"),
    "section.movers": ("Perubahan terbesar per kategori", "Biggest changes by category"),
    "col.category": ("Kategori", "Category"),
    "col.this_week": ("Minggu ini", "This week"),
    "col.last_week": ("Minggu lalu", "Last week"),
    "col.change": ("Perubahan", "Change"),
    "movers.none": ("Tidak ada perubahan.", "No change."),
    # agency brief
    "agency.place": ("Peringkat {rank} dari {n} OPD (skor {w} minggu: {score})",
                     "Rank {rank} of {n} agencies ({w}-week score: {score})"),
    "agency.unranked": ("Tidak diperingkat minggu ini (kurang dari {m} kewajiban dalam {w} minggu)",
                        "Not ranked this week (fewer than {m} obligations in {w} weeks)"),
    "section.score": ("Skor minggu ini dan komponennya", "This week's score and its parts"),
    "col.metric": ("Indikator", "Metric"),
    "col.value": ("Nilai", "Value"),
    "col.target": ("Target", "Target"),
    "col.attainment": ("Capaian", "Attainment"),
    "col.weight": ("Bobot", "Weight"),
    "col.share": ("Sumbangan", "Contribution"),
    "score.total": ("Skor", "Score"),
    "section.agency_alerts": ("Perlu perhatian", "Needs attention"),
    "section.due": ("Segera jatuh tempo: {n} aduan dalam {d} hari kerja",
                    "Coming due: {n} complaints in the next {d} working days"),
    "due.none": ("Tidak ada aduan yang jatuh tempo dalam {d} hari kerja.",
                 "No complaint comes due in the next {d} working days."),
    "section.overdue": ("Lewat tenggat: {n} aduan", "Overdue: {n} complaints"),
    "overdue.note": (
        "Daftar lengkap aduan yang masih terbuka dan melewati tenggat penyelesaian pada {ts};"
        " judul disamarkan. Jumlahnya sama dengan tunggakan lewat tenggat.",
        "The complete list of complaints still open past their resolution deadline at {ts};"
        " titles masked. The count equals the overdue backlog.",
    ),
    "overdue.none": ("Tidak ada aduan lewat tenggat.", "No overdue complaints."),
    "col.id": ("ID", "ID"),
    "col.received": ("Diterima", "Received"),
    "col.due": ("Tenggat", "Due"),
    "col.days_left": ("Hari kerja ke-", "Working day"),
    "col.days_overdue": ("Terlambat (hari)", "Days overdue"),
    "col.district": ("Kecamatan", "District"),
    "col.title": ("Judul (disamarkan)", "Title (masked)"),
    # the week in words
    "words.received": (
        "{region} menerima {received} aduan pada minggu ini ({change} dibanding minggu lalu).",
        "{region} received {received} complaints this week ({change} on last week).",
    ),
    "words.received_flat": ("{region} menerima {received} aduan pada minggu ini.",
                            "{region} received {received} complaints this week."),
    "words.sla": (
        "{resp} ditanggapi tepat waktu dan {res} diselesaikan tepat waktu (target {t_resp} dan"
        " {t_res}).",
        "{resp} were answered and {res} resolved on time (targets {t_resp} and {t_res}).",
    ),
    "words.backlog": (
        "Tunggakan pada akhir minggu {backlog} aduan, {overdue} di antaranya lewat tenggat.",
        "The backlog at the end of the week was {backlog}, of which {overdue} overdue.",
    ),
    "words.score": ("Skor keseluruhan {score}: {status}.", "The overall score is {score}: {status}."),
    "words.top_mover": ("Kenaikan terbesar: {category} ({change}).",
                        "Biggest rise: {category} ({change})."),
    "words.best_worst": ("Peringkat teratas {best}; terbawah {worst}.",
                         "Top of the league: {best}; bottom: {worst}."),
    "words.alerts": ("{n} hal perlu perhatian.", "{n} items need attention."),
    "words.alerts_one": ("1 hal perlu perhatian.", "1 item needs attention."),
}  # fmt: skip


# the ETL's mask placeholders in kept texts (titles), in the reader's words (as the app says them)
MASKS = {
    "[phone]": ("[nomor telepon disamarkan]", "[phone number hidden]"),
    "[email]": ("[surel disamarkan]", "[e-mail hidden]"),
    "[nik]": ("[NIK disamarkan]", "[NIK hidden]"),
}


def masked(text, lang: str) -> str:
    """A title as stored (masked at ingestion) with its placeholders in words; "–" if none."""
    if text is None or text != text or text == "":
        return "–"
    out = str(text)
    for token, pair in MASKS.items():
        out = out.replace(token, pair[0] if lang == "id" else pair[1])
    return out


def t(key: str, lang: str, **values) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled."""
    pair = CATALOGUE[key]
    text = pair[0] if lang == "id" else pair[1]
    return text.format(**values) if values else text


def metric_label(name: str, lang: str) -> str:
    """A metric's name from the glossary."""
    d = METRICS[name]
    return d.label_id if lang == "id" else d.label_en
