"""City settings: ``config/cities/default.toml`` deep-merged with a preset and a user file.

Resolution order (docs/ARCHITECTURE.md §3): explicit file → ``$KINERJA_CONFIG`` → the database's
``meta.city`` preset → ``default``. ``tz``/``country`` override the zone and the holiday country.
One ``Settings`` object carries everything the KPI layer needs, so every figure is reproducible
from the files named in ``Settings.sources``.

Per region (issue 11): ``Settings.for_region(code)`` layers default ← the database's preset (say
the province, ``jateng``) ← that preset's ``[regions."CODE"]`` table ← the region's own preset
when it has one (``semarang`` for 33.74) ← the explicit file, then the overrides; the region's
identity (name, code, zone) comes from the region registry (``kinerja.regions``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kinerja.paths import CITIES_DIR


class SettingsError(ValueError):
    """A settings file or override is unusable; the message names the file and key."""


@dataclass(frozen=True)
class ScoredMetric:
    """One metric of the agency score: its target, weight and direction."""

    name: str
    target: float
    weight: float
    higher_is_better: bool


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one city (see default.toml for every key)."""

    raw: dict[str, Any]
    sources: tuple[str, ...] = field(default=())
    # how it was resolved, so that ``for_region`` can resolve a region the same way
    preset: str | None = None
    user: str | None = None
    overrides: tuple[str | None, str | None] = (None, None)  # (tz, country)

    @property
    def region_code(self) -> str | None:
        code = self.raw["city"].get("region_code")
        return str(code) if code else None

    def for_region(self, code: str | None) -> Settings:
        """The effective settings of one region of the database (itself for its own region)."""
        if not code or code == self.region_code:
            return self
        from kinerja import regions

        region = regions.get(code)
        own = region.preset if region and region.preset not in (None, self.preset) else None
        section = self.raw.get("regions", {}).get(code, {})
        tables = {k: v for k, v in section.items() if isinstance(v, dict)}
        layers: list[Path | dict] = [preset_path("default")]
        if self.preset and self.preset != "default":
            layers.append(preset_path(self.preset))
        layers.append(tables)
        if own:
            layers.append(preset_path(own))
        if self.user:
            layers.append(Path(self.user))
        merged = _merge(layers)
        merged.pop("regions", None)
        if region is not None:
            merged["city"].update(
                name=region.name,
                region_code=region.code,
                parent_code=region.parent or "",
                level=region.level,
                timezone=region.timezone,
                tz_label=region.tz_label,
            )
        return _finish(merged, layers, self.preset, self.user, *self.overrides)

    @property
    def city_name(self) -> str:
        return str(self.raw["city"]["name"])

    @property
    def timezone(self) -> str:
        return str(self.raw["city"]["timezone"])

    @property
    def tz_label(self) -> str:
        return str(self.raw["city"].get("tz_label") or self.timezone)

    @property
    def country(self) -> str:
        return str(self.raw["city"]["country"])

    @property
    def holiday_categories(self) -> tuple[str, ...]:
        return tuple(self.raw["calendar"]["holiday_categories"])

    @property
    def extra_non_working_days(self) -> tuple[str, ...]:
        return tuple(str(d) for d in self.raw["calendar"].get("extra_non_working_days", []))

    @property
    def extra_working_days(self) -> tuple[str, ...]:
        return tuple(str(d) for d in self.raw["calendar"].get("extra_working_days", []))

    @property
    def response_days(self) -> int:
        return int(self.raw["sla"]["response_days"])

    @property
    def default_resolution_days(self) -> int:
        sla = self.raw["sla"]
        return int(sla["class_days"][sla["default_class"]])

    def resolution_days_by_category(self) -> dict[str, int]:
        """Category → resolution working days (class mapping, then exact overrides)."""
        sla = self.raw["sla"]
        out = {cat: int(sla["class_days"][cls]) for cat, cls in sla["category_class"].items()}
        out.update({k: int(v) for k, v in sla.get("category_resolution_days", {}).items()})
        return out

    def response_days_by_agency(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.raw["sla"].get("agency_response_days", {}).items()}

    @property
    def min_obligations(self) -> int:
        return int(self.raw["score"]["min_obligations"])

    @property
    def rank_window_weeks(self) -> int:
        """ISO weeks in the weekly league's ranking window (KPI.md, "Agency score" §4)."""
        return int(self.raw["score"].get("rank_window_weeks", 4))

    @property
    def cap(self) -> float:
        return float(self.raw["score"]["cap"])

    @property
    def green(self) -> float:
        return float(self.raw["score"]["green"])

    @property
    def amber(self) -> float:
        return float(self.raw["score"]["amber"])

    def scored_metrics(self) -> list[ScoredMetric]:
        return [
            ScoredMetric(name, float(m["target"]), float(m["weight"]), bool(m["higher_is_better"]))
            for name, m in self.raw["score"]["metrics"].items()
        ]

    def district_population(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.raw.get("districts", {}).get("population", {}).items()}


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``over`` merged in, table by table (over wins for leaves)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from exc


def preset_path(name: str) -> Path:
    """The file of a preset name (``semarang`` → config/cities/semarang.toml)."""
    return CITIES_DIR / f"{name}.toml"


def load_settings(
    config: str | os.PathLike[str] | None = None,
    city: str | None = None,
    tz: str | None = None,
    country: str | None = None,
) -> Settings:
    """Resolve settings: default ← preset ``city`` ← explicit file or ``$KINERJA_CONFIG``.

    ``city`` is the database's ``meta.city`` preset; an unknown preset name falls back to the
    default so that a database from another deployment still opens.
    """
    layers: list[Path | dict] = [preset_path("default")]
    preset = city if city and city != "default" and preset_path(city).exists() else None
    if preset:
        layers.append(preset_path(preset))
    user = config or os.environ.get("KINERJA_CONFIG")
    if user:
        layers.append(Path(user))
    return _finish(_merge(layers), layers, preset, str(user) if user else None, tz, country)


def _merge(layers: list[Path | dict]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = deep_merge(merged, layer if isinstance(layer, dict) else _read_toml(layer))
    return merged


def _finish(merged: dict, layers: list, preset, user, tz, country) -> Settings:
    """Apply the ``tz``/``country`` overrides and validate."""
    if tz:
        merged["city"]["timezone"] = tz
        merged["city"]["tz_label"] = tz
    if country:
        merged["city"]["country"] = country.upper()
    sources = tuple(str(p) for p in layers if not isinstance(p, dict))
    settings = Settings(merged, sources, preset, user, (tz, country))
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    """Fail early, naming the key, rather than compute figures from a broken setting."""
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"city.timezone: unknown time zone {s.timezone!r}") from exc
    import holidays

    if s.country not in holidays.list_supported_countries():
        raise SettingsError(f"city.country: unknown holiday country {s.country!r}")
    classes = s.raw["sla"]["class_days"]
    if s.raw["sla"]["default_class"] not in classes:
        raise SettingsError(
            f"sla.default_class: {s.raw['sla']['default_class']!r} not in sla.class_days"
        )
    for cat, cls in s.raw["sla"]["category_class"].items():
        if cls not in classes:
            raise SettingsError(f"sla.category_class.{cat}: unknown class {cls!r}")
