"""Catalogue entries of sign-in, roles, refusals, upload and the admin page (part of the one
catalogue: ``ui.i18n.CATALOGUE`` includes them; same format, key → (Indonesian, English))."""

from __future__ import annotations

ACCESS_CATALOGUE: dict[str, tuple[str, str]] = {
    # --- sign-in and roles (ui/auth.py) ---
    "role.governor": ("Gubernur / staf provinsi", "Governor / province staff"),
    "role.regional_head": ("Bupati/Wali Kota / staf", "Regent or mayor / staff"),
    "role.agency_head": ("Kepala OPD / staf", "Head of agency / staff"),
    "role.operator": ("Operator data", "Data operator"),
    "role.viewer": ("Pembaca (angka agregat)", "Viewer (aggregate figures)"),
    "role.admin": ("Admin", "Admin"),
    "access.gate.not_signed_in": (
        "Kinerja memuat data pengaduan pemerintah. Masuk dengan akun kantor Anda untuk "
        "melanjutkan.",
        "Kinerja holds government complaint data. Sign in with your office account to continue.",
    ),
    "access.sign_in": ("Masuk", "Sign in"),
    "access.sign_in_with": ("Masuk dengan {name}", "Sign in with {name}"),
    "access.sign_out": ("Keluar", "Sign out"),
    "access.gate.unknown_user": (
        "Anda masuk sebagai {email}, tetapi akun ini belum terdaftar sebagai pengguna Kinerja.",
        "You are signed in as {email}, but this account is not a Kinerja user yet.",
    ),
    "access.gate.inactive_user": (
        "Akun {email} dinonaktifkan di Kinerja.",
        "The account {email} is disabled in Kinerja.",
    ),
    "access.gate.no_email": (
        "Penyedia identitas tidak mengirim alamat e-mail, sehingga Kinerja tidak dapat mengenali "
        "akun Anda.",
        "The identity provider sent no e-mail address, so Kinerja cannot recognise your account.",
    ),
    "access.gate.unverified_email": (
        "Penyedia identitas menyatakan alamat {email} belum terverifikasi.",
        "The identity provider says the address {email} is not verified.",
    ),
    "access.gate.domain_not_allowed": (
        "Alamat {email} bukan dari domain yang diizinkan untuk Kinerja ini.",
        "The address {email} is not from a domain this Kinerja allows.",
    ),
    "access.gate.store_unavailable": (
        "Daftar pengguna Kinerja tidak dapat dibaca saat ini. Coba lagi sebentar lagi.",
        "Kinerja's list of users cannot be read right now. Please try again shortly.",
    ),
    "access.gate.no_sign_in": (
        "Kinerja ini memuat data pengaduan nyata dan belum diatur untuk masuk (sign-in), "
        "sehingga hanya terbuka dari komputer server itu sendiri. Admin: atur penyedia identitas "
        "di .streamlit/secrets.toml seperti dijelaskan di docs/SIGN_IN.md, lalu daftarkan "
        "pengguna dengan python -m kinerja users add.",
        "This Kinerja holds real complaint data and has no sign-in configured, so it only opens "
        "on the server machine itself. Admin: configure the identity provider in "
        ".streamlit/secrets.toml as docs/SIGN_IN.md describes, then register users with "
        "python -m kinerja users add.",
    ),
    "access.ask": (
        "Untuk mendapat akses, hubungi admin Kinerja: {who}.",
        "To get access, ask a Kinerja admin: {who}.",
    ),
    "access.ask_admin": ("admin Kinerja di kantor Anda", "the Kinerja admin of your office"),
    "access.everywhere": ("semua wilayah", "every region"),
    "access.signed_in_as": ("Masuk sebagai {email} · {role}", "Signed in as {email} · {role}"),
    "access.mode.demo": ("Data demo: terbuka tanpa masuk.", "Demo data: open without sign-in."),
    "access.mode.local": (
        "Tanpa masuk: dibuka dari komputer ini (admin).",
        "No sign-in: opened on this machine (admin).",
    ),
    "access.denied.not_signed_in": (
        "Masuk dahulu untuk melihat: {what}.",
        "Sign in to see: {what}.",
    ),
    "access.denied.role_cannot": (
        "{what}: tidak tersedia untuk peran Anda.",
        "{what}: not available to your role.",
    ),
    "access.denied.outside_region": (
        "{what}: di luar wilayah Anda, tidak ditampilkan.",
        "{what}: outside your region, not shown.",
    ),
    "access.denied.other_agency": (
        "{what}: hanya untuk OPD Anda sendiri.",
        "{what}: only for your own agency.",
    ),
    "access.denied.needs_region_scope": (
        "{what}: dihitung untuk seluruh basis data, yang melampaui wilayah Anda; tidak "
        "ditampilkan.",
        "{what}: computed over the whole database, beyond your region; not shown.",
    ),
    "access.denied.own_account": (
        "{what}: Anda tidak dapat menonaktifkan akun Anda sendiri atau melepas peran admin Anda.",
        "{what}: you cannot disable your own account or give up your own admin role.",
    ),
    "access.kind.figures": ("Angka", "Figures"),
    "access.kind.league": ("Klasemen OPD", "The agency league"),
    "access.kind.agency_detail": ("Rincian OPD", "Agency details"),
    "access.kind.complaint_rows": ("Daftar aduan", "Complaint lists"),
    "access.kind.download": ("Unduhan daftar aduan", "Downloads of complaint lists"),
    "access.kind.data_ops": ("Riwayat pemuatan dan karantina", "Load history and quarantine"),
    "access.kind.upload": ("Unggah data", "Upload"),
    "access.kind.region_league": ("Perbandingan wilayah", "The region league"),
    "access.kind.users": ("Pengelolaan pengguna", "User management"),
    "access.kind.audit": ("Log audit", "The audit log"),
    # --- upload on the data page (ui/upload.py) ---
    "data.col.loaded_by": ("Dimuat oleh", "Loaded by"),
    "upload.title": ("Unggah ekspor data", "Upload an export"),
    "upload.limits": (
        "Satu berkas hingga {mb} MB, jenis: {types}. Dimuat dengan aturan yang sama seperti "
        "python -m etl load: baris yang tidak dapat dipakai dikarantina dengan alasannya, berkas "
        "yang sama dimuat ulang tidak mengubah apa pun, dan berkas yang rusak tidak mengubah data.",
        "One file up to {mb} MB, of type {types}. Loaded by the same rules as python -m etl load: "
        "rows that cannot be used are quarantined with their reason, the same file loaded again "
        "changes nothing, and a broken file changes no data.",
    ),
    "upload.file": ("Berkas ekspor", "Export file"),
    "upload.source": ("Format sumber", "Source format"),
    "upload.region": ("Wilayah", "Region"),
    "upload.region_help": (
        "Wilayah untuk baris yang wilayahnya tidak disebut di berkas. Semua baris harus berada "
        "di wilayah Anda.",
        "The region of rows whose region the file does not say. Every row must lie in your region.",
    ),
    "upload.guessed": (
        "Format dan wilayah diisi dari isi berkas; periksa sebelum memuat.",
        "Format and region were filled in from the file; check them before loading.",
    ),
    "upload.go": ("Muat ke Kinerja", "Load into Kinerja"),
    "upload.stage.receiving": ("Menerima berkas…", "Receiving the file…"),
    "upload.stage.waiting": (
        "Menunggu pemuatan lain selesai…",
        "Waiting for another load to finish…",
    ),
    "upload.stage.reading": ("Membaca berkas…", "Reading the file…"),
    "upload.stage.mapping": ("Memetakan dan memeriksa baris…", "Mapping and checking rows…"),
    "upload.stage.writing": ("Menyimpan…", "Writing…"),
    "upload.stage.done": ("Selesai", "Done"),
    "upload.done": ("Berkas {file} dimuat sebagai {source}.", "{file} was loaded as {source}."),
    "upload.period": ("Periode data: {start} s.d. {end} (UTC)", "Period: {start} to {end} (UTC)"),
    "upload.no_valid_rows": ("Tidak ada baris yang dapat dipakai.", "No usable rows."),
    "upload.exported.argument": (
        "Waktu ekspor: {at} UTC (ditetapkan)",
        "Exported at {at} UTC (given)",
    ),
    "upload.exported.content": (
        "Waktu ekspor: {at} UTC (dari isi berkas)",
        "Exported at {at} UTC (from the file's content)",
    ),
    "upload.exported.mtime": (
        "Waktu ekspor: {at} UTC (dari waktu berkas diunggah)",
        "Exported at {at} UTC (from the time of the upload)",
    ),
    "upload.stale": (
        "{n} baris tetap seperti tersimpan: ekspor yang lebih baru sudah menulisnya.",
        "{n} rows kept as stored: a newer export wrote them.",
    ),
    "upload.reason": ("Dikarantina, {reason}: {n}", "Quarantined, {reason}: {n}"),
    "upload.error": (
        "Berkas tidak dapat dimuat ({where}): {why} Tidak ada data yang berubah.",
        "The file cannot be loaded ({where}): {why} Nothing was changed.",
    ),
    "upload.where.file": ("berkas {file}", "file {file}"),
    "upload.where.row": ("baris {row}", "row {row}"),
    "upload.where.column": ("kolom «{column}»", "column «{column}»"),
    "upload.err.type": (
        "jenis berkas {kind} tidak didukung; yang diterima: {types}.",
        "file type {kind} is not supported; accepted: {types}.",
    ),
    "upload.err.size": ("berkas lebih besar dari {mb} MB.", "the file is larger than {mb} MB."),
    "upload.err.empty": ("berkas kosong.", "the file is empty."),
    "upload.err.binary": (
        "isi berkas bukan teks; diharapkan {kind}.",
        "the file's content is not text; expected {kind}.",
    ),
    "upload.err.utf16": (
        "teks UTF-16 tanpa penanda urutan byte; simpan berkas sebagai UTF-8.",
        "UTF-16 text without a byte-order mark; save the file as UTF-8.",
    ),
    "upload.err.xlsx": (
        "berkas bukan buku kerja Excel (XLSX) yang dapat dibuka.",
        "the file is not an Excel (XLSX) workbook that opens.",
    ),  # fmt: skip
    "upload.err.parquet": (
        "berkas bukan Parquet yang dapat dibaca.",
        "the file is not readable Parquet.",
    ),  # fmt: skip
    "upload.err.header": (
        "baris judul kolom tidak ditemukan; diharapkan kolom {cols}. Periksa format sumber yang "
        "dipilih.",
        "no header row found; expected the columns {cols}. Check the chosen source format.",
    ),
    "upload.err.column_missing": (
        "kolom wajib tidak ada (format {source} memerlukannya untuk {field}).",
        "a required column is missing (format {source} needs it for {field}).",
    ),
    "upload.err.status_column": (
        "kolom yang diperlukan aturan status tidak ada.",
        "a column the status rules need is missing.",
    ),
    "upload.err.json": (
        "berkas bukan JSON yang dapat dipakai (daftar permintaan Open311).",
        "the file is not usable JSON (a list of Open311 requests).",
    ),
    "upload.err.xml": ("berkas bukan XML yang valid.", "the file is not valid XML."),
    "upload.region_rows": ("{code} ({n} baris)", "{code} ({n} rows)"),
    "upload.err.outside_region": (
        "berkas berisi baris wilayah {found}, di luar wilayah Anda ({scope}).",
        "the file has rows of region {found}, outside your region ({scope}).",
    ),
    "upload.err.wrong_type": (
        "format {source} membaca berkas {types}, bukan {kind}.",
        "format {source} reads {types} files, not {kind}.",
    ),
    "upload.err.future": (
        "waktu ekspor berkas ada di masa depan; periksa tanggal ekspor.",
        "the file's export time is in the future; check the export date.",
    ),
    "upload.err.demo": (
        "ini basis data demo (data sintetis); data nyata tidak dimuat ke dalamnya.",
        "this is the demo database (synthetic data); real data is never loaded into it.",
    ),
    "upload.err.region": ("kode wilayah tidak dikenal.", "unknown region code."),
    "upload.err.other": ("rincian: {detail}.", "detail: {detail}."),
    # --- the admin page (app_pages/8_Admin.py) ---
    "nav.admin": ("Admin", "Admin"),
    "admin.title": ("Pengguna & Log Audit", "Users & audit log"),
    "admin.users": ("Pengguna", "Users"),
    "admin.users_help": (
        "Siapa boleh melihat apa diputuskan di sini, bukan oleh penyedia identitas: e-mail yang "
        "tidak terdaftar atau nonaktif ditolak. Juga: python -m kinerja users add|list|disable|"
        "import.",
        "Who may see what is decided here, not by the identity provider: an e-mail that is not "
        "listed, or disabled, is refused. Also: python -m kinerja users add|list|disable|import.",
    ),
    "admin.no_users": ("Belum ada pengguna.", "No users yet."),
    "admin.col.email": ("E-mail", "E-mail"),
    "admin.col.role": ("Peran", "Role"),
    "admin.col.region": ("Wilayah", "Region"),
    "admin.col.agency": ("OPD", "Agency"),
    "admin.col.active": ("Aktif", "Active"),
    "admin.col.changed": ("Diubah oleh / kapan (UTC)", "Changed by / when (UTC)"),
    "admin.yes": ("ya", "yes"),
    "admin.no": ("tidak", "no"),
    "admin.edit": ("Tambah atau ubah pengguna", "Add or change a user"),
    "admin.email": ("E-mail", "E-mail"),
    "admin.role": ("Peran", "Role"),
    "admin.region": ("Wilayah", "Region"),
    "admin.no_region": ("— semua wilayah (hanya admin)", "— every region (admin only)"),
    "admin.agency": ("OPD (hanya kepala OPD)", "Agency (agency heads only)"),
    "admin.no_agency": ("—", "—"),
    "admin.active": ("Aktif", "Active"),
    "admin.save": ("Simpan", "Save"),
    "admin.saved": ("Tersimpan: {email} ({role}).", "Saved: {email} ({role})."),
    "admin.disable": ("Nonaktifkan pengguna", "Disable a user"),
    "admin.disable_go": ("Nonaktifkan", "Disable"),
    "admin.disabled": ("{email} dinonaktifkan.", "{email} is disabled."),
    "admin.import": ("Impor dari CSV", "Import from CSV"),
    "admin.import_help": (
        "Kolom: email, role, region, agency, active (pemisah koma atau titik koma). Semua baris "
        "disimpan, atau tidak satu pun bila ada baris yang salah.",
        "Columns: email, role, region, agency, active (comma or semicolon). Every row is saved, "
        "or none when a row is wrong.",
    ),
    "admin.import_go": ("Impor", "Import"),
    "admin.imported": ("{n} pengguna diimpor dari {file}.", "{n} users imported from {file}."),
    "admin.error": ("Tidak disimpan ({where}): {why}", "Not saved ({where}): {why}"),
    "admin.error_here": ("formulir", "the form"),
    "users.error.bad_email": ("bukan alamat e-mail.", "not an e-mail address."),
    "users.error.bad_role": ("peran tidak dikenal.", "unknown role."),
    "users.error.region_required": ("peran ini memerlukan wilayah.", "this role needs a region."),
    "users.error.unknown_region": ("kode wilayah tidak dikenal.", "unknown region code."),
    "users.error.governor_province": (
        "wilayah gubernur adalah provinsi (mis. 33).",
        "a governor's region is a province (e.g. 33).",
    ),
    "users.error.head_kabkota": (
        "wilayah bupati/wali kota adalah kabupaten/kota (mis. 33.74).",
        "a regent's or mayor's region is a kabupaten/kota (e.g. 33.74).",
    ),
    "users.error.agency_not_allowed": (
        "hanya kepala OPD yang memiliki OPD.",
        "only an agency head has an agency.",
    ),
    "users.error.agency_required": (
        "kepala OPD memerlukan OPD.",
        "an agency head needs an agency.",
    ),
    "users.error.agency_format": (
        "kode OPD harus '<wilayah>:<nama>' (mis. 33.74:dinas-pu).",
        "an agency id is '<region>:<slug>' (e.g. 33.74:dinas-pu).",
    ),
    "users.error.agency_outside_region": (
        "OPD tidak berada di wilayah yang dipilih.",
        "the agency is not of the chosen region.",
    ),
    "users.error.bad_active": ("kolom aktif harus ya/tidak.", "active must be yes/no."),
    "users.error.unknown_user": ("pengguna tidak ditemukan.", "no such user."),
    "users.error.empty_file": ("berkas tidak berisi pengguna.", "the file lists no user."),
    "users.error.missing_column": ("kolom wajib tidak ada.", "a required column is missing."),
    "users.error.duplicate_email": ("e-mail tercantum dua kali.", "the e-mail is listed twice."),
    "users.error.unreadable": (
        "berkas tidak dapat dibaca sebagai teks UTF-8.",
        "the file is not readable UTF-8 text.",
    ),  # fmt: skip
    "admin.audit": ("Log audit", "Audit log"),
    "admin.audit_help": (
        "Masuk, penolakan, unggahan, perubahan pengguna dan unduhan daftar aduan: siapa, kapan "
        "(UTC) dan cakupan apa. Terbaru di atas.",
        "Sign-ins, refusals, uploads, user changes and downloads of complaint lists: who, when "
        "(UTC) and what scope. Newest first.",
    ),
    "admin.audit_event": ("Peristiwa", "Event"),
    "admin.audit_all": ("semua peristiwa", "every event"),
    "admin.audit_empty": ("Belum ada catatan.", "Nothing recorded yet."),
    "admin.audit_download": ("Unduh log audit (CSV)", "Download the audit log (CSV)"),
    "admin.col.at": ("Waktu (UTC)", "Time (UTC)"),
    "admin.col.actor": ("Siapa", "Who"),
    "admin.col.event": ("Peristiwa", "Event"),
    "admin.col.outcome": ("Hasil", "Outcome"),
    "admin.col.scope": ("Cakupan", "Scope"),
    "admin.col.detail": ("Rincian", "Detail"),
    "audit.event.sign_in": ("masuk", "sign-in"),
    "audit.event.sign_in_denied": ("masuk ditolak", "sign-in refused"),
    "audit.event.sign_out": ("keluar", "sign-out"),
    "audit.event.denied": ("permintaan ditolak", "request refused"),
    "audit.event.upload": ("unggah", "upload"),
    "audit.event.user_change": ("perubahan pengguna", "user change"),
    "audit.event.download": ("unduhan daftar aduan", "complaint list download"),
    "audit.outcome.ok": ("berhasil", "done"),
    "audit.outcome.denied": ("ditolak", "refused"),
    "audit.outcome.failed": ("gagal", "failed"),
}
