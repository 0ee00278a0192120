"""Alerts in words: the glossary's sentence for one alert and its rule with the thresholds in
force, in Indonesian or English (numbers and dates through ``kpi.fmt``).

The brief, the e-mails and the app all call these, so an alert reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from kpi import fmt
from kpi.alerts import Alert
from kpi.definitions import ALERTS

STATUS_WORDS = {
    "id": {"green": "hijau", "amber": "kuning", "red": "merah"},
    "en": {"green": "green", "amber": "amber", "red": "red"},
}
# display names of the channel and source codes the warehouse stores
CHANNELS = {
    "lapor": ("SP4N-LAPOR!", "SP4N-LAPOR!"), "whatsapp": ("WhatsApp", "WhatsApp"),
    "instagram": ("Instagram", "Instagram"), "x": ("X (Twitter)", "X (Twitter)"),
    "facebook": ("Facebook", "Facebook"), "phone": ("telepon / call center", "phone / call centre"),
    "web": ("situs web", "website"), "app": ("aplikasi", "app"), "sms": ("SMS", "SMS"),
    "walikota": ("kanal pimpinan", "the mayor's channel"), "laporgub": ("LaporGub!", "LaporGub!"),
    "walk-in": ("datang langsung", "walk-in"),
}  # fmt: skip
SOURCES = {
    "lapor": ("SP4N-LAPOR!", "SP4N-LAPOR!"), "laporgub": ("LaporGub!", "LaporGub!"),
    "generic": ("kanal kota (WhatsApp, media sosial, call center)",
                "city desks (WhatsApp, social media, call centre)"),
    "generic_services": ("permohonan layanan", "service applications"),
    "open311": ("Open311", "Open311"), "boston311": ("Boston 311", "Boston 311"),
    "nyc311": ("NYC 311", "NYC 311"),
}  # fmt: skip


def _pick(table: dict, key, lang: str) -> str:
    pair = table.get(key)
    if pair is None:
        return str(key) if key is not None else "–"
    return pair[0] if lang == "id" else pair[1]


def channel_name(code, lang: str) -> str:
    return _pick(CHANNELS, code, lang)


def source_name(code, lang: str) -> str:
    return _pick(SOURCES, code, lang)


def status_word(status, lang: str) -> str:
    return STATUS_WORDS[lang if lang in STATUS_WORDS else "id"].get(status, "–")


def region_name(code: str | None, default: str) -> str:
    """A region's name from the registry (``33.74`` → ``Kota Semarang``)."""
    if not code:
        return default
    from kinerja import regions

    region = regions.get(code)
    return region.name if region else default


def agency_label(alert: Alert, agency_names: dict | None, default_region: str = "") -> str:
    """The agency's name, with its region's when that is not the brief's own (a province)."""
    name = (agency_names or {}).get(alert.agency_id, alert.agency_id or "–")
    own = region_name(alert.region_code, default_region)
    return f"{name} ({own})" if default_region and own != default_region else name


def describe(alert: Alert, lang: str, agency_names: dict | None = None,
             default_region: str = "") -> str:  # fmt: skip
    """The glossary sentence of one alert, with its figures formatted for ``lang``."""
    d = ALERTS[alert.rule]
    f = alert.figures
    own = region_name(alert.region_code, default_region)
    elsewhere = bool(default_region) and own != default_region  # a kab/kota in a province brief
    values = {
        "category": alert.subject.get("category") or "–",
        "district": alert.subject.get("district") or "–",
        "channel": channel_name(alert.subject.get("channel"), lang),
        "source": source_name(alert.subject.get("source"), lang),
        "region": region_name(alert.region_code, default_region),
        "agency": agency_label(alert, agency_names, default_region),
    }
    for key in ("count", "overdue_backlog", "weeks", "n_due", "working_days", "due_first_day",
                "window_weeks"):  # fmt: skip
        if key in f:
            values[key] = fmt.num(f[key], 0, lang)
    for key in ("baseline", "ratio", "age_days", "usual_days"):
        if key in f:
            values[key] = fmt.num(f[key], 1, lang)
    for key in ("score", "before") if alert.rule == "score_fell" else ():
        values[key] = fmt.num(f[key], 2, lang)
    if alert.rule == "score_fell":
        values["status"] = status_word(f["status"], lang)
    if alert.rule == "response_drop":
        values["now"], values["before"] = fmt.pct(f["now"], 1, lang), fmt.pct(f["before"], 1, lang)
    if "series" in f:
        values["series"] = " → ".join(fmt.num(v, 0, lang) for v in f["series"])
    if "last_export" in f:
        values["last_export"] = fmt.date(dt.datetime.fromisoformat(f["last_export"]), lang, False)
    template = d.message_id if lang == "id" else d.message_en
    text = template.format(**values)
    if elsewhere and alert.rule in ("spike_district", "spike_channel"):
        text = f"{own} · {text}"
    return text


def rule_text(rule: str, settings, lang: str) -> str:
    """The rule of ``rule`` with the thresholds of ``settings`` (a region's, via for_region)."""
    d = ALERTS[rule]
    conf = dict(settings.raw.get("alerts", {}).get(d.settings, {}))
    shown = {}
    for key, value in conf.items():
        if isinstance(value, float) and value < 0.01:
            shown[key] = fmt.num(value, 3, lang)
        elif isinstance(value, float):
            shown[key] = fmt.num(value, 2 if value % 1 else 0, lang)
        else:
            shown[key] = fmt.num(value, 0, lang) if isinstance(value, int) else str(value)
    if "response_min_drop" in conf:
        shown["response_min_drop_pts"] = fmt.num(conf["response_min_drop"] * 100, 0, lang)
    template = d.rule_id if lang == "id" else d.rule_en
    return template.format(**shown)


def reason_text(rule: str, lang: str) -> str:
    d = ALERTS[rule]
    return d.reason_id if lang == "id" else d.reason_en


def label(rule: str, lang: str) -> str:
    d = ALERTS[rule]
    return d.label_id if lang == "id" else d.label_en
