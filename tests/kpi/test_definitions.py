"""Every metric named in docs/KPI.md exists, under that exact name, in the glossary and in
``Warehouse.summary``; every glossary entry has both languages and a formula."""

from __future__ import annotations

import re

from kinerja.paths import KPI_DOC
from kpi.definitions import METRICS

KPI_MD = KPI_DOC.read_text()


def kpi_md_names() -> set[str]:
    table = set(re.findall(r"^\| `([a-z0-9_]+)(?:\(t\))?`", KPI_MD, flags=re.M))
    pairs = re.findall(r"^\| `([a-z0-9_]+)`, `([a-z0-9_]+)`", KPI_MD, flags=re.M)
    table |= {n for pair in pairs for n in pair}
    section = KPI_MD.split("## Service metrics")[1].split("##")[0]
    services = set(re.findall(r"`([a-z_]+)(?:\(t\))?`", section))
    return table | services


def test_kpi_md_names_are_all_defined():
    names = kpi_md_names()
    assert {"received", "backlog", "p90_days_to_resolve", "rated_share", "service_backlog"} <= names
    assert names <= set(METRICS), names - set(METRICS)


def test_glossary_entries_are_complete():
    for name, d in METRICS.items():
        assert d.label_id and d.label_en and d.formula_id and d.formula_en, name
        assert d.unit in {"count", "share", "days", "rating", "score"}, name


def test_summary_has_every_metric(tmp_path):
    from kpi import Warehouse
    from tests.kpi import week_fixture as F
    from tests.kpi.conftest import make_db

    wh = Warehouse.open(make_db(tmp_path / "w.duckdb", F.COMPLAINTS, F.SERVICES))
    summary = wh.summary("2015-W29")
    assert set(METRICS) <= set(summary)
