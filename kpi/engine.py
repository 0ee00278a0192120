"""The engine seam: what the KPI layer asks of a SQL engine (run a model, register a frame, fetch
a result), with DuckDB as the default engine and ClickHouse (embedded: ``chdb``) beside it.

Both engines run the same model files (``kpi/models``, rendered by ``kpi.render``); they differ
only in how a relation is named, how parameters are bound and the constructs of
``kpi.render.DIALECTS``. A DuckDB connection is not thread-safe: ``DuckDBEngine`` runs every call
on a cursor of the calling thread (``cursor``), so callers need no lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import pandas as pd

from kpi.render import render

PARAM = re.compile(r"\$([A-Za-z_]\w*)")


class Engine(Protocol):
    """What the KPI layer needs from an engine."""

    name: str

    def relation(self, name: str) -> str:
        """The SQL text that names model or source ``name`` on this engine."""

    def run(self, model: str, params: dict | None = None, **context) -> pd.DataFrame:
        """Render ``model`` (``layer/name``) with ``context`` and return its result."""

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """Make ``frame`` a table named ``name`` (seeds: calendars, SLA rules)."""

    def fetch(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """Run one statement with ``$name`` parameters and return its result."""


def used_params(sql: str, params: dict | None) -> dict:
    """The parameters ``sql`` refers to (DuckDB refuses unused named parameters)."""
    names = set(PARAM.findall(sql))
    return {k: v for k, v in (params or {}).items() if k in names}


class DuckDBEngine:
    """DuckDB: relations are tables of the attached file (``wh.kpi.*``) or of the in-memory
    catalog; parameters are bound natively (``$name``)."""

    name = "duckdb"

    def __init__(self, cursor: Callable, relations: dict[str, str], context: dict | None = None):
        self.cursor = cursor
        self.relations = dict(relations)
        self.context = dict(context or {})

    def relation(self, name: str) -> str:
        rel = self.relations.get(name)
        if rel is None:
            raise KeyError(f"no relation for {name!r}")
        if rel.startswith("ephemeral:"):  # dbt's "ephemeral": inlined as a subquery
            return f"({self.render(rel.removeprefix('ephemeral:'))})"
        return rel

    def render(self, model: str, **context) -> str:
        return render(model, self.name, self.relation, {**self.context, **context})

    def fetch(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return self.cursor().execute(sql, used_params(sql, params)).df()

    def execute(self, sql: str, params: dict | None = None) -> None:
        self.cursor().execute(sql, used_params(sql, params)).fetchall()

    def run(self, model: str, params: dict | None = None, **context) -> pd.DataFrame:
        return self.fetch(self.render(model, **context), params)

    def register(self, name: str, frame: pd.DataFrame) -> None:
        cur = self.cursor()
        cur.register("_frame", frame)
        cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
        cur.unregister("_frame")


def clickhouse_params(sql: str, params: dict | None) -> tuple[str, dict]:
    """``$name`` → ClickHouse's typed ``{name:Type}``, values as ClickHouse reads them.

    Strings are Nullable(String) (a NULL scope value is ``\\N``); times are naive UTC.
    """
    params = used_params(sql, params)
    types, values = {}, {}
    for key, value in params.items():
        if isinstance(value, bool):
            types[key], values[key] = "Bool", "true" if value else "false"
        elif isinstance(value, int):
            types[key], values[key] = "Int64", str(value)
        elif isinstance(value, float):
            types[key], values[key] = "Float64", repr(value)
        elif isinstance(value, datetime):
            types[key], values[key] = "DateTime64(6, 'UTC')", value.strftime("%Y-%m-%d %H:%M:%S.%f")
        elif isinstance(value, date):
            types[key], values[key] = "Date32", value.isoformat()
        elif value is None:
            types[key], values[key] = "Nullable(String)", "\\N"
        else:
            text = str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            types[key], values[key] = "Nullable(String)", text
    return PARAM.sub(lambda m: f"{{{m.group(1)}:{types[m.group(1)]}}}", sql), values


class ClickHouseEngine:
    """ClickHouse through ``chdb`` (its embedded form): the staged facts are the Parquet lake
    written by ``python -m kpi export-lake``; the daily grain is built as MergeTree tables."""

    name = "clickhouse"
    # Standard SQL semantics: NULL (not 0 or '') for the missing side of an outer join; a column
    # name means the input column even where the SELECT defines an alias of that name; naive UTC.
    SETTINGS = (
        "SET join_use_nulls = 1",
        "SET prefer_column_name_to_alias = 1",
        "SET session_timezone = 'UTC'",
    )

    def __init__(self, lake: str | Path, path: str | None = None):
        from chdb import session  # optional: only this engine needs it

        self.lake = Path(lake)
        self.session = session.Session(path) if path else session.Session()
        self.relations: dict[str, str] = {
            "stg_complaints": self._lake("stg_complaints"),
            "stg_services": self._lake("stg_services"),
            "int_complaint_events": "ephemeral:intermediate/int_complaint_events",
        }

    def _lake(self, table: str) -> str:
        glob = str(self.lake / table / "**" / "*.parquet").replace("'", "\\'")
        return f"file('{glob}', Parquet)"

    def relation(self, name: str) -> str:
        rel = self.relations.get(name, name)
        if rel.startswith("ephemeral:"):
            return f"({self.render(rel.removeprefix('ephemeral:'))})"
        return rel

    def render(self, model: str, **context) -> str:
        return render(model, self.name, self.relation, context)

    def fetch(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        sql, values = clickhouse_params(sql, params)
        prefix = "; ".join(self.SETTINGS)
        df = self.session.query(f"{prefix}; {sql}", "DataFrame", params=values)
        for col in df.columns:  # DateTime64(6, 'UTC') → naive UTC, as DuckDB returns
            if isinstance(df[col].dtype, pd.DatetimeTZDtype):
                df[col] = df[col].dt.tz_convert("UTC").dt.tz_localize(None)
        return df

    def run(self, model: str, params: dict | None = None, **context) -> pd.DataFrame:
        return self.fetch(self.render(model, **context), params)

    def materialize(self, model: str, name: str, params: dict | None = None, order_by="tuple()"):
        """Build table ``name`` from ``model`` (the daily grain on ClickHouse)."""
        sql = self.render(model)
        sql, values = clickhouse_params(sql, params)
        ddl = (
            f"DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ENGINE = MergeTree "
            f"ORDER BY {order_by} AS {sql}"
        )
        self.session.query(f"{'; '.join(self.SETTINGS)}; {ddl}", params=values)
        self.relations[name] = name

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.session.query(
            f"DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ENGINE = Memory AS "
            f"SELECT * FROM Python(frame)"
        )
        self.relations[name] = name

    def close(self) -> None:
        self.session.close()
