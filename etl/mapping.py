"""Declarative source mappings (TOML files in ``etl/sources/``).

A mapping says which source columns feed which warehouse fields, how dates are written and in
which time zone, how raw statuses map to the normalised ones, and which columns hold personal
data. Loading a mapping validates it, so a typo fails before any file is read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    iso_dates: bool = True
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

    @property
    def status_values(self) -> tuple[str, ...]:
        return COMPLAINT_STATUSES if self.target == "complaints" else SERVICE_STATUSES


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
    return _validate(doc, path)


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
    return Mapping(
        name=doc.get("name", path.stem),
        target=target,
        title=doc.get("title", path.stem),
        description=doc.get("description", "").strip(),
        timezone=zone,
        file_types=_as_list(doc.get("file_types", ["csv", "xlsx", "parquet"])),
        columns=columns,
        statuses=statuses,
        date_formats=_as_list(dates.get("formats", ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"])),
        iso_dates=bool(dates.get("iso", True)),
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
    )


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
