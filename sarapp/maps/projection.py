"""Web Mercator (EPSG:3857) in metres, the chart's projection, so raster tiles line up.

Conformal, so angles and shapes are true locally; distances are not (a Mercator metre is
``1 / cos(lat)`` ground metres), which is why the scale bar and the range tool use geodesics.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

MAX_LAT = 85.05112878  # degrees: Web Mercator's square world ends here
HALF_WORLD_M = 20037508.342789244  # metres: x of the antimeridian, y of MAX_LAT

_FORWARD = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_INVERSE = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)

Floats = NDArray[np.float64]


_R = 6378137.0  # metres: EPSG:3857 is spherical Mercator on this radius


def to_mercator(lat: ArrayLike, lon: ArrayLike) -> tuple[Floats, Floats]:
    """Degrees → Web Mercator x, y in metres; latitudes beyond ±MAX_LAT are clamped.

    EPSG:3857's own formulas (x = R·λ, y = R·ln tan(π/4 + φ/2)) in numpy: the same numbers as
    pyproj to a micrometre (a test checks it), five times faster for a 100,000-particle cloud
    drawn at every step of the time slider."""
    lat_a = np.radians(np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT))
    x = np.radians(np.asarray(lon, dtype=np.float64)) * _R
    y = np.log(np.tan(np.pi / 4 + lat_a / 2)) * _R
    return x, y


def to_wgs84(x: ArrayLike, y: ArrayLike) -> tuple[Floats, Floats]:
    """Web Mercator x, y in metres → (lat, lon) in degrees."""
    lon, lat = _INVERSE.transform(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)


def point_to_mercator(lat: float, lon: float) -> tuple[float, float]:
    """One position, degrees → (x, y) metres."""
    x, y = to_mercator([lat], [lon])
    return float(x[0]), float(y[0])


def point_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """One chart point, metres → (lat, lon) degrees."""
    lat, lon = to_wgs84([x], [y])
    return float(lat[0]), float(lon[0])


def ground_scale(lat: float) -> float:
    """Ground metres per Mercator metre at ``lat`` degrees (the spherical scale factor)."""
    return math.cos(math.radians(max(-MAX_LAT, min(MAX_LAT, lat))))
