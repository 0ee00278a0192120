"""What one recipient receives: an e-mail with their brief attached, and the webhook's JSON.

The e-mail's text repeats the alerts (the glossary's sentences) so a phone shows them without
opening the PDF; links open the app's page that explains each alert when ``notify.app_url`` is
set. The JSON carries the same alerts with their rule, figures and link, for a WhatsApp gateway.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlencode

from kpi import fmt
from kpi.alerts.text import describe

# the app's stable URL paths (dashboard.py) of the pages that explain each kind of alert
PAGE_PATHS = {"overview": "ringkasan", "explore": "jelajah", "scorecard": "rapor", "data": "data"}

TEXT = {
    "subject_region": ("Kinerja · Ringkasan Mingguan {name} · Minggu {n} ({start} – {end})",
                       "Kinerja · Weekly brief {name} · Week {n} ({start} – {end})"),
    "subject_agency": ("Kinerja · Rapor OPD {name} · Minggu {n} ({start} – {end})",
                       "Kinerja · Report card {name} · Week {n} ({start} – {end})"),
    "hello": ("Ringkasan minggu {n} terlampir (PDF).", "This week's brief is attached (PDF)."),
    "alerts": ("Perlu perhatian:", "Needs attention:"),
    "none": ("Tidak ada yang perlu perhatian minggu ini.", "Nothing needs attention this week."),
    "open": ("Buka di aplikasi: {url}", "Open in the app: {url}"),
    "footer": ("Dikirim otomatis oleh Kinerja setiap Senin.",
               "Sent automatically by Kinerja every Monday."),
}  # fmt: skip


def _t(key: str, lang: str, **kw) -> str:
    pair = TEXT[key]
    return (pair[0] if lang == "id" else pair[1]).format(**kw)


def link(app_url: str, page: str, params: dict, lang: str) -> str:
    """``https://kinerja.example/rapor?week=2026-W47&agency=...&lang=id`` ("" without app_url)."""
    if not app_url:
        return ""
    query = urlencode({**params, "lang": lang})
    return f"{app_url.rstrip('/')}/{PAGE_PATHS.get(page, '')}?{query}"


def week_parts(ref, lang: str) -> dict:
    from datetime import timedelta

    return {"n": int(ref.label.split("W")[1]), "start": fmt.day_month(ref.monday, lang),
            "end": fmt.date(ref.end - timedelta(days=1), lang, long=False)}  # fmt: skip


def alert_items(ctx, alerts: list, lang: str, app_url: str) -> list[dict]:
    """The alerts as the webhook sends them: rule, family, sentence, figures, link."""
    return [{"rule": a.rule, "family": a.family, "region_code": a.region_code,
             "agency_id": a.agency_id, "subject": a.subject, "figures": a.figures,
             "text": describe(a, lang, ctx.agency_names, ctx.name), "key": a.key,
             "link": link(app_url, a.page, a.link_params(), lang)}
            for a in alerts]  # fmt: skip


def email(recipient, ctx, name: str, alerts: list, attachment: tuple[str, bytes], sender: str,
          app_url: str) -> EmailMessage:  # fmt: skip
    """The e-mail of one recipient: subject, the alerts in words, the brief attached."""
    lang = recipient.language
    kind = "subject_agency" if recipient.agency else "subject_region"
    msg = EmailMessage()
    msg["Subject"] = _t(kind, lang, name=name, **week_parts(ctx.ref, lang))
    msg["From"] = sender
    msg["To"] = recipient.email
    msg["Message-ID"] = make_msgid(domain="kinerja.local")
    lines = [_t("hello", lang, n=week_parts(ctx.ref, lang)["n"]), ""]
    items = alert_items(ctx, alerts, lang, app_url)
    if items:
        lines.append(_t("alerts", lang))
        for item in items:
            lines.append(f"- {item['text']}")
            if item["link"]:
                lines.append(f"  {item['link']}")
    else:
        lines.append(_t("none", lang))
    page = "scorecard" if recipient.agency else "overview"
    params = {"week": ctx.ref.label} | ({"agency": recipient.agency} if recipient.agency else {})
    url = link(app_url, page, params, lang)
    if url:
        lines += ["", _t("open", lang, url=url)]
    lines += ["", _t("footer", lang)]
    msg.set_content("\n".join(lines))
    filename, data = attachment
    msg.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return msg


def payload(recipient, ctx, name: str, alerts: list, app_url: str) -> dict:
    """The webhook's JSON for one recipient."""
    lang = recipient.language
    return {
        "week": ctx.ref.label,
        "region_code": ctx.region,
        "name": name,
        "recipient": recipient.to_dict(),
        "alerts": alert_items(ctx, alerts, lang, app_url),
    }
