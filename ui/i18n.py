"""The one string catalogue of the app (Indonesian default, English) plus number/date formatting.

Why one place: every label, tooltip, number (1.234,5 vs 1,234.5), date and month name must
switch with the language toggle, so pages never hold literal user-facing text. Metric names come
from ``kpi.definitions.METRICS`` (the glossary the code uses), not from this catalogue.

Add a string: one line ``"page.key": ("Teks Indonesia", "English text"),`` in ``CATALOGUE``.
Placeholders use ``str.format`` names: ``t("x.y", n=fmt_num(3))``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from ui.escape import Markdown, md
from ui.i18n_access import ACCESS_CATALOGUE
from ui.i18n_regions import REGION_CATALOGUE

LANGS = ("id", "en")
DEFAULT_LANG = "id"
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

MONTHS = {
    "id": [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip
MONTHS_SHORT = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}

# key: (Indonesian, English). Grouped by page; shared keys first.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- app frame, sidebar ---
    "app.title": ("Kinerja", "Kinerja"),
    "app.tagline": (
        "Kinerja layanan pengaduan dan pelayanan publik",
        "Performance of complaint handling and public services",
    ),
    "sidebar.language": ("Bahasa", "Language"),
    "sidebar.week": ("Minggu (ISO)", "Week (ISO)"),
    "sidebar.week_help": (
        "Minggu ISO: Senin 00.00 sampai Senin berikutnya, waktu setempat.",
        "ISO week: Monday 00:00 to the next Monday, local time.",
    ),
    "week.label": ("Minggu {n} · {start} – {end}", "Week {n} · {start} – {end}"),
    "week.incomplete": ("(berjalan)", "(in progress)"),
    "week.auto": ("Terkini otomatis: {week}", "Latest (automatic): {week}"),
    "week.shown.latest_working_days_in": (
        "Minggu terkini: hari kerjanya (Senin–Jumat) sudah ada di data, yang sampai {as_of}. "
        "Tautan tanpa minggu selalu membuka minggu terkini.",
        "The latest week: its working days (Monday–Friday) are in the data, which runs to "
        "{as_of}. A link without a week always opens the latest one.",
    ),
    "week.shown.latest_too_early": (
        "Minggu lengkap terakhir: {latest} baru berisi data sampai {as_of} (pilih di samping). "
        "Tautan tanpa minggu selalu membuka minggu terkini.",
        "The last complete week: {latest} only has data up to {as_of} (choose it on the side). "
        "A link without a week always opens the latest one.",
    ),
    "week.shown.chosen": (
        "Minggu yang dipilih; tautan halaman ini tetap membuka minggu ini.",
        "The chosen week; this page's link keeps opening this week.",
    ),
    "week.shown.chosen_running": (
        "Minggu yang dipilih, masih berjalan: data sampai {as_of}.",
        "The chosen week, still running: data up to {as_of}.",
    ),
    "weeks.n.one": ("{n} minggu", "{n} week"),
    "weeks.n": ("{n} minggu", "{n} weeks"),
    "nav.overview": ("Ringkasan Mingguan", "Weekly overview"),
    "nav.scorecard": ("Rapor OPD", "Agency scorecard"),
    "nav.backlog": ("Tunggakan", "Backlog & ageing"),
    "nav.explore": ("Jelajah", "Explore"),
    "nav.map": ("Peta", "Map"),
    "nav.services": ("Layanan", "Services"),
    "nav.data": ("Data & Definisi", "Data & definitions"),
    # --- layout: header, freshness, demo, errors, empty states ---
    "layout.freshness": (
        "{city} · data sampai {as_of} · {n} aduan",
        "{city} · data as of {as_of} · {n} complaints",
    ),
    "layout.freshness_services": (
        "{city} · data sampai {as_of} · {n} permohonan layanan",
        "{city} · data as of {as_of} · {n} service applications",
    ),
    "layout.demo": (
        "DATA DEMO — data sintetis, bukan data sebenarnya",
        "DEMO DATA (synthetic) — not real figures",
    ),
    "layout.empty": ("Tidak ada data untuk pilihan ini.", "No data for this selection."),
    "layout.empty_period": (
        "Tidak ada aduan pada periode ini.",
        "No complaints in this period.",
    ),
    "layout.no_db": (
        "Basis data belum ada: {path}",
        "The database does not exist yet: {path}",
    ),
    "layout.broken_db": (
        "Basis data tidak dapat dibaca: {path} ({reason})",
        "The database cannot be read: {path} ({reason})",
    ),
    "layout.fix_demo": (
        "Buat kota demo dengan perintah ini, lalu muat ulang halaman:",
        "Create the demo city with this command, then reload the page:",
    ),
    "layout.fix_load": (
        "Atau muat data Anda sendiri:",
        "Or load your own data:",
    ),
    "layout.query_failed": (
        "Gagal menghitung angka untuk halaman ini: {reason}",
        "Could not compute the figures for this page: {reason}",
    ),
    "layout.building_demo": (
        "Membangun kota demo (sekali saja, sekitar satu menit)…",
        "Building the demo city (once only, about a minute)…",
    ),
    "layout.demo_ready": ("Kota demo siap.", "Demo city ready."),
    "demo.generating": ("Membuat data kota demo…", "Generating the demo city…"),
    "demo.writing": ("Menulis berkas ekspor…", "Writing the export files…"),
    "demo.loading": ("Memuat berkas {i} dari {n}…", "Loading file {i} of {n}…"),
    "layout.unavailable": ("tidak tersedia: {reason}", "unavailable: {reason}"),
    "layout.dash": ("–", "–"),
    "unit.pp": ("{x} poin", "{x} pts"),
    "unit.vs_prev": ("vs minggu lalu", "vs previous week"),
    # --- traffic lights / status ---
    "status.green": ("Sesuai target", "On target"),
    "status.amber": ("Waspada", "Watch"),
    "status.red": ("Di bawah target", "Below target"),
    "status.none": ("Tidak ada nilai", "No value"),
    "status.not_ranked": ("tidak diperingkat", "not ranked"),
    "status.not_ranked_help": (
        "Kurang dari {n} kewajiban jatuh tempo pada periode ini: ditampilkan, tidak diperingkat.",
        "Fewer than {n} obligations due in the period: shown, not ranked.",
    ),
    # --- common column / axis labels ---
    "col.agency": ("OPD", "Agency"),
    "col.score": ("Skor", "Score"),
    "col.rank": ("Peringkat", "Rank"),
    "col.rank_change": ("Perubahan peringkat", "Rank change"),
    "col.status": ("Status", "Status"),
    "col.week": ("Minggu", "Week"),
    "col.count": ("Jumlah", "Count"),
    "col.id": ("ID", "ID"),
    "col.title": ("Judul (disamarkan)", "Title (masked)"),
    "col.category": ("Kategori", "Category"),
    "col.district": ("Kecamatan", "District"),
    "col.village": ("Kelurahan", "Village"),
    "col.channel": ("Kanal", "Channel"),
    "col.source": ("Sumber", "Source"),
    "col.created": ("Diterima", "Received at"),
    "col.age_days": ("Umur (hari)", "Age (days)"),
    "col.days_overdue": ("Terlambat (hari)", "Days overdue"),
    "col.due_kind": ("Jenis tenggat", "Deadline"),
    "col.n_obligations": ("Kewajiban jatuh tempo", "Obligations due"),
    "col.score_gain": ("Tambahan skor", "Score gain"),
    "col.bucket": ("Umur", "Age"),
    "col.previous": ("Minggu lalu", "Previous week"),
    "col.change": ("Perubahan", "Change"),
    "col.pct_change": ("Perubahan %", "Change %"),
    "col.value": ("Nilai", "Value"),
    "col.target": ("Target", "Target"),
    "col.attainment": ("Capaian", "Attainment"),
    "col.weight": ("Bobot", "Weight"),
    "col.share_of_score": ("Sumbangan ke skor", "Contribution to the score"),
    "col.note": ("Keterangan", "Note"),
    "col.due_at": ("Tenggat", "Due"),
    "col.metric": ("Indikator", "Metric"),
    "col.status_now": ("Status", "Status"),
    "chart.received": ("Aduan masuk", "Received"),
    "chart.closed": ("Selesai", "Resolved"),
    "chart.backlog": ("Tunggakan", "Backlog"),
    "chart.overdue_backlog": ("Tunggakan lewat tenggat", "Overdue backlog"),
    "chart.complaints": ("Aduan", "Complaints"),
    "chart.target": ("Target", "Target"),
    "chart.city": ("Kota", "City"),
    "due.response": ("tanggapan", "response"),
    "due.resolution": ("penyelesaian", "resolution"),
    "due.response+resolution": ("tanggapan + penyelesaian", "response + resolution"),
    "bucket.0-3": ("0–3 hari", "0–3 days"),
    "bucket.4-7": ("4–7 hari", "4–7 days"),
    "bucket.8-14": ("8–14 hari", "8–14 days"),
    "bucket.15-30": ("15–30 hari", "15–30 days"),
    "bucket.31-60": ("31–60 hari", "31–60 days"),
    "bucket.60+": ("> 60 hari", "over 60 days"),
    # --- page 1: weekly overview ---
    "overview.title": ("Ringkasan Mingguan", "Weekly overview"),
    "overview.tile.score": ("Skor kota", "City score"),
    "overview.wow_help": (
        "Perubahan dibanding minggu sebelumnya. Hijau: membaik.",
        "Change on the previous week. Green: improving.",
    ),
    "overview.trend": ("Tren", "Trend"),
    "overview.horizon": ("Rentang", "Range"),
    "overview.horizon_opt": ("{n} minggu", "{n} weeks"),
    "overview.horizon_opt.one": ("{n} minggu", "{n} week"),
    "overview.flow": ("Aduan masuk vs selesai", "Inflow vs resolved"),
    "overview.backlog_trend": ("Tunggakan di akhir minggu", "Backlog at week end"),
    "overview.league": ("Peringkat OPD", "Agency league table"),
    "overview.movers": ("Perubahan terbesar", "Biggest movers"),
    "league.col.score": ("Skor {window}", "Score, {window}"),
    "league.col.week_score": ("Skor minggu ini", "This week's score"),
    "league.new": ("baru", "new"),
    "league.same": ("peringkat sama", "same rank"),
    "league.help": (
        "Peringkat dihitung dari {window} terakhir (sampai minggu terpilih), agar sebagian besar "
        "OPD punya cukup kewajiban jatuh tempo; skor minggu ini di sampingnya. OPD dengan kurang "
        "dari {n} kewajiban dalam {window} ditampilkan tanpa peringkat. ▲/▼: naik/turun "
        "dibanding peringkat minggu lalu. Klik nama OPD untuk membuka rapornya.",
        "Ranked on the last {window} (ending with the chosen week), so that most agencies have "
        "enough obligations due; this week's score beside it. Agencies with fewer than {n} "
        "obligations in {window} are shown without a rank. ▲/▼: up/down on last week's "
        "league. Click an agency's name to open its scorecard.",
    ),
    "league.undisposed": (
        "Belum terdisposisi ke OPD (urusan kota, bukan skor OPD): {received} aduan masuk minggu "
        "ini; {backlog} masih menunggu disposisi di akhir minggu, {overdue} di antaranya lewat "
        "tenggat.",
        "Not yet disposed to an agency (a city matter, not an agency's score): {received} "
        "complaints received this week; {backlog} still waiting at the week's end, {overdue} of "
        "them overdue.",
    ),
    "league.n_ranked": (
        "{n} dari {total} OPD diperingkat.",
        "{n} of {total} agencies ranked.",
    ),
    "overview.movers_dim": ("Menurut", "By"),
    "overview.movers_help": (
        "Aduan masuk minggu ini dibanding minggu lalu",
        "Complaints received this week against last week",
    ),
    "overview.story": ("Minggu ini dalam kata", "The week in words"),
    "overview.story.received": (
        "{received} aduan masuk ({pct} dibanding minggu lalu), {closed} diselesaikan.",
        "{received} complaints received ({pct} on the previous week), {closed} resolved.",
    ),
    "overview.story.received_first": (
        "{received} aduan masuk, {closed} diselesaikan.",
        "{received} complaints received, {closed} resolved.",
    ),
    "overview.story.sla": (
        "Kepatuhan tanggapan tepat waktu {resp}, penyelesaian tepat waktu {resol}.",
        "Response on time {resp}, resolution on time {resol}.",
    ),
    "overview.story.backlog": (
        "Tunggakan {direction} menjadi {backlog} aduan, {overdue} di antaranya lewat tenggat.",
        "The backlog {direction} to {backlog} complaints, {overdue} of them overdue.",
    ),
    "overview.story.up": ("naik", "rose"),
    "overview.story.down": ("turun", "fell"),
    "overview.story.flat": ("tetap", "stayed"),
    "overview.story.score": (
        "Skor kota {score} ({status}).",
        "The city score is {score} ({status}).",
    ),
    "overview.story.mover": (
        "Kenaikan terbesar: {name} ({change} aduan).",
        "Sharpest rise: {name} ({change} complaints).",
    ),
    "overview.story.best_worst": (
        "Peringkat teratas: {best}; terbawah: {worst}.",
        "Top of the table: {best}; bottom: {worst}.",
    ),
    "dim.category": ("Kategori", "Category"),
    "dim.district": ("Kecamatan", "District"),
    "dim.agency_id": ("OPD", "Agency"),
    "dim.channel": ("Kanal", "Channel"),
    # --- page 2: agency scorecard ---
    "scorecard.title": ("Rapor OPD", "Agency scorecard"),
    "scorecard.choose": ("Pilih OPD", "Choose an agency"),
    "scorecard.week_score": ("Skor minggu ini (target 1,00)", "This week's score (target 1.00)"),
    "scorecard.week_score_help": (
        "Skor OPD pada minggu terpilih saja; 1,00 berarti tepat sesuai target.",
        "The agency's score in the chosen week alone; 1.00 means exactly on target.",
    ),
    "scorecard.vs_target": ("{x} dari target", "{x} vs target"),
    "scorecard.city_score": ("Skor kota minggu ini", "City score this week"),
    "scorecard.rank_window": ("Peringkat ({window})", "Rank ({window})"),
    "scorecard.window_score": ("skor {score}", "score {score}"),
    "scorecard.rank_of": ("{rank} dari {n}", "{rank} of {n}"),
    "scorecard.metrics": ("Indikator terhadap target", "Metrics against target"),
    "scorecard.trend": ("Tren 12 minggu", "12-week trend"),
    "scorecard.no_trend": (
        "Tidak ada nilai dalam 12 minggu ini: {reason}.",
        "No value in these 12 weeks: {reason}.",
    ),
    "scorecard.ageing": ("Umur tunggakan", "Backlog ageing"),
    "scorecard.fix_first": ("Tangani lebih dulu — per {when}", "What to fix first — as of {when}"),
    "scorecard.end_of": ("akhir {day}", "the end of {day}"),
    "scorecard.fix_first_help": (
        "Aduan terbuka yang lewat tenggat, urut menurut dampaknya pada skor.",
        "Overdue open complaints, ordered by their effect on the score.",
    ),
    "scorecard.fix_count": (
        "**{n}** aduan terbuka lewat tenggat; tabel dan unduhan memuat semuanya.",
        "**{n}** open complaints are overdue; the table and the downloads list all of them.",
    ),
    "scorecard.fix_past": (
        "Daftar per akhir minggu terpilih: sebagian mungkin sudah selesai sejak itu.",
        "The list as at the end of the chosen week: some may have been resolved since.",
    ),
    "scorecard.download_xlsx": ("Unduh Excel ({n} baris)", "Download Excel ({n} rows)"),
    "scorecard.download_csv": ("Unduh CSV", "Download CSV"),
    "scorecard.sheet": ("Tangani lebih dulu", "Fix first"),
    "scorecard.how": ("Cara menghitung skor OPD ini", "How this agency's score is computed"),
    "scorecard.how_text": (
        "Capaian tiap indikator = nilai / target (untuk indikator yang makin kecil makin baik: "
        "target / nilai), paling tinggi {cap}. Skor = rata-rata capaian berbobot dari indikator "
        "yang memiliki nilai. 1,00 berarti tepat sesuai target.",
        "Each metric's attainment = value / target (where lower is better: target / value), "
        "capped at {cap}. Score = weighted mean of the attainments of the metrics that have a "
        "value. 1.00 means exactly on target.",
    ),
    "scorecard.how_note": (
        "Sumbangan = capaian × bobot / jumlah bobot indikator yang bernilai; jumlahnya adalah "
        "skor. Indikator tanpa nilai tidak dihitung (bukan dihitung 0).",
        "Contribution = attainment × weight / the sum of the weights of the metrics with a value; "
        "the contributions add up to the score. A metric without a value is left out (not "
        "counted as 0).",
    ),
    "scorecard.not_counted": ("tidak dihitung", "not counted"),
    "scorecard.total": ("Skor", "Score"),
    "scorecard.no_agencies": ("Belum ada OPD di data.", "No agencies in the data yet."),
    "scorecard.unknown_agency": (
        "OPD '{agency}' tidak ada di data; menampilkan {bottom}.",
        "Agency '{agency}' is not in the data; showing {bottom}.",
    ),
    "scorecard.default_agency": (
        "Menampilkan OPD di urutan terbawah peringkat minggu ini. Pilih OPD Anda di atas, lalu "
        "simpan tautannya.",
        "Showing the agency at the bottom of this week's league. Choose your agency above and "
        "bookmark the link.",
    ),
    "scorecard.no_overdue": (
        "Tidak ada aduan terbuka yang lewat tenggat.",
        "No overdue open complaints.",
    ),
    # --- page 3: backlog & ageing ---
    "backlog.title": ("Tunggakan & Umur Aduan", "Backlog & ageing"),
    "backlog.over_time": ("Tunggakan dari waktu ke waktu", "Backlog over time"),
    "backlog.buckets": ("Kelompok umur tunggakan", "Backlog by age"),
    "backlog.heatmap": ("OPD × umur tunggakan", "Agency × backlog age"),
    "backlog.oldest": ("Aduan terbuka tertua", "Oldest open complaints"),
    "backlog.as_of": ("Per akhir {week}", "At the end of {week}"),
    # --- page 4: explore ---
    "explore.title": ("Jelajah Data Aduan", "Explore complaints"),
    "explore.span": (
        "Periode (berakhir di minggu terpilih)",
        "Period (ending with the chosen week)",
    ),
    "explore.all": ("Semua", "All"),
    "explore.measure": ("Ukuran", "Measure"),
    "explore.period": (
        "{n} minggu: {start} – {end}",
        "{n} weeks: {start} – {end}",
    ),
    "explore.period.one": ("{n} minggu: {start} – {end}", "{n} week: {start} – {end}"),
    "explore.clear": ("Hapus semua filter", "Clear all filters"),
    "explore.breakdowns": ("{metric} menurut dimensi", "{metric} by dimension"),
    "explore.click_help": (
        "Klik batang untuk menyaring grafik lain; klik lagi untuk membatalkan.",
        "Click a bar to filter the other charts; click it again to clear.",
    ),
    # --- end of page 4 ---
    # --- page 5: map ---
    "map.title": ("Peta Aduan per Kecamatan", "Complaints by district (map)"),
    "map.measure": ("Ukuran di peta", "Measure on the map"),
    "map.per_10k": ("Aduan per 10.000 penduduk", "Complaints per 10,000 residents"),
    "map.legend_note": (
        "Makin gelap = makin perlu perhatian; abu-abu = tidak ada data.",
        "Darker = needs more attention; grey = no data.",
    ),
    "map.no_geo": (
        "Kota ini belum memiliki batas wilayah (geo_kecamatan di pengaturan kota), jadi peta tidak "
        "dapat ditampilkan.",
        "This city has no boundary file (geo_kecamatan in the city settings), so no map can be "
        "shown.",
    ),
    "map.no_village_geo": (
        "Kota ini belum memiliki batas kelurahan (geo_kelurahan di pengaturan kota).",
        "This city has no kelurahan boundary file (geo_kelurahan in the city settings).",
    ),
    "map.geo_error": (
        "Berkas batas wilayah bermasalah: {detail}",
        "Boundary file problem: {detail}",
    ),
    "map.unmatched": (
        "{n} nama wilayah di data tidak cocok dengan poligon mana pun dan tidak tampil di peta:",
        "{n} area names in the data match no polygon and are not on the map:",
    ),
    "map.no_district": (
        "{n} aduan tanpa kecamatan tidak tampil di peta.",
        "{n} complaints without a district are not on the map.",
    ),
    "map.population_note": (
        "Jumlah penduduk per kecamatan dari pengaturan kota {city} ([districts.population]); "
        "kelurahan tanpa data penduduk memakai jumlah aduan.",
        "District populations from the {city} settings ([districts.population]); kelurahan "
        "have no population figures and show complaint counts.",
    ),
    "map.villages": ("Rincian kelurahan", "Kelurahan detail"),
    "map.choose_kecamatan": ("Kecamatan", "District (kecamatan)"),
    # --- end of page 5 ---
    # --- page 6: services ---
    "services.title": ("Pelayanan Publik", "Public services"),
    "services.empty": (
        "Belum ada data permohonan layanan. Muat data dengan: python -m etl load BERKAS "
        "--source generic_services",
        "No service applications loaded yet. Load them with: python -m etl load FILE "
        "--source generic_services",
    ),
    "services.by": ("Rincian menurut", "Break down by"),
    "services.by.service_type": ("Jenis layanan", "Service type"),
    "services.by.agency_id": ("OPD", "Agency"),
    "services.on_time": (
        "Selesai tepat waktu (sesuai standar pelayanan)",
        "Completed on time (against the service standard)",
    ),
    "services.days": ("Median hari sampai selesai", "Median days to complete"),
    "services.n_due": ("Jatuh tempo dalam periode", "Due in the period"),
    "services.flow": ("Permohonan masuk dan selesai", "Applications submitted and completed"),
    "services.on_time_trend": ("Tepat waktu per minggu", "On time per week"),
    # --- end of page 6 ---
    # --- page 7: data & definitions ---
    "data.title": ("Data & Definisi", "Data & definitions"),
    "data.freshness": ("Kesegaran data per sumber", "Data freshness per source"),
    "data.no_sources": ("Belum ada data yang dimuat.", "No data loaded yet."),
    "data.freshness_line": (
        "{source}: data sampai {as_of} · dimuat {loaded} · {n} baris",
        "{source}: data as of {as_of} · loaded {loaded} · {n} rows",
    ),
    "data.rows_per_source": ("Baris per sumber", "Rows per source"),
    "data.loads": ("Riwayat pemuatan", "Load history"),
    "data.col.started": ("Waktu muat", "Loaded at"),
    "data.col.file": ("Berkas", "File"),
    "data.col.outcome": ("Hasil", "Outcome"),
    "data.outcome.loaded": ("✔ dimuat", "✔ loaded"),
    "data.outcome.failed": ("✖ gagal", "✖ failed"),
    "data.col.read": ("Dibaca", "Read"),
    "data.col.inserted": ("Baru", "Inserted"),
    "data.col.updated": ("Diperbarui", "Updated"),
    "data.col.unchanged": ("Tetap", "Unchanged"),
    "data.col.quarantined": ("Dikarantina", "Quarantined"),
    "data.col.message": ("Pesan", "Message"),
    "data.quarantine": ("Baris dikarantina menurut alasan", "Quarantined rows by reason"),
    "data.quarantine_help": (
        "Baris yang tidak dapat dipakai (tanggal rusak, selesai sebelum masuk, ...) disimpan "
        "terpisah dan tidak dihitung. Lihat barisnya dengan perintah di bawah.",
        "Rows that cannot be used (bad dates, closed before created, ...) are kept apart and "
        "not counted. List them with the command below.",
    ),
    "data.no_quarantine": ("Tidak ada baris yang dikarantina.", "No quarantined rows."),
    "data.col.reason": ("Alasan", "Reason"),
    "data.glossary": ("Glosarium indikator", "Glossary of metrics"),
    "data.glossary_help": (
        "Definisi yang sama dengan yang dipakai kode untuk menghitung setiap angka.",
        "The same definitions the code uses to compute every figure.",
    ),
    "data.col.name": ("Nama di kode", "Name in code"),
    "data.col.formula": ("Rumus", "Formula"),
    "data.col.unit": ("Satuan", "Unit"),
    "data.unit.count": ("jumlah", "count"),
    "data.unit.share": ("persen", "percent"),
    "data.unit.days": ("hari", "days"),
    "data.unit.rating": ("nilai 1–5", "rating 1–5"),
    "data.unit.score": ("skor", "score"),
    "data.col.direction": ("Arah baik", "Better when"),
    "data.dir.higher": ("makin tinggi makin baik", "higher"),
    "data.dir.lower": ("makin rendah makin baik", "lower"),
    "data.targets": (
        "Target, bobot dan aturan yang berlaku",
        "Targets, weights and rules in force",
    ),
    "data.score_rules": (
        "Capaian dibatasi {cap}. Hijau ≥ {green}, kuning ≥ {amber}, merah di bawahnya. "
        "OPD dengan kurang dari {n} kewajiban jatuh tempo tidak diperingkat.",
        "Attainment capped at {cap}. Green ≥ {green}, amber ≥ {amber}, red below. "
        "Agencies with fewer than {n} obligations due are not ranked.",
    ),
    "data.sla_rules": (
        "Tenggat tanggapan: {response} hari kerja. Tenggat penyelesaian bawaan: {default} hari "
        "kerja (menurut kategori di bawah).",
        "Response deadline: {response} working days. Default resolution deadline: {default} "
        "working days (per category below).",
    ),
    "data.sla_by_category": (
        "Tenggat penyelesaian per kategori",
        "Resolution deadline per category",
    ),
    "data.col.days": ("Hari kerja", "Working days"),
    "data.settings_files": ("Berkas pengaturan: {files}", "Settings files: {files}"),
    # --- end of page 7 ---
    # --- reason codes of kpi.reasons.REASONS: why a figure is "–" ---
    "reason.no_complaints": ("tidak ada aduan dalam cakupan ini", "no complaints in this scope"),
    "reason.no_response_times": (
        "sumber data ini tidak mencatat waktu tanggapan pertama (mis. SP4N-LAPOR!)",
        "the source(s) do not report first-response times (e.g. SP4N-LAPOR!)",
    ),
    "reason.no_closing_times": (
        "sumber data ini tidak mencatat waktu selesai (mis. SP4N-LAPOR!)",
        "the source(s) do not report closing times (e.g. SP4N-LAPOR!)",
    ),
    "reason.no_ratings": (
        "sumber data ini tidak mengumpulkan penilaian kepuasan",
        "the source(s) do not collect satisfaction ratings",
    ),
    "reason.no_status_history": (
        "tidak ada ekspor yang menunjukkan kapan aduan ini selesai",
        "no export shows when these complaints closed",
    ),
    "reason.services_no_category": (
        "permohonan layanan tidak memiliki kategori aduan",
        "service applications have no complaint category",
    ),
    "reason.no_scored_metric": (
        "belum ada indikator skor yang bernilai pada periode ini",
        "none of the scored metrics has a value in this period",
    ),
    "reason.zero_denominator": (
        "tidak ada yang dihitung pada periode ini",
        "nothing to count in this period",
    ),
    "reason.few_obligations": (
        "kewajiban jatuh tempo kurang dari {n} dalam {weeks}: ditampilkan, tidak diperingkat",
        "fewer than {n} obligations due in {weeks}: shown, not ranked",
    ),
    "reason.not_ranked": ("tidak diperingkat minggu ini", "not ranked this week"),
    "reason.not_ranked_before": (
        "baru masuk peringkat (minggu lalu tidak diperingkat)",
        "new in the ranking (not ranked last week)",
    ),
    "reason.no_previous_week": ("belum ada minggu sebelumnya", "no earlier week in the data"),
    "reason.latest_working_days_in": (
        "minggu terkini, hari kerjanya sudah lengkap",
        "the latest week, its working days complete",
    ),
    "reason.latest_too_early": (
        "minggu lengkap terakhir; minggu terkini baru berisi beberapa jam atau hari",
        "the last complete week; the latest one has only hours or days of data",
    ),
    "mask.phone": ("[nomor telepon disamarkan]", "[phone number hidden]"),
    "mask.email": ("[surel disamarkan]", "[e-mail hidden]"),
    "mask.nik": ("[NIK disamarkan]", "[NIK hidden]"),
    # --- channel, source and quarantine reason ids as readers see them ---
    "channel.app": ("Aplikasi", "App"),
    "channel.email": ("Surel", "E-mail"),
    "channel.facebook": ("Facebook", "Facebook"),
    "channel.instagram": ("Instagram", "Instagram"),
    "channel.internal": ("Petugas internal", "Internal (staff)"),
    "channel.lapor": ("SP4N-LAPOR!", "SP4N-LAPOR!"),
    "channel.laporgub": ("LaporGub", "LaporGub"),
    "channel.mpp": ("Mal Pelayanan Publik", "Public service mall (MPP)"),
    "channel.phone": ("Telepon / call center", "Phone / call centre"),
    "channel.sms": ("SMS", "SMS"),
    "channel.unknown": ("Tidak diketahui", "Unknown"),
    "channel.walikota": ("Kanal wali kota", "Mayor's channel"),
    "channel.walk-in": ("Datang langsung", "Walk-in"),
    "channel.web": ("Situs web", "Website"),
    "channel.whatsapp": ("WhatsApp", "WhatsApp"),
    "channel.x": ("X (Twitter)", "X (Twitter)"),
    "source.lapor": ("SP4N-LAPOR!", "SP4N-LAPOR!"),
    "source.laporgub": ("LaporGub", "LaporGub"),
    "source.generic": ("Kanal kota (templat umum)", "City channels (generic template)"),
    "source.generic_services": (
        "Permohonan layanan (templat umum)",
        "Service applications (generic template)",
    ),
    "source.open311": ("Open311", "Open311"),
    "source.nyc311": ("NYC 311", "NYC 311"),
    "source.boston311": ("Boston 311", "Boston 311"),
    "qreason.missing_id": ("ID kosong", "Missing id"),
    "qreason.missing_date": ("Tanggal kosong", "Missing date"),
    "qreason.unparseable_date": ("Tanggal tidak terbaca", "Unreadable date"),
    "qreason.missing_status": ("Status kosong", "Missing status"),
    "qreason.unknown_status": ("Status tidak dikenal", "Unknown status"),
    "qreason.closed_before_created": ("Selesai sebelum diterima", "Closed before it was received"),
    "qreason.completed_before_submitted": (
        "Selesai sebelum diajukan",
        "Completed before it was submitted",
    ),
    "qreason.responded_before_created": (
        "Ditanggapi sebelum diterima",
        "Responded to before it was received",
    ),
    "qreason.duplicate_id": ("ID ganda dalam satu berkas", "Duplicate id in one file"),
    "qreason.malformed_row": ("Baris CSV tidak sesuai kepala", "CSV line does not fit the header"),
    "qreason.unknown_region": ("Wilayah tidak dikenal", "Unknown region"),
    # --- alerts and the brief (overview, scorecard, data & definitions) ---
    "alerts.title": ("Perlu perhatian", "Needs attention"),
    "alerts.none": (
        "Tidak ada yang perlu perhatian minggu ini.",
        "Nothing needs attention this week.",
    ),
    "alerts.more": ("… dan {n} lainnya di ringkasan PDF.", "… and {n} more in the PDF brief."),
    "alerts.family.spike": ("Lonjakan aduan", "Complaint spikes"),
    "alerts.family.deteriorating": ("OPD memburuk", "Agencies deteriorating"),
    "alerts.family.coming_due": ("Segera jatuh tempo", "Coming due"),
    "alerts.family.stale": ("Data tidak diperbarui", "Stale data"),
    "alerts.coming_due_total": (
        "{n} aduan jatuh tempo dalam {d} hari kerja; terbanyak di {top}.",
        "{n} complaints come due in the next {d} working days; most at {top}.",
    ),
    "brief.download": ("Unduh PDF", "Download PDF"),
    "brief.download_help": (
        "Ringkasan minggu ini sebagai PDF A4 (sama dengan yang dikirim lewat e-mail).",
        "This week's brief as an A4 PDF (the same as the one sent by e-mail).",
    ),
    "scorecard.alerts": ("Perlu perhatian", "Needs attention"),
    "scorecard.coming_due": (
        "Segera jatuh tempo: {n} aduan dalam {d} hari kerja",
        "Coming due: {n} complaints in the next {d} working days",
    ),
    "scorecard.coming_due_none": (
        "Tidak ada aduan yang jatuh tempo dalam {d} hari kerja.",
        "No complaint comes due in the next {d} working days.",
    ),
    "col.due": ("Tenggat", "Due"),
    "col.working_day": ("Hari kerja ke-", "Working day"),
    "data.alerts_title": ("Aturan peringatan", "Alert rules"),
    "data.alerts_caption": (
        "Ambang dari pengaturan wilayah ([alerts] di config/cities/); berlaku untuk minggu terpilih.",
        "Thresholds from the region's settings ([alerts] in config/cities/).",
    ),
    "col.alert": ("Peringatan", "Alert"),
    "col.rule": ("Aturan", "Rule"),
    "col.reason": ("Alasan", "Reason"),
}

# Dimension values that have a reader's name in the catalogue (``value_label``).
VALUE_PREFIX = {"channel": "channel", "source": "source", "reason": "qreason"}
CATALOGUE |= REGION_CATALOGUE
CATALOGUE |= ACCESS_CATALOGUE  # sign-in, roles, refusals, upload, admin: ui/i18n_access.py


def current_lang() -> str:
    """The chosen language from Streamlit session state (``id`` outside a Streamlit run)."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANG)
    except Exception:  # no Streamlit session (plain Python, tests of the formatters)
        lang = DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **kwargs: object) -> str:
    """Translate ``key`` into ``lang`` (default: the chosen one) and fill its placeholders.

    Every value filled in is escaped for Markdown (``ui.escape.md``): data and URL text never
    becomes a link, an image or markup wherever the result is shown. An unknown key is
    returned as is, so a missing string is visible rather than fatal.
    """
    lang = lang or current_lang()
    entry = CATALOGUE.get(key)
    if entry is None:
        return Markdown(key)
    text = entry[0] if lang == "id" else entry[1]
    if not kwargs:
        return Markdown(text)
    return Markdown(text.format(**{k: md(v) for k, v in kwargs.items()}))


def t_plain(key: str, lang: str | None = None, **kwargs: object) -> str:
    """``t`` for places that never read Markdown (``st.text``, table cells, select options):
    the values are filled in as they are."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry[0] if (lang or current_lang()) == "id" else entry[1]
    return text.format(**kwargs) if kwargs else text


def tn(key: str, n: int, lang: str | None = None, **kwargs: object) -> str:
    """``t`` for a count: the ``key.one`` entry when ``n`` is 1 (``1 week``, not ``1 weeks``)."""
    one = f"{key}.one"
    return t(one if n == 1 and one in CATALOGUE else key, lang, n=n, **kwargs)


def value_label(dim: str, value: object, lang: str | None = None) -> str:
    """A data value as readers know it: a channel, source or quarantine reason id
    (``walk-in``, ``generic_services``, ``closed_before_created``) by its catalogue name; any
    other value (a category, a district, an unknown channel) as it is."""
    prefix = VALUE_PREFIX.get(dim)
    key = f"{prefix}.{value}"
    if prefix and key in CATALOGUE:
        return t(key, lang)
    return "–" if _missing(value) else str(value)


# The ETL's placeholders for personal data masked in kept text (etl/sqlfuncs.py).
MASKS = {"[phone]": "mask.phone", "[email]": "mask.email", "[nik]": "mask.nik"}


def masked(text: object, lang: str | None = None) -> str:
    """A kept text (a complaint title) with the ETL's mask placeholders in the reader's words:
    ``hubungi [phone]`` → ``hubungi [nomor telepon disamarkan]``."""
    if _missing(text):
        return ""
    out = str(text)
    for token, key in MASKS.items():
        if token in out:
            out = out.replace(token, t(key, lang))
    return out


def masked_all(values, lang: str | None = None) -> list[str]:
    """``masked`` for a whole column (pandas), vectorised."""
    import pandas as pd

    out = pd.Series(values, dtype="object").fillna("").astype(str)
    for token, key in MASKS.items():
        out = out.str.replace(token, t(key, lang), regex=False)
    return out.tolist()


def reason_text(code: str | None, lang: str | None = None, **kwargs: object) -> str:
    """Why a figure is missing, in the reader's language (a code of ``kpi.reasons``)."""
    if not isinstance(code, str) or not code:  # None, or NaN from a DataFrame
        return ""
    key = f"reason.{code}"
    return t(key, lang, **kwargs) if key in CATALOGUE else str(code)


def _seps(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators for ``lang``."""
    return (".", ",") if lang == "id" else (",", ".")


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or _is_na(x)


def _is_na(x: object) -> bool:
    try:
        import pandas as pd

        return x is pd.NA or x is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def fmt_num(x: float | int | None, decimals: int = 0, lang: str | None = None) -> str:
    """Format a number with the language's separators: ``1.234,5`` (id) or ``1,234.5`` (en)."""
    if _missing(x):
        return "–"
    lang = lang or current_lang()
    thousands, decimal = _seps(lang)
    text = f"{float(x):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def fmt_pct(share: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """Format a share (0.873) as a percentage (``87,3%``); a missing value is ``–``."""
    if _missing(share):
        return "–"
    return fmt_num(float(share) * 100, decimals, lang) + "%"


def fmt_signed(x: float | None, decimals: int = 0, lang: str | None = None, pct: bool = False):
    """Format a change with an explicit sign (``+8%``, ``-3``); a missing value is ``–``.

    ASCII ``-`` on purpose: ``st.metric`` reads a leading ``-`` as a fall.
    """
    if _missing(x):
        return "–"
    body = fmt_pct(abs(x), decimals, lang) if pct else fmt_num(abs(x), decimals, lang)
    if round(float(x) * (100 if pct else 1), decimals) == 0:
        return body
    return ("+" if x > 0 else "-") + body


def fmt_date(d: dt.date | dt.datetime | None, lang: str | None = None, long: bool = False) -> str:
    """Format a date as ``24 Nov 2026`` (``24 November 2026`` with ``long``)."""
    if _missing(d):
        return "–"
    lang = lang or current_lang()
    names = MONTHS if long else MONTHS_SHORT
    return f"{d.day} {names[lang][d.month - 1]} {d.year}"


def week_axis(mondays, lang: str | None = None) -> list[str]:
    """Labels for a chart's weeks, each by its Monday: ``9 Nov`` with the year only on the first
    label and where the year changes (``28 Des 2026``, ``4 Jan 2027``), so that 12 to 52 weeks fit
    level under a chart, on a phone too."""
    lang = lang or current_lang()
    out, year = [], None
    for d in mondays:
        if _missing(d):
            out.append("–")
            continue
        text = f"{d.day} {MONTHS_SHORT[lang][d.month - 1]}"
        out.append(f"{text} {d.year}" if d.year != year else text)
        year = d.year
    return out


def fmt_datetime(ts: dt.datetime | None, lang: str | None = None) -> str:
    """Format a timestamp as ``24 Nov 2026 14.05`` (id uses a dot in times) or ``14:05``."""
    if _missing(ts):
        return "–"
    lang = lang or current_lang()
    sep = "." if lang == "id" else ":"
    return f"{fmt_date(ts, lang)} {ts.hour:02d}{sep}{ts.minute:02d}"


def fmt_datetimes(values, lang: str | None = None):
    """``fmt_datetime`` for a whole column (pandas), vectorised: long lists format fast."""
    import pandas as pd

    lang = lang or current_lang()
    ts = pd.to_datetime(pd.Series(values))
    months = ts.dt.month.map(lambda m: MONTHS_SHORT[lang][int(m) - 1] if m == m else "")
    sep = "." if lang == "id" else ":"
    text = (
        ts.dt.day.astype("Int64").astype(str) + " " + months + " "
        + ts.dt.year.astype("Int64").astype(str) + " " + ts.dt.strftime(f"%H{sep}%M")
    )  # fmt: skip
    return text.where(ts.notna(), "–").tolist()


def fmt_week(
    week: str, start: dt.date | None = None, lang: str | None = None, end: dt.date | None = None
) -> str:
    """Label an ISO week: ``Minggu 47 · 16 Nov – 22 Nov 2026`` (end defaults to start + 6 days)."""
    if start is None:
        return week
    start = _as_date(start)
    end = _as_date(end) if end is not None else start + dt.timedelta(days=6)
    lang = lang or current_lang()
    n = int(week.split("W")[-1])
    short = f"{start.day} {MONTHS_SHORT[lang][start.month - 1]}"
    return t("week.label", lang, n=n, start=short, end=fmt_date(end, lang))


def _as_date(d: dt.date | dt.datetime) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's ``layout.separators`` (decimal then thousands) for ``lang``."""
    thousands, decimal = _seps(lang or current_lang())
    return decimal + thousands


def metric_label(name: str, lang: str | None = None) -> str:
    """The display name of a KPI metric, from ``kpi.definitions.METRICS`` (the glossary)."""
    lang = lang or current_lang()
    try:
        from kpi.definitions import METRICS

        d = METRICS[name]
        return d.label_id if lang == "id" else d.label_en
    except (ImportError, KeyError):
        return t(f"chart.{name}", lang) if f"chart.{name}" in CATALOGUE else name


UNIT_DECIMALS = {"count": 0, "days": 1, "rating": 2, "score": 2}


def metric_unit(name: str) -> str:
    """The unit of a KPI metric (count, share, days, rating, score) from the glossary."""
    try:
        from kpi.definitions import METRICS

        return METRICS[name].unit
    except (ImportError, KeyError):
        return "score"


def fmt_metric(name: str, value, lang: str | None = None) -> str:
    """A metric value formatted by its unit: shares as ``87,3%``, counts whole, days 1 decimal."""
    unit = metric_unit(name)
    if unit == "share":
        return fmt_pct(value, 1, lang)
    return fmt_num(value, UNIT_DECIMALS.get(unit, 2), lang)


def translate_labels(mapping: Mapping[str, str], lang: str | None = None) -> dict[str, str]:
    """Translate the values of ``{column: catalogue key}`` (for renaming DataFrame columns)."""
    return {col: t(key, lang) for col, key in mapping.items()}
