"""The warehouse fields and the dimensions, declared once.

Why one place: the ETL's mapping fields and upsert column lists, the KPI layer's scope keys and
group-by columns, the CLI's ``--by`` values and the app's filters all derive from these tables,
so a new field or dimension is added here and nowhere else by hand.

``Field``: one warehouse column fed (or derived) by the ETL. ``Dimension``: a column the KPI
layer can scope to (``scope={"district": ...}``) and group by (``by="district"``).
"""

from __future__ import annotations

from dataclasses import dataclass

TARGETS = ("complaints", "services")


@dataclass(frozen=True)
class Field:
    """One column of a fact table.

    ``mapping``: the mapping field that feeds it (``[columns] <mapping> = "Source column"``);
    None for columns the ETL derives. ``stored``: kept in the warehouse row and compared by the
    upsert (False for mapping-only inputs such as the reporter, which is only hashed).
    ``time``: a timestamp parsed with the mapping's date formats (UTC in the warehouse).
    """

    name: str
    mapping: str | None = None
    required: bool = False
    time: bool = False
    stored: bool = True


@dataclass(frozen=True)
class Dimension:
    """A column to scope and group by: its CLI name and the tables that have it."""

    column: str
    cli: str
    complaints: bool = True
    services: bool = True
    filter: bool = True  # offered as a filter in the app's explore page


COMPLAINT_FIELDS: tuple[Field, ...] = (
    Field("complaint_id", "complaint_id", required=True, stored=False),
    Field("created_at", "created_at", required=True, time=True),
    Field("status", "status", required=True),
    Field("first_response_at", "first_response_at", time=True),
    Field("closed_at", "closed_at", time=True),
    Field("response_due_at", "response_due_at", time=True),
    Field("resolution_due_at", "resolution_due_at", time=True),
    Field("agency_id", "agency"),
    Field("region_code", "region"),
    Field("category", "category"),
    Field("channel", "channel"),
    Field("district", "district"),
    Field("village", "village"),
    Field("lat", "lat"),
    Field("lon", "lon"),
    Field("title", "title"),
    Field("body", "body"),
    Field("satisfaction", "satisfaction"),
    Field("reopen_count", "reopen_count"),
    Field("reporter_hash", "reporter"),
    Field("raw_status"),
    Field("has_response_time"),
    Field("has_close_time"),
    Field("closed_at_missing"),
)

SERVICE_FIELDS: tuple[Field, ...] = (
    Field("service_id", "service_id", required=True, stored=False),
    Field("submitted_at", "submitted_at", required=True, time=True),
    Field("status", "status", required=True),
    Field("service_type", "service_type"),
    Field("agency_id", "agency"),
    Field("region_code", "region"),
    Field("completed_at", "completed_at", time=True),
    Field("due_at", "due_at", time=True),
    Field("district", "district"),
    Field("channel", "channel"),
    Field("standard_days", "standard_days"),
    Field("raw_status"),
)

FIELDS: dict[str, tuple[Field, ...]] = {"complaints": COMPLAINT_FIELDS, "services": SERVICE_FIELDS}

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("region_code", "region"),
    Dimension("agency_id", "agency"),
    Dimension("category", "category", services=False),
    Dimension("district", "district"),
    Dimension("village", "village", services=False, filter=False),
    Dimension("channel", "channel"),
    Dimension("source", "source", filter=False),
)


def mapping_fields(target: str) -> tuple[str, ...]:
    """Every field a mapping's ``[columns]`` may name, required ones first."""
    fields = FIELDS[target]
    first = tuple(f.mapping for f in fields if f.required)
    return first + tuple(f.mapping for f in fields if f.mapping and not f.required)


def required_fields(target: str) -> tuple[str, ...]:
    """The mapping fields every source must name: id, creation time, status."""
    return tuple(f.mapping for f in FIELDS[target] if f.required)


def key_column(target: str) -> str:
    """The id column of a fact table (unique per source and id scope)."""
    return FIELDS[target][0].name


def time_fields(target: str) -> tuple[str, ...]:
    """The timestamp columns, the creation/submission time first."""
    return tuple(f.name for f in FIELDS[target] if f.time)


def stored_columns(target: str) -> tuple[str, ...]:
    """The columns the upsert writes and compares (besides keys and load bookkeeping)."""
    return tuple(f.name for f in FIELDS[target] if f.stored)


def dimension_columns(target: str = "complaints") -> tuple[str, ...]:
    """Columns the KPI layer scopes to and groups by, for one fact table."""
    return tuple(d.column for d in DIMENSIONS if getattr(d, target))


def scope_keys() -> tuple[str, ...]:
    """Keys a KPI scope may carry (``region`` is the region scope: a code and its children)."""
    return ("region",) + tuple(
        d.column for d in DIMENSIONS if d.filter and d.column != "region_code"
    )


def cli_by() -> dict[str, str]:
    """``--by`` values of ``python -m kpi weekly`` -> group-by column."""
    return {d.cli: d.column for d in DIMENSIONS}


def filter_dimensions() -> tuple[str, ...]:
    """The dimensions the explore page offers as filters (region lives in the sidebar)."""
    return tuple(d.column for d in DIMENSIONS if d.filter and d.column != "region_code")
