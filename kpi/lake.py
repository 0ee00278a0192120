"""The staged facts as a Parquet lake, and the KPI models on ClickHouse over it.

``export_lake(db, out)`` (``python -m kpi export-lake DIR``) writes ``stg_complaints`` and
``stg_services`` as Hive-partitioned Parquet, ``<table>/region_code=33.74/year=2026/month=3/``
(ASCII keys: ClickHouse does not decode URL-encoded folder names), plus ``lake.json``: the
settings, zones and as-of time the facts were staged with. Everything settings-dependent
(deadlines, local dates) is already in the facts, so an engine without the calendar can compute
every metric from them.

``LakeWarehouse.open(out)`` runs the same models on ClickHouse (``chdb``, its embedded form): it
builds the daily grain as MergeTree tables from the lake and answers ``weekly`` and
``breakdown`` (every period × group metric) through the very methods of ``kpi.Warehouse``;
views that read single complaints at a time t (ages, open complaints) stay on DuckDB.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from kpi.build import FAR_PAST
from kpi.engine import ClickHouseEngine
from kpi.settings import Settings
from kpi.warehouse import Warehouse

PARTITIONS = {"stg_complaints": "created_d", "stg_services": "submitted_d"}
MANIFEST = "lake.json"


def export_lake(db, out, config=None, tz=None, country=None) -> dict:
    """Write the staged facts of ``db`` under ``out`` (replacing an earlier export there)."""
    out = Path(out)
    wh = Warehouse.open(db, config=config, tz=tz, country=country)
    try:
        counts = {}
        for table, day in PARTITIONS.items():
            target = out / table
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            rel = wh.engine.relation(table)
            counts[table] = wh.con.execute(f"SELECT count(*) FROM {rel}").fetchall()[0][0]
            select = (f"SELECT *, CAST(year({day}) AS INTEGER) AS year, "
                      f"CAST(month({day}) AS INTEGER) AS month FROM {rel}")  # fmt: skip
            if counts[table]:
                literal = str(target).replace("'", "''")
                wh.con.execute(
                    f"COPY ({select}) TO '{literal}' (FORMAT parquet, PARTITION_BY (region_code,"
                    " year, month), WRITE_PARTITION_COLUMNS true)"
                )
            else:  # no partition at all: one empty file keeps the table's columns
                literal = str(target / "empty.parquet").replace("'", "''")
                wh.con.execute(f"COPY ({select} LIMIT 0) TO '{literal}' (FORMAT parquet)")
        as_of = wh.facts["data_as_of"]
        manifest = {
            "settings": wh.settings.raw,
            "zones": wh.facts["zones"],
            "data_as_of": as_of.isoformat(sep=" ") if as_of else None,
            "rows": counts,
            "kpi_tables": wh.facts["kpi_tables"],
        }
        (out / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))
        return {"lake": str(out), "rows": counts}
    finally:
        wh.close()


class LakeWarehouse(Warehouse):
    """``Warehouse``'s metric methods on ClickHouse over a lake written by ``export_lake``."""

    def __init__(self, engine: ClickHouseEngine, settings: Settings, facts: dict):
        self.path = engine.lake
        self.settings = settings
        self.facts = facts
        self.engine = engine

    @classmethod
    def open(cls, lake, settings: Settings | None = None):  # type: ignore[override]
        lake = Path(lake)
        manifest = json.loads((lake / MANIFEST).read_text())
        engine = ClickHouseEngine(lake)
        engine.materialize("intermediate/int_complaints_daily", "int_complaints_daily",
                           {"from_day": FAR_PAST})  # fmt: skip
        engine.materialize("intermediate/int_complaints_daily_agency",
                           "int_complaints_daily_agency", {"from_day": FAR_PAST})  # fmt: skip
        as_of = manifest["data_as_of"]
        facts = {
            "zones": manifest["zones"],
            "data_as_of": datetime.fromisoformat(as_of) if as_of else None,
            "kpi_tables": "ClickHouse over the lake",
            "meta": {},
        }
        return cls(engine, settings or Settings(manifest["settings"]), facts)

    def close(self) -> None:
        self.engine.close()
