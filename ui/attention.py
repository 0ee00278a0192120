""" "Perlu perhatian" (the week's alerts, each linking to the page that explains it), an agency's
coming-due list and the brief's "Unduh PDF" button: thin Streamlit pieces over ``ui.data``.

The alert rules, their sentences and the brief itself live in ``kpi/`` (``kpi.alerts``,
``kpi.brief``); here they are only laid out. The PDF is made when the button is clicked (and
kept), never while the page is drawn.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui import data, tables
from ui.i18n import fmt_date, fmt_num, masked, t
from ui.story import escape_md
from ui.tables import Column

PAGES_DIR = Path("app_pages")  # relative to dashboard.py, the main script
PAGE_FILES = {
    "explore": "4_Jelajah.py",
    "scorecard": "2_Rapor_OPD.py",
    "data": "7_Data_Definisi.py",
}
ICONS = {"spike": ":material/trending_up:", "deteriorating": ":material/trending_down:",
         "coming_due": ":material/schedule:", "stale": ":material/sync_problem:"}  # fmt: skip
FAMILIES = ("spike", "deteriorating", "stale", "coming_due")


def _link(line: dict, lang: str) -> None:
    """The alert as a link to its page (with its filters), or as text where pages cannot be
    linked (a page run on its own, as in tests)."""
    label = escape_md(line["text"])
    try:
        st.page_link(str(PAGES_DIR / PAGE_FILES[line["page"]]), label=label,
                     icon=ICONS[line["family"]], query_params={**line["params"], "lang": lang})  # fmt: skip
    except (StreamlitAPIException, KeyError):
        st.markdown(f"- {label}")


def show_alerts(week: str, lang: str, agency: str | None = None, limit: int = 8) -> None:
    """The week's alerts (one agency's with ``agency``), grouped by family, most urgent first."""
    st.subheader(t("alerts.title"))
    lines = data.alert_lines(week, lang, agency)
    due = [x for x in lines if x["family"] == "coming_due"]
    others = [x for x in lines if x["family"] != "coming_due"]
    if not others and (agency or not due):
        st.caption(t("alerts.none"))
    shown = 0
    for family in FAMILIES[:-1]:
        group = [x for x in others if x["family"] == family]
        if not group or shown >= limit:
            continue
        st.markdown(f"**{t(f'alerts.family.{family}')}**")
        for line in group[: max(limit - shown, 0)]:
            _link(line, lang)
            shown += 1
    if len(others) > shown:
        st.caption(t("alerts.more", n=fmt_num(len(others) - shown)))
    if due and not agency:
        st.markdown(f"**{t('alerts.family.coming_due')}**")
        _link(due[0] | {"text": _due_total(due)}, lang)


def _due_total(due: list[dict]) -> str:
    """One line for the region: how many come due, and the agencies with the most."""
    top = ", ".join(f"{x['agency']} ({fmt_num(x['figures']['count'])})" for x in due[:3])
    total = sum(x["figures"]["count"] for x in due)
    days = due[0]["figures"]["working_days"]
    return t("alerts.coming_due_total", n=fmt_num(total), d=days, top=top)


def download_brief(week: str, lang: str, agency: str | None = None) -> None:
    """The "Unduh PDF" button: the same brief as the e-mail, made on the first click."""
    from kpi.brief.cli import file_name

    who = agency or data.settings().region_code or "all"
    st.download_button(
        t("brief.download"),
        data=data.brief_download(week, agency, lang),  # checked now, made (and audited) on click
        file_name=file_name(week, who, lang, "pdf"),
        mime="application/pdf",
        help=t("brief.download_help"),
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        key=f"brief_pdf_{agency or 'region'}_{lang}",
    )


def show_coming_due(week: str, agency: str, days: int = 5) -> None:
    """The agency's complaints whose resolution deadline falls in the next working days."""
    df = data.coming_due(week, agency)
    st.subheader(t("scorecard.coming_due", n=fmt_num(len(df)), d=days))
    if df.empty:
        st.caption(t("scorecard.coming_due_none", d=days))
        return
    columns = [Column("due", t("col.due")), Column("left", t("col.working_day"), num=True),
               Column("id", t("col.id")), Column("category", t("col.category"), optional=True),
               Column("district", t("col.district"), optional=True),
               Column("title", t("col.title"))]  # fmt: skip
    rows = [{"due": fmt_date(r["due_at_local"]), "left": fmt_num(r["working_days_left"]),
             "id": r["complaint_id"], "category": r["category"] or "–",
             "district": r["district"] or "–", "title": masked(r["title"])}
            for r in df.to_dict("records")]  # fmt: skip
    tables.show(tables.render(columns, rows))


def alert_glossary(lang: str):
    """Every alert rule: its name, the rule with the thresholds in force, and why."""
    import pandas as pd

    from kpi.alerts.text import label, reason_text, rule_text
    from kpi.definitions import ALERTS

    settings = data.settings()
    return pd.DataFrame({"alert": [label(r, lang) for r in ALERTS],
                         "rule": [rule_text(r, settings, lang) for r in ALERTS],
                         "reason": [reason_text(r, lang) for r in ALERTS]})  # fmt: skip
