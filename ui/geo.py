"""GeoJSON boundaries for the map page, and matching the data's district names to polygons.

Complaint exports spell kecamatan and kelurahan names loosely ("KEC. SEMARANG TENGAH",
"Gajah Mungkur", "Api Api"), while the boundary files in ``data/geo/`` use the official title-case
names and a Kemendagri code (``kode``) per feature. The map joins on ``kode``
(``featureidkey="properties.kode"``), so every name is first reduced to a comparison key and looked
up here. Kelurahan names repeat across kecamatan (Semarang has two Mangunharjo and two Purwosari),
so kelurahan are matched on the pair (kecamatan, kelurahan), never on the name alone.

Pure Python: no Streamlit, so it is tested on its own and cached with ``functools``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kinerja.paths import GEO_DIR

# Administrative prefixes that exports put before a name; matched as whole words at the start.
_PREFIX = re.compile(
    r"^(?:kecamatan|kelurahan|desa|kec|kel|ds)\b\.?\s*",
    flags=re.IGNORECASE,
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


class GeoError(Exception):
    """A boundary file is missing or unreadable; ``str()`` names the file and what is wrong."""


def normalise_name(name: object) -> str:
    """Reduce a place name to its comparison key.

    Case, accents, surrounding and inner spaces, hyphens, dots and the prefixes "Kec."/
    "Kecamatan"/"Kel."/"Kelurahan"/"Desa" are ignored, so "KEC. Gajah-Mungkur" and
    "Gajahmungkur" give the same key. Empty or missing names give "".
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip()
    previous = None
    while previous != text:  # "Kec. Kecamatan X" happens in hand-made exports
        previous = text
        text = _PREFIX.sub("", text).strip()
    return _NOT_ALNUM.sub("", text.lower())


@dataclass(frozen=True)
class GeoLayer:
    """One boundary file: the GeoJSON itself and lookups from normalised names to ``kode``."""

    file_name: str
    level: str  # "kecamatan" or "kelurahan"
    geojson: dict
    names: dict[str, str]  # kode -> official name
    parents: dict[str, str]  # kode -> official kecamatan name (kelurahan layers only)
    keys: dict[tuple[str, ...], str]  # (kecamatan key,) or (kecamatan key, kelurahan key) -> kode
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max

    @property
    def center(self) -> dict[str, float]:
        """Centre of the bounding box, as plotly's ``map.center`` wants it."""
        lon_min, lat_min, lon_max, lat_max = self.bbox
        return {"lon": (lon_min + lon_max) / 2, "lat": (lat_min + lat_max) / 2}


@dataclass
class MatchResult:
    """Names from the data mapped to polygon codes, and the names that match no polygon."""

    codes: dict = field(default_factory=dict)  # data name (or (district, village)) -> kode
    unmatched: list = field(default_factory=list)  # data names in first-seen order


def _positions(geometry: dict) -> Iterable[list[float]]:
    """Every [lon, lat] position of a Polygon or MultiPolygon."""
    coords = geometry.get("coordinates") or []
    polygons = coords if geometry.get("type") == "MultiPolygon" else [coords]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _bbox(features: list[dict]) -> tuple[float, float, float, float]:
    lons, lats = [], []
    for feature in features:
        for lon, lat, *_ in _positions(feature.get("geometry") or {}):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(lons), min(lats), max(lons), max(lats))


def _build_layer(path: Path) -> GeoLayer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GeoError(f"{path.name}: cannot read the boundary file ({exc.strerror}).") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoError(f"{path.name}: not valid GeoJSON ({exc}).") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features:
        raise GeoError(f"{path.name}: no features in the FeatureCollection.")
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    keys: dict[tuple[str, ...], str] = {}
    level = "kelurahan" if "kecamatan" in (features[0].get("properties") or {}) else "kecamatan"
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        kode, name = props.get("kode"), props.get("name")
        if not kode or not name:
            raise GeoError(f"{path.name}: feature {number} has no 'kode' or 'name' property.")
        names[kode] = name
        if level == "kelurahan":
            parents[kode] = props.get("kecamatan") or ""
            keys[(normalise_name(parents[kode]), normalise_name(name))] = kode
        else:
            keys[(normalise_name(name),)] = kode
    return GeoLayer(path.name, level, data, names, parents, keys, _bbox(features))


@lru_cache(maxsize=16)
def _cached_layer(path: str, mtime_ns: int) -> GeoLayer:
    return _build_layer(Path(path))


def load_layer(file_name: str | None, geo_dir: Path | str = GEO_DIR) -> GeoLayer | None:
    """Load a boundary file named by the city settings (``geo_kecamatan``/``geo_kelurahan``).

    Returns None when the settings name no file (the city has no map); raises GeoError when
    the named file is missing or broken. Cached per file and modification time.
    """
    if not file_name:
        return None
    path = Path(geo_dir) / Path(file_name).name  # a settings value never leaves data/geo/
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        raise GeoError(f"{path.name}: boundary file not found in {Path(geo_dir)}.") from None
    return _cached_layer(str(path), mtime_ns)


def match_districts(names: Iterable[object], layer: GeoLayer) -> MatchResult:
    """Map each kecamatan name in the data to the ``kode`` of its polygon.

    Empty names are skipped (they are "unknown district", not a naming problem); names that
    match no polygon are listed in ``unmatched`` once each, in first-seen order.
    """
    result = MatchResult()
    for name in names:
        key = normalise_name(name)
        if not key or name in result.codes or name in result.unmatched:
            continue
        kode = layer.keys.get((key,))
        if kode is None:
            result.unmatched.append(name)
        else:
            result.codes[name] = kode
    return result


def match_villages(pairs: Iterable[tuple[object, object]], layer: GeoLayer) -> MatchResult:
    """Map each (kecamatan, kelurahan) pair in the data to the ``kode`` of its kelurahan polygon.

    A kelurahan is matched only together with its kecamatan, because names repeat across
    kecamatan. Pairs with an empty kelurahan are skipped; the rest that match nothing are
    listed in ``unmatched``.
    """
    result = MatchResult()
    for district, village in pairs:
        pair = (district, village)
        if not normalise_name(village) or pair in result.codes or pair in result.unmatched:
            continue
        kode = layer.keys.get((normalise_name(district), normalise_name(village)))
        if kode is None:
            result.unmatched.append(pair)
        else:
            result.codes[pair] = kode
    return result


def kelurahan_of(layer: GeoLayer, kecamatan: object) -> GeoLayer | None:
    """The part of a kelurahan layer inside one kecamatan (by normalised name), or None.

    Used for the kelurahan detail map, which zooms to the chosen kecamatan.
    """
    wanted = normalise_name(kecamatan)
    features = [
        f
        for f in layer.geojson.get("features", [])
        if normalise_name((f.get("properties") or {}).get("kecamatan")) == wanted
    ]
    if not wanted or not features:
        return None
    codes = {f["properties"]["kode"] for f in features}
    geojson = {"type": "FeatureCollection", "features": features}
    return GeoLayer(
        layer.file_name,
        layer.level,
        geojson,
        {k: v for k, v in layer.names.items() if k in codes},
        {k: v for k, v in layer.parents.items() if k in codes},
        {key: k for key, k in layer.keys.items() if k in codes},
        _bbox(features),
    )
