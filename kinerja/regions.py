"""The regions Kinerja knows: Kemendagri codes, names, levels, parents, zones, populations.

Why: every complaint, application, agency and load belongs to a region (kode wilayah, dotted
Kemendagri form: ``33`` Provinsi Jawa Tengah, ``33.74`` Kota Semarang). The registry is read from
the settings presets in ``config/cities/``: a preset names its own region in ``[city]``
(``region_code``, ``parent_code``, ``level``), and a province preset lists its kabupaten/kota in
``[regions."CODE"]`` tables. A preset of a region's own wins over its entry in a province file.

Names in exports ("Pemerintah Kota Semarang", "Pemkab Demak", "KAB. DEMAK") are matched to codes
through ``region_key``: one normalised form per name.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kinerja.paths import CITIES_DIR

LEVELS = ("province", "kabupaten", "kota", "city")
DEFAULT_CODE = "00.00"  # the documented default city ("Kota Contoh") of config/cities/default.toml
CODE_RE = re.compile(r"^(\d{2}(\.\d{2})?|[A-Z]{2}(-[A-Z0-9]{2,8})+)$")


@dataclass(frozen=True)
class Region:
    """One region: a province, kabupaten or kota (``city``: a foreign sample city)."""

    code: str
    name: str
    level: str
    parent: str | None
    timezone: str
    tz_label: str
    population: int | None = None
    population_source: str | None = None
    population_year: int | None = None
    preset: str | None = None  # the config/cities file that describes it

    def row(self) -> tuple:
        """The ``regions`` table row (etl/schema.sql column order)."""
        return (
            self.code,
            self.name,
            self.level,
            self.parent,
            self.timezone,
            self.tz_label,
            self.population,
            self.population_source,
            self.population_year,
        )


def infer_level(code: str, name: str) -> str:
    """Province for a two-digit code; kota/kabupaten from the name; ``city`` otherwise."""
    low = name.lower()
    if re.fullmatch(r"\d{2}", code):
        return "province"
    if low.startswith("kota"):
        return "kota"
    if low.startswith("kab"):
        return "kabupaten"
    return "city"


def _region(code: str, doc: dict, base: dict, preset: str) -> Region:
    name = str(doc.get("name") or code)
    pop = doc.get("population")
    return Region(
        code=code,
        name=name,
        level=str(doc.get("level") or infer_level(code, name)),
        parent=doc.get("parent_code", base.get("parent_code")) or None,
        timezone=str(doc.get("timezone") or base.get("timezone") or "Asia/Jakarta"),
        tz_label=str(doc.get("tz_label") or base.get("tz_label") or "WIB"),
        population=int(pop) if pop is not None else None,
        population_source=doc.get("population_source", base.get("population_source")) or None,
        population_year=doc.get("population_year", base.get("population_year")),
        preset=preset,
    )


@lru_cache(maxsize=4)
def _registry(cities_dir: Path) -> dict[str, Region]:
    own: dict[str, Region] = {}
    listed: dict[str, Region] = {}
    for path in sorted(cities_dir.glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        city = doc.get("city", {})
        code = city.get("region_code")
        if code:
            own[str(code)] = _region(str(code), city, {}, path.stem)
        for sub, entry in doc.get("regions", {}).items():
            base = {**city, "parent_code": code}
            listed[str(sub)] = _region(str(sub), entry, base, path.stem)
    merged = dict(listed)
    for code, region in own.items():
        if code in listed:  # the region's own preset wins; the province file fills the gaps
            fill = listed[code]
            region = Region(
                **{
                    k: (getattr(region, k) if getattr(region, k) is not None else getattr(fill, k))
                    for k in Region.__dataclass_fields__
                }
            )
        merged[code] = region
    return merged


def registry() -> dict[str, Region]:
    """Every region described by a preset in ``config/cities/``, by code."""
    return dict(_registry(CITIES_DIR))


def get(code: str) -> Region | None:
    """The registered region of ``code`` (None when unknown)."""
    return _registry(CITIES_DIR).get(code)


def children(code: str, regions: dict[str, Region] | None = None) -> list[Region]:
    """The regions directly under ``code`` (a province's kabupaten/kota), sorted by code."""
    regs = regions if regions is not None else registry()
    return sorted((r for r in regs.values() if r.parent == code), key=lambda r: r.code)


def in_scope(region_code: str | None, scope: str | None) -> bool:
    """Whether ``region_code`` lies in the region scope ``scope`` (itself or below it)."""
    if scope is None:
        return True
    if region_code is None:
        return False
    return region_code == scope or region_code.startswith(scope + ".")


_PREFIXES = [
    (r"\bpemerintah\b", " "),
    (r"\bpemkot\b", " kota "),
    (r"\bpemkab\b", " kabupaten "),
    (r"\bpemprov\b", " provinsi "),
    (r"\bkab\b\.?", " kabupaten "),
    (r"\bprov\b\.?", " provinsi "),
    (r"\bjateng\b", " jawa tengah "),
    (r"\bjatim\b", " jawa timur "),
    (r"\bjabar\b", " jawa barat "),
    (r"\bkaltim\b", " kalimantan timur "),
]


def region_key(text: str | None) -> str | None:
    """One normalised form of a region name or code, for matching names across exports.

    ``Pemerintah Kota Semarang`` → ``kota semarang``; ``KAB. DEMAK`` and ``Pemkab Demak`` →
    ``kabupaten demak``; ``Pemprov Jateng`` → ``provinsi jawa tengah``; ``33.74`` → ``33.74``.
    """
    if text is None:
        return None
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    s = s.strip()
    if CODE_RE.match(s.upper()):
        return s.upper() if not s[:1].isdigit() else s
    for pattern, repl in _PREFIXES:
        s = re.sub(pattern, repl, s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"\s+", " ", s).strip() or None


def name_keys(region: Region) -> set[str]:
    """Keys under which a region's name is recognised: its code, its name, and for a
    province also ``provinsi <name>`` without the word repeated."""
    keys = {region.code, region_key(region.name) or ""}
    if region.level == "province":
        bare = re.sub(r"^provinsi ", "", region_key(region.name) or "")
        keys |= {bare, f"provinsi {bare}"}
    keys.discard("")
    return keys


def lookup_table(regions: dict[str, Region]) -> list[tuple[str, str]]:
    """(key, code) pairs for matching export text to regions; ambiguous keys are left out."""
    seen: dict[str, set[str]] = {}
    for region in regions.values():
        for key in name_keys(region):
            seen.setdefault(key, set()).add(region.code)
    return sorted((k, next(iter(v))) for k, v in seen.items() if len(v) == 1)
