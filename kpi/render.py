"""Render the SQL models of ``kpi/models/`` for one engine: a few dbt-style ``{{ macro() }}`` calls.

A model is plain SQL with ``$name`` parameters (bound by the engine, never formatted in) and a
small set of macros, each a trusted, closed piece of text:

- ``{{ ref('int_complaints_daily') }}`` / ``{{ source('complaints') }}``: the relation a model
  reads, as the engine names it (a table of the database file, of the in-memory build, or the
  Parquet lake on ClickHouse); ``{{ ref(daily) }}`` takes the name from the render context.
- ``{{ group() }}``: the grouping column of the call (``by``, checked against ``GROUPABLE``).
- ``{{ scope() }}``: the scope filter (``$agency_id`` ...), one text for every model.
- ``{{ measures(received=1, ...) }}`` / ``{{ sum_measures([condition]) }}`` / ``{{ measure_names() }}``: the
  additive counts of the daily grain, declared once in ``MEASURES``.
- ``{{ quantiles(x) }}``, ``{{ periods() }}``: engine-specific constructs, from ``DIALECTS``.
- ``{{ local_date(col) }}``, ``{{ region_code(x) }}``, ``{{ touched(x) }}``: staging only (DuckDB),
  given by ``kpi.build`` as callables in the render context.

``DIALECTS`` is the whole list of constructs that differ between DuckDB and ClickHouse; each
entry is tested on both engines (tests/kpi/test_engines.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from kinerja import fields

MODELS_DIR = Path(__file__).resolve().parent / "models"

# Stands for a NULL group value inside SQL (NULLs never match in joins); None again in pandas.
NULL_GROUP = "∅"

# The additive counts of the daily grain (int_complaints_daily), in column order. What each
# counts on its day is defined in models/intermediate/int_complaint_events.sql.
MEASURES = (
    "received",
    "n_rejected",
    "n_valid_received",
    "n_received_resp_known",
    "n_received_close_known",
    "closed",
    "n_closed_estimated",
    "n_reopened",
    "n_closed_rateable",
    "n_rated",
    "satisfaction_sum",
    "n_response_due",
    "n_response_met",
    "n_resolution_due",
    "n_resolution_met",
    "n_bl_out",
    "n_od_in",
    "n_od_out",
)

# Constructs that differ between engines: (DuckDB, ClickHouse). Exact quantiles: DuckDB's
# quantile_cont and ClickHouse's quantilesExactInclusive both interpolate linearly between the
# order statistics at (n - 1) * q (a transpiler's quantile() would be ClickHouse's approximate one).
DIALECTS = {
    "quantiles": (
        "quantile_cont({x}, [0.5, 0.9])",
        "quantilesExactInclusive(0.5, 0.9)({x})",
    ),
    "null_text": ("CAST(NULL AS VARCHAR)", "CAST(NULL AS Nullable(String))"),
    "periods": (
        "SELECT CAST(range AS BIGINT) AS pid FROM range(CAST($n AS BIGINT))",
        "SELECT CAST(number AS Int64) AS pid FROM numbers(CAST($n AS UInt64))",
    ),
}
ENGINES = ("duckdb", "clickhouse")

# Group-by columns and scope filters, derived from the one declaration (kinerja/fields.py).
GROUPABLE = {None: "'all'"} | {c: c for c in fields.dimension_columns("complaints")}
SERVICE_GROUPABLE = (
    {None: "'all'"}
    | {c: c for c in fields.dimension_columns("services")}
    | {"service_type": "service_type"}
)

# A region scope covers the region and every region below it (a province: its kab/kota).
# Portable: LIKE rather than DuckDB's starts_with (region codes hold no % or _).
REGION_WHERE = "($region IS NULL OR region_code = $region OR region_code LIKE ($region || '.%'))"


def _scope_where(target: str) -> str:
    keys = [k for k in fields.scope_keys() if k != "region"]
    keys = [k for k in keys if k in fields.dimension_columns(target)]
    return (
        "("
        + "\n    AND ".join([REGION_WHERE] + [f"(${k} IS NULL OR {k} = ${k})" for k in keys])
        + ")"
    )


SCOPE_WHERE = _scope_where("complaints")
SERVICE_SCOPE_WHERE = _scope_where("services")

MACRO = re.compile(r"\{\{\s*(\w+)\s*(?:\((.*?)\))?\s*\}\}", re.DOTALL)


class RenderError(ValueError):
    """A model uses an unknown macro or context value (a programming error)."""


def model_text(name: str) -> str:
    """The raw text of ``models/<name>.sql`` (``name`` like ``marts/complaint_metrics``)."""
    return (MODELS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def model_names(layer: str) -> list[str]:
    """The models of one layer (staging, intermediate, marts), as ``layer/name``."""
    return sorted(f"{layer}/{p.stem}" for p in (MODELS_DIR / layer).glob("*.sql"))


def split_args(text: str) -> list[str]:
    """Split macro arguments on top-level commas (not inside parentheses or quotes)."""
    out, depth, quote, cur = [], 0, None, []
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def _unquote(arg: str, context: dict) -> str:
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "'\"":
        return arg[1:-1]
    if arg not in context:
        raise RenderError(f"unknown context value {arg!r}")
    return str(context[arg])


def render(name: str, engine: str, relations, context: dict | None = None) -> str:
    """The text of model ``name`` for ``engine`` ('duckdb' | 'clickhouse').

    ``relations``: a callable mapping a model or source name to the relation text.
    ``context``: trusted render-time values (``by``, ``daily``, ``local_date`` mode, ...).
    """
    return render_text(model_text(name), engine, relations, context)


def render_text(text: str, engine: str, relations, context: dict | None = None) -> str:
    """Expand the macros of ``text`` (see the module docstring)."""
    if engine not in ENGINES:
        raise RenderError(f"unknown engine {engine!r}")
    ctx = dict(context or {})
    side = ENGINES.index(engine)

    def expand(m: re.Match) -> str:
        macro, raw = m.group(1), m.group(2) or ""
        args = split_args(raw)
        if macro in ("ref", "source"):
            return relations(_unquote(args[0], ctx))
        if macro == "group":
            table = SERVICE_GROUPABLE if ctx.get("services") else GROUPABLE
            by = ctx.get("by")
            if by not in table:
                raise RenderError(f"cannot group by {by!r}")
            return f"coalesce(CAST({table[by]} AS VARCHAR), '{NULL_GROUP}')"
        if macro == "scope":
            return SERVICE_SCOPE_WHERE if ctx.get("services") else SCOPE_WHERE
        if macro == "measures":
            given = dict(a.split("=", 1) for a in args)
            unknown = set(given) - set(MEASURES)
            if unknown:
                raise RenderError(f"unknown measures {sorted(unknown)}")
            return ",\n    ".join(f"{given.get(n, '0')} AS {n}" for n in MEASURES)
        if macro == "sum_measures":  # optional argument: count only the rows that meet it
            when = (lambda n: f"CASE WHEN {args[0]} THEN {n} ELSE 0 END") if args else str
            return ",\n    ".join(f"CAST(sum({when(n)}) AS BIGINT) AS {n}" for n in MEASURES)
        if macro == "measure_names":  # optional argument: the relation to qualify them with
            return ", ".join(f"{args[0]}.{n}" if args else n for n in MEASURES)
        if macro in DIALECTS:
            return DIALECTS[macro][side].format(x=args[0] if args else "")
        if callable(ctx.get(macro)):  # staging helpers given by kpi.build (local_date, ...)
            return ctx[macro](*[a.strip("'\"") for a in args])
        raise RenderError(f"unknown macro {macro!r}")

    return MACRO.sub(expand, text)
