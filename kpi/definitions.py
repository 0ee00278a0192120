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
