"""The catalogue's entries for regions and the province view (merged into ``ui.i18n.CATALOGUE``;
kept apart only to keep each file readable)."""

from __future__ import annotations

REGION_CATALOGUE: dict[str, tuple[str, str]] = {
    "sidebar.region": ("Wilayah", "Region"),
    "sidebar.region_help": (
        "Provinsi sebagai keseluruhan, atau satu kabupaten/kota. Semua angka di setiap halaman "
        "mengikuti pilihan ini.",
        "The province as a whole, or one regency/city. Every figure on every page follows this "
        "choice.",
    ),
    "region.whole": ("{name} (seluruh provinsi)", "{name} (whole province)"),
    "nav.province": ("Provinsi", "Province"),
    "province.title": ("Provinsi", "Province"),
    "province.none": (
        "Basis data ini hanya memuat satu wilayah: tampilan provinsi tidak tersedia.",
        "This database holds a single region: there is no province view.",
    ),
    "province.league": ("Peringkat kabupaten/kota", "Regency/city league"),
    "province.league_help": (
        "Kabupaten/kota dan OPD provinsi dinilai dengan aturan yang sama dengan OPD: skor pada "
        "{window} terakhir, sedikitnya {n} tenggat agar diberi peringkat; skor minggu ini di "
        "sampingnya. Aduan per 10.000 penduduk: aduan minggu ini dibagi jumlah penduduk "
        "({source}, {year}). Klik nama wilayah untuk membuka ringkasannya.",
        "Regencies/cities and the provincial agencies are scored by the agencies' rules: the "
        "score on the last {window}, at least {n} deadlines to be ranked; this week's score "
        "beside it. Complaints per 10,000 residents: this week's complaints over the population "
        "({source}, {year}). Click a region's name to open its overview.",
    ),
    "province.own_opd": ("OPD Provinsi", "Provincial agencies"),
    "province.map": ("Peta kabupaten/kota", "Map of regencies/cities"),
    "province.map_measure": ("Ukuran", "Measure"),
    "province.map_note": (
        "Klik sebuah kabupaten/kota di peta untuk membuka ringkasannya.",
        "Click a regency/city on the map to open its overview.",
    ),
    "province.per_10k": ("Aduan per 10.000 penduduk", "Complaints per 10,000 residents"),
    "province.movers": ("Perubahan terbesar", "Biggest movers"),
    "province.zone": (
        "Waktu ditampilkan dalam {tz} ({zone}); setiap kabupaten/kota dihitung dalam zonanya "
        "sendiri.",
        "Times are shown in {tz} ({zone}); each regency/city is counted in its own zone.",
    ),
    "col.region": ("Wilayah", "Region"),
    "col.per_10k": ("Per 10.000", "Per 10,000"),
    "col.received_week": ("Aduan minggu ini", "Complaints this week"),
    "col.backlog_end": ("Tunggakan", "Backlog"),
    "col.overdue_end": ("Lewat tenggat", "Overdue"),
    "dim.region_code": ("Wilayah", "Region"),
    "tile.score.province": ("Skor provinsi", "Province score"),
    "tile.score.kabupaten": ("Skor kabupaten", "Regency score"),
    "map.province": (
        "Peta kecamatan ada untuk satu kabupaten/kota: pilih wilayahnya di samping, atau buka "
        "peta kabupaten/kota di halaman Provinsi.",
        "District maps are per regency/city: choose one beside, or open the map of the "
        "regencies/cities on the Province page.",
    ),
}
