"""Declarative source mappings (TOML files in ``etl/sources/``).

A mapping says which source columns feed which warehouse fields, how dates are written and in
which time zone, how raw statuses map to the normalised ones, and which columns hold personal
data. Loading a mapping validates it, so a typo fails before any file is read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from etl.errors import LoadError
from kinerja import fields

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
ALIASES_FILE = SOURCES_DIR / "agency_aliases.toml"

COMPLAINT_STATUSES = ("open", "in_progress", "resolved", "rejected")
SERVICE_STATUSES = ("open", "completed", "rejected")
# Derived from the one declaration of the warehouse fields (kinerja/fields.py).
REQUIRED = {t: fields.required_fields(t) for t in fields.TARGETS}
FIELDS = {t: fields.mapping_fields(t) for t in fields.TARGETS}
ID_SCOPES = ("region", "national")
TIME_FIELDS = {t: fields.time_fields(t) for t in fields.TARGETS}
DEADLINES = ("response_due_at", "resolution_due_at", "due_at")
# Plausible times: from DATE_MIN to the export time plus max_future_days (deadlines lie ahead).
DATE_MIN = "1990-01-01"
MAX_FUTURE_DAYS = 2
DEADLINE_MAX_FUTURE_DAYS = 730


@dataclass
class Mapping:
    """One source mapping, validated."""

    name: str
    target: str
    title: str
    description: str
    timezone: str
    file_types: list[str]
    columns: dict[str, list[str]]
    statuses: dict[str, list[str]]
    date_formats: list[str]
    header_contains: list[str] = field(default_factory=list)
    exported_at_key: str | None = None
    personal_columns: list[str] = field(default_factory=list)
    keep_body: bool = False
    has_response_time: bool | None = None
    has_close_time: bool | None = None
    default_channel: str | None = None
    channel_values: dict[str, str] = field(default_factory=dict)
    agency_aliases: dict[str, str] = field(default_factory=dict)
    status_overrides: list[dict] = field(default_factory=list)
    record_tag: str = "request"
    id_scope: str = "region"  # "national": ids unique across regions (SP4N-LAPOR! tracking ids)
    default_region: str | None = None  # region of rows when neither --region nor a column says
    path: Path | None = None
    date_bounds: dict[str, tuple[datetime, int]] = field(default_factory=dict)

    @property
    def status_values(self) -> tuple[str, ...]:
        return COMPLAINT_STATUSES if self.target == "complaints" else SERVICE_STATUSES

    def bounds(self, exported_at: datetime) -> dict[str, tuple[datetime, datetime]]:
        """Each time field's plausible range (naive UTC) for an export made at ``exported_at``."""
        return {
            f: (lo, exported_at + timedelta(days=days))
            for f, (lo, days) in self.date_bounds.items()
        }


def list_mappings() -> list[Mapping]:
    """Every built-in mapping, sorted by name."""
    return [load_mapping(path=p) for p in sorted(SOURCES_DIR.glob("*.toml")) if p != ALIASES_FILE]


def load_mapping(name: str | None = None, path: str | Path | None = None) -> Mapping:
    """Load a built-in mapping by ``name`` or a user's mapping file by ``path``."""
    if path is None:
        if not name:
            raise LoadError("give a source name (--source) or a mapping file (--mapping)")
        path = SOURCES_DIR / f"{name}.toml"
        if not path.is_file() or path == ALIASES_FILE:
            known = ", ".join(m.name for m in list_mappings())
            raise LoadError(f"unknown source {name!r}; built-in sources: {known}")
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LoadError(f"cannot read mapping: {exc}", file=str(path)) from None
    mapping = _validate(doc, path)
    builtin = path.resolve().parent == SOURCES_DIR
    if not builtin and (SOURCES_DIR / f"{mapping.name}.toml").is_file():
        raise LoadError(
            f"invalid mapping: name {mapping.name!r} belongs to a built-in source; give your "
            "mapping its own name (its rows would mix with the built-in source's)",
            file=str(path),
            column="name",
        )
    return mapping


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _validate(doc: dict, path: Path) -> Mapping:
    def fail(msg: str) -> LoadError:
        return LoadError(f"invalid mapping: {msg}", file=str(path))

    target = doc.get("target", "complaints")
    if target not in REQUIRED:
        raise fail(f"target must be 'complaints' or 'services', not {target!r}")
    columns = {k: _as_list(v) for k, v in doc.get("columns", {}).items()}
    unknown = sorted(set(columns) - set(FIELDS[target]))
    if unknown:
        raise fail(f"unknown fields in [columns]: {', '.join(unknown)}")
    missing = [f for f in REQUIRED[target] if not columns.get(f)]
    if missing:
        raise fail(f"[columns] must name {', '.join(missing)}")
    zone = doc.get("timezone", "Asia/Jakarta")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"unknown time zone {zone!r}") from None
    statuses = {k: _as_list(v) for k, v in doc.get("statuses", {}).items()}
    allowed = COMPLAINT_STATUSES if target == "complaints" else SERVICE_STATUSES
    bad = sorted(set(statuses) - set(allowed))
    if bad or not statuses:
        raise fail(f"[statuses] keys must be among {', '.join(allowed)}")
    for rule in doc.get("status_overrides", []):
        if rule.get("to") not in allowed or not rule.get("column") or not rule.get("contains"):
            raise fail("each [[status_overrides]] needs column, contains and a valid 'to'")
    dates = doc.get("dates", {})
    id_scope = doc.get("id_scope", "region")
    if id_scope not in ID_SCOPES:
        raise fail(f"id_scope must be one of {', '.join(ID_SCOPES)}, not {id_scope!r}")
    con = duckdb.connect()  # a private connection: mappings load in several threads at once
    try:
        formats = [
            _check_format(con, f, fail) for f in _as_list(dates.get("formats", DEFAULT_FORMATS))
        ]
    finally:
        con.close()
    return Mapping(
        name=doc.get("name", path.stem),
        target=target,
        title=doc.get("title", path.stem),
        description=doc.get("description", "").strip(),
        timezone=zone,
        file_types=_as_list(doc.get("file_types", ["csv", "xlsx", "parquet"])),
        columns=columns,
        statuses=statuses,
        date_formats=formats,
        header_contains=_as_list(doc.get("header_contains")),
        exported_at_key=doc.get("exported_at_key"),
        personal_columns=_as_list(doc.get("personal_columns")),
        keep_body=bool(doc.get("keep_body", False)),
        has_response_time=doc.get("has_response_time"),
        has_close_time=doc.get("has_close_time"),
        default_channel=doc.get("default_channel"),
        channel_values={str(k).lower(): v for k, v in doc.get("channel_values", {}).items()},
        agency_aliases=dict(doc.get("agency_aliases", {})),
        status_overrides=list(doc.get("status_overrides", [])),
        record_tag=doc.get("record_tag", "request"),
        id_scope=id_scope,
        default_region=doc.get("default_region"),
        path=path,
        date_bounds=_date_bounds(dates, target, fail),
    )


DEFAULT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


def _check_format(con, fmt: str, fail) -> str:
    """A strptime format DuckDB accepts; ``%f`` becomes ``%n`` (fractions of 1 to 9 digits)."""
    fmt = str(fmt).replace("%f", "%n")
    try:
        con.execute("SELECT try_strptime('2020-01-01', ?)", [fmt]).fetchall()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0].split(": ", 1)[-1]
        raise fail(f"[dates] formats: {fmt!r} is not a date format ({first})") from None
    return fmt


def _date_bounds(dates: dict, target: str, fail) -> dict[str, tuple[datetime, int]]:
    """Per time field: (earliest plausible time, days after the export time it may reach).

    ``[dates] min`` / ``max_future_days`` set every field; ``[dates.fields.<field>]`` one field.
    """
    per_field = dates.get("fields", {})
    unknown = sorted(set(per_field) - set(TIME_FIELDS[target]))
    if unknown:
        raise fail(f"unknown fields in [dates.fields]: {', '.join(unknown)}")
    out = {}
    for fld in TIME_FIELDS[target]:
        own = per_field.get(fld, {})
        default_days = DEADLINE_MAX_FUTURE_DAYS if fld in DEADLINES else MAX_FUTURE_DAYS
        lo = own.get("min", dates.get("min", DATE_MIN))
        days = own.get("max_future_days", dates.get("max_future_days", default_days))
        if isinstance(lo, datetime):
            lo = lo.replace(tzinfo=None)
        elif isinstance(lo, date):
            lo = datetime.combine(lo, datetime.min.time())
        else:
            try:
                lo = datetime.fromisoformat(str(lo))
            except ValueError:
                raise fail(f"[dates] min must be a date like 1990-01-01, not {lo!r}") from None
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise fail(f"[dates] max_future_days must be a whole number of days, not {days!r}")
        out[fld] = (lo, days)
    return out


def check_zone(zone: str, file: str | None = None) -> str:
    """Return ``zone`` if it is a known IANA time zone, else raise LoadError."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LoadError(f"unknown time zone {zone!r}", file=file) from None
    return zone


def global_aliases() -> dict[str, str]:
    """Agency-name aliases shared by every source (``etl/sources/agency_aliases.toml``)."""
    if not ALIASES_FILE.is_file():
        return {}
    return dict(tomllib.loads(ALIASES_FILE.read_text(encoding="utf-8")).get("aliases", {}))
