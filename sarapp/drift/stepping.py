"""Moving particles by metres east/north on the WGS84 ellipsoid, fast.

A drift step is a few hundred metres, so a local (rhumb-line) step with the ellipsoid's radii of
curvature agrees with the geodesic to centimetres (checked against ``pyproj.Geod`` in the tests).
To avoid trigonometry per particle and step, the metres-to-degrees factors are a quadratic in
the latitude offset from a reference latitude near the cloud (refreshed by the engine); beyond
75° of latitude the exact factors are computed per particle.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

WGS84_A = 6378137.0  # semi-major axis, m (WGS84 definition)
WGS84_F = 1.0 / 298.257223563  # flattening (WGS84 definition)
_E2 = WGS84_F * (2.0 - WGS84_F)
_DEG = 180.0 / math.pi
_H = 0.5  # half-width of the quadratic fit, degrees

Floats = NDArray[np.float64]


def degrees_per_metre(lat_deg: Floats | float) -> tuple[Floats | float, Floats | float]:
    """(degrees of longitude per metre east, degrees of latitude per metre north) at lat."""
    phi = np.radians(lat_deg)
    s = np.sin(phi)
    w = 1.0 - _E2 * s * s
    prime_vertical = WGS84_A / np.sqrt(w)
    meridional = WGS84_A * (1.0 - _E2) / (w * np.sqrt(w))
    return _DEG / (prime_vertical * np.cos(phi)), _DEG / meridional


class LocalStepper:
    """Adds east/north displacements (m) to positions (degrees) in place."""

    def __init__(self, n: int) -> None:
        self._delta = np.empty(n)
        self._factor = np.empty(n)
        self.set_reference(0.0)

    def set_reference(self, lat0_deg: float) -> None:
        """Centre the quadratic factors on ``lat0_deg`` (the cloud's latitude, degrees)."""
        self.lat0 = float(lat0_deg)
        self.exact = abs(self.lat0) > 75.0
        if self.exact:
            return
        (xm, ym), (x0, y0), (xp, yp) = (degrees_per_metre(self.lat0 + d) for d in (-_H, 0.0, _H))
        self._kx = (x0, (xp - xm) / (2 * _H), (xp - 2 * x0 + xm) / (2 * _H * _H))
        self._ky = (y0, (yp - ym) / (2 * _H), (yp - 2 * y0 + ym) / (2 * _H * _H))

    def advance(self, lat: Floats, lon: Floats, east_m: Floats, north_m: Floats) -> None:
        """lat, lon += the step east_m, north_m (all arrays of the same length; in place)."""
        if self.exact:
            kx, ky = degrees_per_metre(lat)
            lon += east_m * kx
            lat += north_m * ky
            return
        d, f = self._delta, self._factor
        np.subtract(lat, self.lat0, out=d)
        for k, step, pos in ((self._kx, east_m, lon), (self._ky, north_m, lat)):
            np.multiply(d, k[2], out=f)
            f += k[1]
            f *= d
            f += k[0]
            f *= step
            pos += f
