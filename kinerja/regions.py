"""The regions Kinerja knows: Kemendagri codes, names, levels, parents, zones, populations.

Why: every complaint, application, agency and load belongs to a region (kode wilayah, dotted
Kemendagri form: ``33`` Provinsi Jawa Tengah, ``33.74`` Kota Semarang). The registry has three
layers, each overriding the one before for the fields it gives:

1. ``data/regions/wilayah.csv``: Indonesia's 38 provinces and 514 kabupaten/kota with their
   codes, names, zones (WIB/WITA/WIT by province) and populations (Kepmendagri No 300.2.2-2138
   Tahun 2025; see ``data/regions/SOURCES.md``), so ``--region 35.78`` works anywhere;
2. a province preset's ``[regions."CODE"]`` tables (``config/cities/jateng.toml``);
3. a region's own preset (``[city] region_code``, ``parent_code``, ``level``: semarang.toml),
   plus the foreign sample cities (``US-BOS``) and the default city (``00.00``).

Names in exports ("Pemerintah Kota Semarang", "Pemkab Demak", "KAB. DEMAK") are matched to codes
through ``region_key``: one normalised form per name.
"""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kinerja.paths import CITIES_DIR, DATA_DIR

WILAYAH_FILE = DATA_DIR / "regions" / "wilayah.csv"
WILAYAH_SOURCE = "Kepmendagri No 300.2.2-2138 Tahun 2025 (Dukcapil), via cahyadsn/wilayah"

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


def _national(path: Path) -> dict[str, Region]:
    if not path.is_file():
        return {}
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pop = row["population"]
            out[row["region_code"]] = Region(
                code=row["region_code"],
                name=row["name"],
                level=row["level"],
                parent=row["parent_code"] or None,
                timezone=row["timezone"],
                tz_label=row["tz_label"],
                population=int(pop) if pop else None,
                population_source=WILAYAH_SOURCE if pop else None,
                population_year=2025 if pop else None,
            )
    return out


def _overlay(base: Region | None, top: Region, given: set[str]) -> Region:
    """``top`` over ``base``: the fields ``given`` in the preset win, the rest come from base."""
    if base is None:
        return top
    return Region(
        **{
            k: getattr(top, k) if k in given else getattr(base, k)
            for k in Region.__dataclass_fields__
        }
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
            own[str(code)] = (_region(str(code), city, {}, path.stem), _given(city))
        for sub, entry in doc.get("regions", {}).items():
            base = {**city, "parent_code": code}
            listed[str(sub)] = (_region(str(sub), entry, base, path.stem), _given(entry))
    merged = _national(WILAYAH_FILE)
    for layer in (listed, own):
        for code, (region, given) in layer.items():
            merged[code] = _overlay(merged.get(code), region, given | {"preset"})
    return merged


def _given(doc: dict) -> set[str]:
    """Region fields a preset table sets explicitly (``parent_code`` is the field ``parent``)."""
    keys = {"name", "level", "timezone", "tz_label", "population", "population_source"}
    keys |= {"population_year"}
    out = {k for k in keys if doc.get(k) not in (None, "")}
    if doc.get("parent_code") not in (None, ""):
        out.add("parent")
    return out


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
