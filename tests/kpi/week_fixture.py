"""The hand-computed week: Semarang (WIB = UTC+7), ISO week 2015-W29 = Mon 13 – Sun 19 July 2015.

Calendar (python-holidays, ID, public + government): 16 Jul (Thu) cuti bersama, 17 Jul (Fri)
Idul Fitri, 18–19 weekend, 20–21 Jul (Mon–Tue) cuti bersama. Working days around it:
8, 9, 10, 13, 14, 15, 22, 23, 24 July. SLA (CONFIG): response 2 working days; resolution
quick ("Jalan Rusak") 1, normal (default, "Banjir", "Sampah") 3 working days.
A deadline is 23:59:59 local of the N-th working day after the local creation date.

C1  Mon 13 09:00 quick: resp due 15th, res due 14th 23:59:59; responded 13 10:00; resolved
    14 23:59:59 (exactly at its deadline: met); rated 5.
C2  Sat 11 10:00 (weekend) normal: resp due 14th, res due 15th; responded 13 08:00;
    resolved 16 09:00 (late); reopened once; rated 2.
C3  Tue 14 11:00 normal: res due 23rd (15, 22, 23: skips cuti bersama, Idul Fitri, weekend);
    resp due 22nd; nothing yet.
C4  Wed 15 14:00 rejected at 15:00.
C5  Thu 16 08:00 (cuti bersama) quick: res due 22nd, resp due 23rd; responded 16 12:00; open.
C6  Wed 8 09:00 quick: res due 9th, resp due 10th; never answered: open past its deadline.
C7  Mon 13 07:00 normal, but the source's own deadline 17 12:00 wins (computed would be 22nd);
    resp due 15th; responded 15 23:00 (met); still open: a failed resolution obligation.
C8  Fri 10 16:00 quick: res due 13th, resp due 14th; responded 15 09:00 (late); resolved
    15 10:00 (late); not rated.
C9  LAPOR!-like row (no response or closing times): Tue 14 09:00, resolved, closed_at missing.
C10 agency dlh, Mon 13 12:00 "Sampah" (normal): resp due 15th, res due 22nd; responded
    14 09:00; resolved Fri 17 10:00 (on Idul Fitri, early); rated 4.
C11 Sun 19 20:00 quick: res due 22nd, resp due 23rd; open.
C12 Mon 20 10:00 (after the week), responded 22 09:00: only moves the data's as-of past the week.
Services (disdukcapil, KTP-el, standard 1 working day):
S1 Mon 13 09:00 → due 14th, completed 14 10:00 (met). S2 Wed 15 09:00 → due 22nd, completed
22 10:00. S3 Fri 10 09:00 → due 13th, completed 14 09:00 (late).
"""

from tests.kpi.conftest import wib

CONFIG = """
[city]
name = "Uji"
[sla]
response_days = 2
default_class = "normal"
[sla.class_days]
quick = 1
normal = 3
[sla.category_class]
"Jalan Rusak" = "quick"
"Banjir" = "normal"
"""

COMPLAINTS = [
    dict(complaint_id="C1", category="Jalan Rusak", created_at=wib("2015-07-13 09:00"),
         first_response_at=wib("2015-07-13 10:00"), closed_at=wib("2015-07-14 23:59:59"),
         status="resolved", satisfaction=5),
    dict(complaint_id="C2", created_at=wib("2015-07-11 10:00"),
         first_response_at=wib("2015-07-13 08:00"), closed_at=wib("2015-07-16 09:00"),
         status="resolved", reopen_count=1, satisfaction=2),
    dict(complaint_id="C3", created_at=wib("2015-07-14 11:00"), district="Genuk"),
    dict(complaint_id="C4", created_at=wib("2015-07-15 14:00"), closed_at=wib("2015-07-15 15:00"),
         status="rejected"),
    dict(complaint_id="C5", category="Jalan Rusak", created_at=wib("2015-07-16 08:00"),
         first_response_at=wib("2015-07-16 12:00"), status="in_progress"),
    dict(complaint_id="C6", category="Jalan Rusak", created_at=wib("2015-07-08 09:00")),
    dict(complaint_id="C7", created_at=wib("2015-07-13 07:00"),
         first_response_at=wib("2015-07-15 23:00"), status="in_progress",
         resolution_due_at=wib("2015-07-17 12:00")),
    dict(complaint_id="C8", category="Jalan Rusak", created_at=wib("2015-07-10 16:00"),
         first_response_at=wib("2015-07-15 09:00"), closed_at=wib("2015-07-15 10:00"),
         status="resolved"),
    dict(complaint_id="C9", source="lapor", channel="lapor", created_at=wib("2015-07-14 09:00"),
         status="resolved", has_response_time=False, has_close_time=False,
         closed_at_missing=True),
    dict(complaint_id="C10", agency_id="dlh", category="Sampah", created_at=wib("2015-07-13 12:00"),
         first_response_at=wib("2015-07-14 09:00"), closed_at=wib("2015-07-17 10:00"),
         status="resolved", satisfaction=4),
    dict(complaint_id="C11", category="Jalan Rusak", created_at=wib("2015-07-19 20:00")),
    dict(complaint_id="C12", created_at=wib("2015-07-20 10:00"),
         first_response_at=wib("2015-07-22 09:00"), status="in_progress"),
]  # fmt: skip

SERVICES = [
    dict(service_id="S1", submitted_at=wib("2015-07-13 09:00"), completed_at=wib("2015-07-14 10:00"),
         status="completed"),
    dict(service_id="S2", submitted_at=wib("2015-07-15 09:00"), completed_at=wib("2015-07-22 10:00"),
         status="completed"),
    dict(service_id="S3", submitted_at=wib("2015-07-10 09:00"), completed_at=wib("2015-07-14 09:00"),
         status="completed"),
]  # fmt: skip

AGENCIES = {"dpu": "Dinas Pekerjaan Umum", "dlh": "Dinas Lingkungan Hidup",
            "disdukcapil": "Dinas Kependudukan dan Pencatatan Sipil"}  # fmt: skip
