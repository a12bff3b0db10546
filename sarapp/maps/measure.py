"""Range and bearing between two positions on the WGS84 ellipsoid, as a coordinator reads it
(nautical miles and degrees true), plus the geodesic's path for drawing it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import Geod

from sarapp.geo import NM, inverse

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class RangeBearing:
    """From the first point to the second: ``distance_m`` metres, ``bearing_deg`` true (0–360)."""

    distance_m: float
    bearing_deg: float

    @property
    def distance_nm(self) -> float:
        return self.distance_m / NM

    @property
    def text(self) -> str:
        return f"{self.distance_nm:.2f} NM  {self.bearing_deg:05.1f}°T"


def range_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> RangeBearing:
    """Geodesic distance and initial true bearing between two positions in degrees."""
    metres, bearing = inverse(lat1, lon1, lat2, lon2)
    return RangeBearing(metres, bearing % 360.0)


def geodesic_path(
    lat1: float, lon1: float, lat2: float, lon2: float, *, points: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) arrays, degrees, along the geodesic including both ends, for drawing."""
    middle = _GEOD.npts(lon1, lat1, lon2, lat2, max(0, points - 2))
    lons = np.array([lon1] + [p[0] for p in middle] + [lon2])
    lats = np.array([lat1] + [p[1] for p in middle] + [lat2])
    lons = np.degrees(np.unwrap(np.radians(lons)))  # keep the line continuous across 180°
    return lats, lons
