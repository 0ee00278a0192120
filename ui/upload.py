"""Upload an export in the browser (operators), on the Data & Definisi page.

Choose a file (stated limits on size and type), the source mapping and the region (pre-filled
from what the file says), load it with a progress bar, then see the summary the CLI prints: rows
read, inserted, updated, unchanged, quarantined with reasons, the period. It goes through
``ui.data_admin.upload`` (checked, audited) to ``etl.upload`` and ``etl.load.load_file``. A file
that cannot be used changes nothing and is explained in the reader's language, naming the file,
row and column.
"""

from __future__ import annotations

import re

import streamlit as st

from kinerja import regions
from ui import data, data_admin, layout
from ui.escape import Markdown
from ui.i18n import fmt_datetime, fmt_num, t, t_plain, value_label

_LAST = "_kj_last_upload"  # the last upload's summary, shown again after the page reloads
STAGES = {"waiting": 0.05, "reading": 0.15, "mapping and validating": 0.45, "writing": 0.8}

# The ETL's English reasons (etl.errors.LoadError.message) → catalogue keys with their values.
ERRORS = [
    (r"^unsupported file type (?P<kind>\S+); expected one of (?P<types>.+)$", "type"),
    (r"^file is larger than (?P<mb>\d+) MB$", "size"),
    (r"^file is empty$", "empty"),
    (r"^not a text file \(binary content\); expected (?P<kind>\w+)$", "binary"),
    (r"^UTF-16 text without a byte-order mark", "utf16"),
    (r"^(not an XLSX workbook|cannot open the workbook)", "xlsx"),
    (r"^(not a Parquet file|cannot read as Parquet)", "parquet"),
    (r"^no recognisable header: expected a row with the columns (?P<cols>.+) \(source", "header"),
    (
        r"^required column missing \(source '(?P<source>[^']+)' needs it for (?P<field>\w+)\)",
        "column_missing",
    ),  # fmt: skip
    (r"^column needed for the status rules", "status_column"),
    (r"^(not valid JSON|not usable JSON|expected a JSON array)", "json"),
    (r"^not valid XML", "xml"),
    (r"^rows of region (?P<found>.+) lie outside region (?P<scope>\S+), which", "outside_region"),
    (r"^source '(?P<source>[^']+)' reads (?P<types>.+) files, not (?P<kind>\w+)$", "wrong_type"),
    (r"is in the future", "future"),
    (r"^this is the demo database", "demo"),
    (r"^unknown region code", "region"),
]


def error_text(err) -> str:
    """A ``LoadError`` in the reader's language: what is wrong, where (file, row, column), and
    that nothing changed; an unknown reason keeps the ETL's own words as the detail."""
    where = [t("upload.where.file", file=err.file or "–")]
    if err.row is not None:
        where.append(t("upload.where.row", row=fmt_num(err.row)))
    if err.column:
        where.append(t("upload.where.column", column=err.column))
    why = t("upload.err.other", detail=err.message)
    for pattern, key in ERRORS:
        found = re.search(pattern, err.message)
        if found:
            values = {k: v for k, v in found.groupdict().items() if v}
            if "found" in values:  # "33.74 (1,234 rows), 33.01 (3 rows)" in the reader's words
                values["found"] = _region_counts(values["found"])
            why = t(f"upload.err.{key}", **values)
            break
    return t("upload.error", where=Markdown(", ".join(where)), why=why)  # each part escaped once


def _region_counts(text: str) -> str:
    """The ETL's ``33.74 (1,234 rows), 33.01 (3 rows)`` with the counts in the reader's words."""
    parts = re.findall(r"(\S+) \(([\d,]+) rows\)", text)
    if not parts:
        return text
    return ", ".join(
        t_plain("upload.region_rows", code=code, n=fmt_num(int(n.replace(",", ""))))
        for code, n in parts
    )


def _region_label(code: str) -> str:
    found = regions.get(code)
    return f"{found.name} ({code})" if found else code


def section() -> None:
    """The upload form and the last upload's summary."""
    st.subheader(t("upload.title"))
    mb, types = data_admin.upload_limits()
    st.caption(t("upload.limits", mb=fmt_num(mb), types=", ".join(types)))
    last = st.session_state.get(_LAST)
    if last:
        summary_view(last)
    file = st.file_uploader(
        t("upload.file"), type=list(types), max_upload_size=mb, key="upload_file"
    )
    if file is None:
        return
    content = file.getvalue()
    with layout.guard(stop=True):
        found = data_admin.guess_upload(file.name, content)
        sources = data_admin.upload_sources()
        codes = data_admin.upload_regions()
    names = [s["name"] for s in sources]
    titles = {s["name"]: s["title"] for s in sources}
    source = st.selectbox(
        t("upload.source"), names, index=names.index(found["source"]) if found["source"] in names
        else 0, format_func=titles.get, key=f"upload_source_{file.file_id}",
    )  # fmt: skip
    mine = data.principal().region
    wanted = found["region"] if found["region"] in codes else mine
    region = st.selectbox(
        t("upload.region"), codes, index=codes.index(wanted) if wanted in codes else 0,
        format_func=_region_label, key=f"upload_region_{file.file_id}",
        help=t("upload.region_help"),
    )  # fmt: skip
    if found["source"] or found["region"]:
        st.caption(t("upload.guessed"))
    if st.button(t("upload.go"), type="primary", key="upload_go"):
        run(file.name, content, source, region)


def run(name: str, content: bytes, source: str, region: str) -> None:
    """Load the file with a progress bar; keep its summary and reload the page's figures."""
    from etl.errors import LoadError

    bar = st.progress(0.0, text=t("upload.stage.receiving"))

    def step(stage: str) -> None:
        key = "mapping" if stage.startswith("mapping") else stage
        bar.progress(STAGES.get(stage, 0.5), text=t(f"upload.stage.{key}"))

    try:
        summary = data_admin.upload(name, content, source, region, progress=step)
    except LoadError as err:
        bar.empty()
        st.error(error_text(err), icon=":material/error:")
        return
    except data.AccessDenied as err:
        bar.empty()
        layout.show_denied(err)
        return
    bar.progress(1.0, text=t("upload.stage.done"))
    st.session_state[_LAST] = summary.to_dict()
    st.rerun()  # the load history and every figure now read the new file


def summary_view(s: dict) -> None:
    """The CLI's summary of one load: counts, period, export time, reasons, notes."""
    st.success(t("upload.done", file=s["file"], source=value_label("source", s["source"])))
    keys = ("read", "inserted", "updated", "unchanged", "quarantined")
    for col, key in zip(st.columns(len(keys)), keys, strict=True):
        col.metric(t(f"data.col.{key}"), fmt_num(s[key]), border=True)
    lines = [
        t("upload.period", start=s["period_start"][:10], end=s["period_end"][:10])
        if s.get("period_start")
        else t("upload.no_valid_rows")
    ]
    if s.get("exported_at"):
        exported = fmt_datetime(_ts(s["exported_at"]))
        lines.append(t(f"upload.exported.{s.get('exported_at_source') or 'mtime'}", at=exported))
    if s.get("stale"):
        lines.append(t("upload.stale", n=fmt_num(s["stale"])))
    for reason, n in sorted(s.get("reasons", {}).items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(t("upload.reason", reason=value_label("reason", reason), n=fmt_num(n)))
    st.markdown("\n".join(f"- {line}" for line in lines))


def _ts(text: str):
    import pandas as pd

    return pd.Timestamp(text).to_pydatetime()
