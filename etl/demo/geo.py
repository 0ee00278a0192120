"""Kecamatan/kelurahan names and polygons from ``data/geo/``, and points inside a kelurahan.

Names come from the GeoJSON exactly, so every demo complaint lands on the dashboard's map.
``point_in_geometry`` is the tiny pure-Python ray-casting test (tests use it to check points);
``sample_points`` is its vectorised twin for drawing many points by rejection sampling.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kinerja.paths import GEO_DIR


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings of [lon, lat])."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[i - 1][0], ring[i - 1][1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def point_in_geometry(lon: float, lat: float, geometry: dict) -> bool:
    """True when (lon, lat) lies inside the (Multi)Polygon: in an outer ring, not in a hole."""
    for rings in _polygons(geometry):
        if _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, h) for h in rings[1:]):
            return True
    return False


def _in_ring_np(x: np.ndarray, y: np.ndarray, ring: np.ndarray) -> np.ndarray:
    inside = np.zeros(len(x), dtype=bool)
    x1, y1 = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x1, 1), np.roll(y1, 1)
    for a, b, c, d in zip(x1, y1, x2, y2, strict=True):
        if b == d:
            continue
        cross = ((b > y) != (d > y)) & (x < (c - a) * (y - b) / (d - b) + a)
        inside ^= cross
    return inside


def _in_geometry_np(x: np.ndarray, y: np.ndarray, geometry: dict) -> np.ndarray:
    out = np.zeros(len(x), dtype=bool)
    for rings in _polygons(geometry):
        hit = _in_ring_np(x, y, np.asarray(rings[0], dtype=float))
        for hole in rings[1:]:
            hit &= ~_in_ring_np(x, y, np.asarray(hole, dtype=float))
        out |= hit
    return out


@dataclass(frozen=True)
class Kelurahan:
    name: str
    kecamatan: str
    geometry: dict


def load_kelurahan(file_name: str, geo_dir: Path = GEO_DIR) -> list[Kelurahan]:
    """The kelurahan features of a ``*_kelurahan.geojson`` file, in file order."""
    data = json.loads((geo_dir / file_name).read_text(encoding="utf-8"))
    return [
        Kelurahan(f["properties"]["name"], f["properties"]["kecamatan"], f["geometry"])
        for f in data["features"]
    ]


def load_kecamatan_names(file_name: str, geo_dir: Path = GEO_DIR) -> list[str]:
    """Kecamatan names of a ``*_kecamatan.geojson`` file, in file order."""
    data = json.loads((geo_dir / file_name).read_text(encoding="utf-8"))
    return [f["properties"]["name"] for f in data["features"]]


def sample_points(kel: Kelurahan, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniformly random (lon, lat) points inside the kelurahan polygon, as an n x 2 array."""
    coords = np.concatenate([np.asarray(p[0], dtype=float) for p in _polygons(kel.geometry)])
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    found: list[np.ndarray] = []
    have = 0
    while have < n:
        cand = rng.uniform(lo, hi, size=(max(2 * (n - have), 16), 2)).round(6)
        ok = cand[_in_geometry_np(cand[:, 0], cand[:, 1], kel.geometry)]
        found.append(ok)
        have += len(ok)
    return np.concatenate(found)[:n]
