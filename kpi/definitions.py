"""The glossary: every metric of docs/KPI.md with its Indonesian and English label and
formula, exactly as ``kpi/queries.py`` computes it. The app shows these texts; a change to a
definition changes both files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    """One metric: labels, formula (id/en), unit, direction and the timestamp it needs."""

    label_id: str
    label_en: str
    formula_id: str
    formula_en: str
    unit: str  # count | share | days | rating | score
    higher_is_better: bool | None
    # what a row needs to enter the metric: "response" / "close" (exact times): rows whose source
    # lacks that time are left out; "close_estimate": a closing time, exact or estimated from the
    # exports (SP4N-LAPOR!); "rating": an exact closing time and a source that collects ratings
    needs: str | None = None


# Appended to the formulas (the app's glossary shows them): how complaints from sources without
# closing times (SP4N-LAPOR! exports) and sources without ratings (Boston 311) are counted.
EST_ID = (" Untuk sumber tanpa waktu selesai, seperti SP4N-LAPOR!, aduan dihitung selesai sejak"
          " ekspor pertama yang menampilkannya selesai.")  # fmt: skip
EST_EN = (" For sources without closing times, such as SP4N-LAPOR!, a complaint counts as closed"
          " from the export in which it first appears closed.")  # fmt: skip
EXACT_ID = (" Aduan dari sumber tanpa waktu selesai (mis. SP4N-LAPOR!) tidak dihitung: waktu"
            " selesai yang hanya diketahui per ekspor tidak cukup tepat.")  # fmt: skip
EXACT_EN = (" Complaints from sources without closing times (e.g. SP4N-LAPOR!) are left out: a"
            " closing time known only to within an export interval is not precise enough.")  # fmt: skip
RATING_ID = " Sumber yang tidak pernah mengumpulkan penilaian (mis. Boston 311) tidak dihitung."
RATING_EN = " Sources that never collect ratings (e.g. Boston 311) are left out."


D = Definition
METRICS: dict[str, Definition] = {
    "received": D(
        "Aduan masuk",
        "Complaints received",
        "aduan dengan waktu masuk dalam periode (termasuk yang ditolak)",
        "complaints with created_at in the period (rejected ones included)",
        "count",
        None,
    ),
    "rejected_share": D(
        "Porsi ditolak",
        "Rejected share",
        "aduan ditolak / aduan masuk",
        "rejected / received",
        "share",
        False,
    ),
    "response_rate": D(
        "Tingkat tanggapan",
        "Response rate",
        "aduan sah masuk dalam periode yang sudah ditanggapi sampai as-of / aduan sah masuk",
        "valid complaints received in the period with a first response by as-of / valid received",
        "share",
        True,
        "response",
    ),
    "response_sla_compliance": D(
        "Tanggapan tepat waktu",
        "Response SLA compliance",
        "kewajiban tanggapan jatuh tempo dalam periode (≤ as-of) yang ditanggapi paling lambat tenggatnya / semua kewajiban itu; yang terlambat dan belum ditanggapi dihitung gagal",
        "response deadlines falling in the period (≤ as-of) met by a first response at or before the deadline / all such deadlines; open-and-late count as failures",
        "share",
        True,
        "response",
    ),
    "resolution_sla_compliance": D(
        "Penyelesaian tepat waktu",
        "Resolution SLA compliance",
        "tenggat penyelesaian dalam periode (≤ as-of) yang diselesaikan paling lambat tenggatnya / semua tenggat itu"
        + EXACT_ID,
        "resolution deadlines falling in the period (≤ as-of) met by resolution at or before the deadline / all such deadlines"
        + EXACT_EN,
        "share",
        True,
        "close",
    ),
    "median_days_to_respond": D(
        "Median hari sampai ditanggapi",
        "Median days to respond",
        "median (tanggapan pertama − waktu masuk), hari kalender, atas aduan yang ditanggapi pertama kali dalam periode",
        "median of (first_response_at − created_at) in calendar days over complaints first answered in the period",
        "days",
        False,
        "response",
    ),
    "p90_days_to_respond": D(
        "Persentil 90 hari sampai ditanggapi",
        "90th percentile days to respond",
        "persentil ke-90 (interpolasi) dari hari sampai ditanggapi, aduan yang ditanggapi dalam periode",
        "90th percentile (interpolated) of days to respond over complaints first answered in the period",
        "days",
        False,
        "response",
    ),
    "median_days_to_resolve": D(
        "Median hari sampai selesai",
        "Median days to resolve",
        "median (waktu selesai − waktu masuk), hari kalender, atas aduan selesai dalam periode"
        + EXACT_ID,
        "median of (closed_at − created_at) in calendar days over complaints resolved in the period"
        + EXACT_EN,
        "days",
        False,
        "close",
    ),
    "p90_days_to_resolve": D(
        "Persentil 90 hari sampai selesai",
        "90th percentile days to resolve",
        "persentil ke-90 (interpolasi) dari hari sampai selesai, aduan selesai dalam periode"
        + EXACT_ID,
        "90th percentile (interpolated) of days to resolve over complaints resolved in the period"
        + EXACT_EN,
        "days",
        False,
        "close",
    ),
    "closed": D(
        "Aduan selesai",
        "Complaints resolved",
        "aduan sah berstatus selesai dengan waktu selesai dalam periode" + EST_ID,
        "valid complaints resolved (status resolved) with closed_at in the period" + EST_EN,
        "count",
        True,
        "close_estimate",
    ),
    "clearance_rate": D(
        "Rasio penyelesaian",
        "Clearance rate",
        "aduan selesai / aduan sah masuk dalam periode (di atas 1: tunggakan berkurang)" + EST_ID,
        "closed / valid complaints received in the period (above 1: the backlog is shrinking)"
        + EST_EN,
        "share",
        True,
        "close_estimate",
    ),
    "backlog": D(
        "Tunggakan",
        "Backlog",
        "aduan sah yang masuk sebelum t dan belum selesai pada t (t = akhir periode atau as-of)"
        + EST_ID,
        "valid complaints created before t and not resolved before t (t = period end or as-of)"
        + EST_EN,
        "count",
        False,
        "close_estimate",
    ),
    "overdue_backlog": D(
        "Tunggakan lewat tenggat",
        "Overdue backlog",
        "bagian tunggakan dengan tenggat penyelesaian sebelum t" + EST_ID,
        "backlog items whose resolution deadline is before t" + EST_EN,
        "count",
        False,
        "close_estimate",
    ),
    "backlog_age_buckets": D(
        "Umur tunggakan",
        "Backlog age",
        "tunggakan pada t menurut umur (t − waktu masuk, hari dibulatkan ke bawah): 0–3, 4–7, 8–14, 15–30, 31–60, >60"
        + EST_ID,
        "backlog at t by age (t − created_at, whole days): 0–3, 4–7, 8–14, 15–30, 31–60, over 60"
        + EST_EN,
        "count",
        None,
        "close_estimate",
    ),
    "reopen_rate": D(
        "Tingkat dibuka kembali",
        "Reopen rate",
        "aduan selesai dalam periode yang pernah dibuka kembali / aduan selesai dalam periode"
        + EXACT_ID,
        "complaints resolved in the period with reopen_count > 0 / complaints resolved in the period"
        + EXACT_EN,
        "share",
        False,
        "close",
    ),
    "satisfaction_avg": D(
        "Rata-rata kepuasan",
        "Average satisfaction",
        "rata-rata nilai (1–5) atas aduan selesai dalam periode yang dinilai"
        + EXACT_ID
        + RATING_ID,
        "mean rating (1–5) over complaints resolved in the period that were rated"
        + EXACT_EN
        + RATING_EN,
        "rating",
        True,
        "rating",
    ),
    "rated_share": D(
        "Porsi dinilai",
        "Rated share",
        "aduan selesai dalam periode yang dinilai / aduan selesai dalam periode"
        + EXACT_ID
        + RATING_ID,
        "rated / complaints resolved in the period" + EXACT_EN + RATING_EN,
        "share",
        True,
        "rating",
    ),
    "services_submitted": D(
        "Permohonan layanan masuk",
        "Service applications submitted",
        "permohonan dengan waktu pengajuan dalam periode",
        "applications submitted in the period",
        "count",
        None,
    ),
    "services_completed": D(
        "Layanan selesai",
        "Services completed",
        "permohonan selesai dalam periode",
        "applications completed in the period",
        "count",
        True,
    ),
    "service_sla_compliance": D(
        "Layanan tepat waktu",
        "Service SLA compliance",
        "permohonan sah yang jatuh tempo dalam periode (≤ as-of) dan selesai paling lambat tenggatnya / semua yang jatuh tempo; tenggat = standar pelayanan (hari kerja)",
        "valid applications due in the period (≤ as-of) completed at or before the due time / all due; due = published standard in working days",
        "share",
        True,
    ),
    "median_days_to_complete": D(
        "Median hari penyelesaian layanan",
        "Median days to complete",
        "median (selesai − diajukan), hari kalender, atas permohonan selesai dalam periode",
        "median of (completed_at − submitted_at) in calendar days over applications completed in the period",
        "days",
        False,
    ),
    "service_backlog": D(
        "Tunggakan layanan",
        "Service backlog",
        "permohonan sah yang diajukan sebelum t dan belum selesai pada t",
        "valid applications submitted before t and not completed before t",
        "count",
        False,
    ),
    "score": D(
        "Skor kinerja",
        "Performance score",
        "rata-rata berbobot capaian (aktual/target, maks 1,25) dari metrik yang tersedia, dibulatkan 2 desimal; 1,00 = tepat target",
        "weighted mean of available attainments (actual/target, capped at 1.25), rounded to 2 decimals; 1.00 = on target",
        "score",
        True,
    ),
}

COMPLAINT_METRICS = [
    "received", "rejected_share", "response_rate", "response_sla_compliance",
    "resolution_sla_compliance", "median_days_to_respond", "p90_days_to_respond",
    "median_days_to_resolve", "p90_days_to_resolve", "closed", "clearance_rate", "backlog",
    "overdue_backlog", "reopen_rate", "satisfaction_avg", "rated_share",
]  # fmt: skip
SERVICE_METRICS = [
    "services_submitted", "services_completed", "service_sla_compliance",
    "median_days_to_complete", "service_backlog",
]  # fmt: skip
AGE_BUCKETS = [("0-3", 0, 3), ("4-7", 4, 7), ("8-14", 8, 14), ("15-30", 15, 30),
               ("31-60", 31, 60), ("60+", 61, None)]  # fmt: skip


@dataclass(frozen=True)
class AlertDefinition:
    """One alert rule ("Perlu perhatian"): its family, name, rule (with the thresholds in force
    as ``{placeholders}`` of its ``[alerts.<family>]`` settings), reason, and the sentence one
    alert is told in (placeholders: its figures, formatted)."""

    family: str  # spike | deteriorating | coming_due | stale
    settings: str  # the [alerts.<table>] its thresholds come from
    label_id: str
    label_en: str
    rule_id: str
    rule_en: str
    reason_id: str
    reason_en: str
    message_id: str
    message_en: str


_SPIKE_RULE_ID = (
    "Aduan satu kategori {cell_id} dalam minggu ini (x) dibandingkan rata-rata sel yang sama pada"
    " {baseline_weeks} minggu lengkap sebelumnya (μ, minimal {baseline_floor}): muncul bila"
    " x ≥ {min_count}, x ≥ {min_ratio} × μ, dan peluang Poisson P(X ≥ x) < {p_value} untuk"
    " X ~ Poisson(μ). Tanpa {min_baseline_weeks} minggu riwayat tidak dinilai."
)
_SPIKE_RULE_EN = (
    "Complaints of one category {cell_en} this week (x) against the mean of the same cell over"
    " the {baseline_weeks} complete weeks before (μ, at least {baseline_floor}): fires when"
    " x ≥ {min_count}, x ≥ {min_ratio} × μ and the Poisson tail P(X ≥ x) < {p_value} for"
    " X ~ Poisson(μ). Not judged with fewer than {min_baseline_weeks} weeks of history."
)
_SPIKE_REASON_ID = (
    "Lonjakan setempat (banjir, jalan rusak, sampah menumpuk) sering menandai kejadian di"
    " lapangan. Pembanding adalah riwayat sel itu sendiri; jumlah minimal menjaga sel kecil agar"
    " tidak membunyikan alarm."
)
_SPIKE_REASON_EN = (
    "A local surge (floods, road damage, uncollected waste) often marks an event on the ground."
    " Each cell is compared with its own history; the minimum count keeps small cells quiet."
)


def _spike(cell_id, cell_en, label_id, label_en, msg_id, msg_en) -> AlertDefinition:
    return AlertDefinition(
        "spike", "spike", label_id, label_en,
        _SPIKE_RULE_ID.replace("{cell_id}", cell_id), _SPIKE_RULE_EN.replace("{cell_en}", cell_en),
        _SPIKE_REASON_ID, _SPIKE_REASON_EN, msg_id, msg_en,
    )  # fmt: skip


ALERTS: dict[str, AlertDefinition] = {
    "spike_district": _spike(
        "di satu kecamatan",
        "in one district",
        "Lonjakan aduan di kecamatan",
        "Complaint spike in a district",
        "{category} di Kec. {district}: {count} aduan minggu ini, biasanya {baseline} per minggu"
        " ({ratio}×).",
        "{category} in {district}: {count} complaints this week, usually {baseline} a week"
        " ({ratio}×).",
    ),  # fmt: skip
    "spike_channel": _spike(
        "lewat satu kanal",
        "through one channel",
        "Lonjakan aduan di kanal",
        "Complaint spike in a channel",
        "{category} lewat {channel}: {count} aduan minggu ini, biasanya {baseline} per minggu"
        " ({ratio}×).",
        "{category} via {channel}: {count} complaints this week, usually {baseline} a week"
        " ({ratio}×).",
    ),  # fmt: skip
    "spike_region": _spike(
        "di seluruh wilayah",
        "in the whole region",
        "Lonjakan aduan di seluruh wilayah",
        "Complaint spike across the region",
        "{category} di seluruh {region}: {count} aduan minggu ini, biasanya {baseline} per"
        " minggu ({ratio}×).",
        "{category} across {region}: {count} complaints this week, usually {baseline} a week"
        " ({ratio}×).",
    ),  # fmt: skip
    "overdue_rising": AlertDefinition(
        "deteriorating",
        "deteriorating",
        "Tunggakan lewat tenggat terus naik",
        "Overdue backlog keeps rising",
        "Tunggakan lewat tenggat OPD pada akhir tiap minggu dari {rising_weeks} minggu terakhir"
        " lebih tinggi daripada seminggu sebelumnya, dan naik paling sedikit {min_rise} aduan"
        " selama itu.",
        "The agency's overdue backlog at the end of each of the last {rising_weeks} weeks is"
        " higher than a week before, and rose by at least {min_rise} complaints over them.",
        "Tunggakan yang naik beberapa minggu berturut-turut berarti OPD menerima lebih banyak"
        " daripada yang diselesaikannya tepat waktu; makin lama dibiarkan, makin sulit dikejar.",
        "An overdue backlog that rises week after week means the agency takes in more than it"
        " resolves on time; the longer it runs, the harder it is to catch up.",
        "{agency}: tunggakan lewat tenggat naik {weeks} minggu berturut-turut ({series}), kini"
        " {overdue_backlog} aduan.",
        "{agency}: overdue backlog up {weeks} weeks in a row ({series}), now {overdue_backlog}.",
    ),  # fmt: skip
    "score_fell": AlertDefinition(
        "deteriorating",
        "deteriorating",
        "Skor turun ke kuning atau merah",
        "Score fell into amber or red",
        "Pada jendela bergulir {score_window_weeks} minggu (seperti peringkat), status skor OPD"
        " kuning atau merah dan lebih buruk daripada minggu sebelumnya, skor turun paling sedikit"
        " {score_min_drop}, dengan paling sedikit {score_min_obligations} kewajiban dalam jendela.",
        "On the rolling {score_window_weeks}-week window (as the league), the agency's score"
        " status is amber or red and worse than the week before, the score fell by at least"
        " {score_min_drop}, with at least {score_min_obligations} obligations in the window.",
        "Perubahan status adalah saat yang tepat untuk bertanya apa yang berubah; jendela empat"
        " minggu dan jumlah kewajiban minimal meredam naik-turun kebetulan.",
        "A change of status is the moment to ask what changed; the four-week window and the"
        " minimum number of obligations damp chance swings.",
        "{agency}: skor {window_weeks} minggu turun ke {status} ({before} → {score}).",
        "{agency}: {window_weeks}-week score fell to {status} ({before} → {score}).",
    ),  # fmt: skip
    "response_drop": AlertDefinition(
        "deteriorating",
        "deteriorating",
        "Tanggapan tepat waktu anjlok",
        "Response SLA compliance dropped",
        "Tanggapan tepat waktu turun paling sedikit {response_min_drop_pts} poin dibanding"
        " minggu sebelumnya, dengan paling sedikit {response_min_due} tenggat tanggapan di"
        " masing-masing minggu, dan uji dua proporsi satu sisi memberi p < {response_p_value}.",
        "Response SLA compliance fell by at least {response_min_drop_pts} points on the week"
        " before, with at least {response_min_due} response deadlines in each week, and the"
        " one-sided two-proportion test gives p < {response_p_value}.",
        "Tanggapan pertama adalah yang pertama dilihat warga; penurunan tajam biasanya berarti"
        " petugas, disposisi atau sistem bermasalah minggu itu.",
        "The first response is what citizens see first; a sharp drop usually means staff,"
        " routing or a system failed that week.",
        "{agency}: tanggapan tepat waktu turun dari {before} ke {now} ({n_due} tenggat minggu"
        " ini).",
        "{agency}: response SLA compliance fell from {before} to {now} ({n_due} deadlines this"
        " week).",
    ),  # fmt: skip
    "coming_due": AlertDefinition(
        "coming_due",
        "coming_due",
        "Segera jatuh tempo",
        "Coming due",
        "Aduan yang masih terbuka pada akhir minggu dengan tenggat penyelesaian dalam"
        " {working_days} hari kerja berikutnya (kalender hari kerja wilayah), per OPD dengan"
        " paling sedikit {min_count} aduan.",
        "Complaints still open at the end of the week whose resolution deadline falls in the"
        " next {working_days} working days (the region's working-day calendar), per agency with"
        " at least {min_count}.",
        "Inilah yang masih bisa diselamatkan kepala OPD: diselesaikan sebelum tenggat, aduan ini"
        " dihitung tepat waktu.",
        "This is what an agency head can still save: resolved before the deadline, these count"
        " as on time.",
        "{agency}: {count} aduan jatuh tempo dalam {working_days} hari kerja ({due_first_day} di"
        " hari kerja pertama).",
        "{agency}: {count} complaints due within {working_days} working days ({due_first_day} on"
        " the first).",
    ),  # fmt: skip
    "stale_source": AlertDefinition(
        "stale",
        "stale",
        "Data tidak diperbarui",
        "Stale data",
        "Ekspor terbaru suatu sumber (per wilayah muat) lebih tua daripada {factor} × selang"
        " biasanya (median selang {recent_exports} ekspor terakhir; {default_interval_days} hari"
        " bila baru satu) dan lebih tua daripada {min_days} hari, diukur pada akhir minggu.",
        "A source's newest export (per load region) is older than {factor} × its usual interval"
        " (the median gap of its last {recent_exports} exports; {default_interval_days} days with"
        " a single one) and older than {min_days} days, at the end of the week.",
        "Angka tidak boleh tampak baik hanya karena data berhenti datang.",
        "A figure must never look good only because data stopped arriving.",
        "Sumber {source}: ekspor terakhir {last_export}, {age_days} hari lalu (biasanya tiap"
        " {usual_days} hari).",
        "Source {source}: newest export {last_export}, {age_days} days ago (usually every"
        " {usual_days} days).",
    ),  # fmt: skip
}
