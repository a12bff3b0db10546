"""Initial state of the particles: positions, release times and leeway coefficients.

Follows the Leeway model as Breivik & Allen (2008) and the reference implementation describe
it (see ``shared/reference/leeway-model.md``): each particle draws its leeway once; even indices
take the ``cwr`` crosswind side, odd ones ``cwl``; the downwind draw is truncated so that no
particle has a negative downwind slope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod

from sarapp.drift.categories import LeewayCategory

Floats = NDArray[np.float64]
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, eq=False)
class Coefficients:
    """Per-particle leeway, in SI: slopes as fractions of U10, offsets in m/s.

    ``cw_slope`` is the side's slope alone (what a jibe negates); ``cw_a`` the whole crosswind
    factor slope + eps_c/20 (in %/100).
    """

    dw_a: Floats
    dw_b: Floats
    cw_a: Floats
    cw_b: Floats
    cw_slope: Floats


def draw_coefficients(cat: LeewayCategory, n: int, rng: np.random.Generator) -> Coefficients:
    """Draw each particle's leeway once (truncated downwind draw, sides split exactly)."""
    eps_d = rng.standard_normal(n) * cat.dw_std_cms
    while True:
        bad = np.flatnonzero(cat.dw_slope_pct + eps_d / 20.0 < 0.0)
        if not bad.size:
            break
        eps_d[bad] = rng.standard_normal(bad.size) * cat.dw_std_cms
    right = np.arange(n) % 2 == 0
    slope = np.where(right, cat.cwr_slope_pct, cat.cwl_slope_pct)
    offset = np.where(right, cat.cwr_offset_cms, cat.cwl_offset_cms)
    eps_c = rng.standard_normal(n) * np.where(right, cat.cwr_std_cms, cat.cwl_std_cms)
    return Coefficients(
        dw_a=(cat.dw_slope_pct + eps_d / 20.0) / 100.0,
        dw_b=(cat.dw_offset_cms + eps_d / 2.0) / 100.0,
        cw_a=(slope + eps_c / 20.0) / 100.0,
        cw_b=(offset + eps_c / 2.0) / 100.0,
        cw_slope=slope / 100.0,
    )


def seed_positions(
    *,
    lat: float,
    lon: float,
    n: int,
    radius_m: float,
    rng: np.random.Generator,
    end: tuple[float, float] | None = None,
) -> tuple[Floats, Floats]:
    """Start positions (degrees): a point, or evenly along the geodesic to ``end`` (lat, lon),
    each displaced by N(0, radius_m) metres east and north (exact geodesic steps)."""
    lats, lons = np.full(n, float(lat)), np.full(n, float(lon))
    if end is not None:
        az, _, length = _GEOD.inv(lon, lat, end[1], end[0])
        fraction = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
        lons, lats, _ = _GEOD.fwd(lons, lats, np.full(n, az), fraction * length)
    if radius_m > 0:
        east = rng.standard_normal(n) * radius_m
        north = rng.standard_normal(n) * radius_m
        azimuth = np.degrees(np.arctan2(east, north))
        lons, lats, _ = _GEOD.fwd(lons, lats, azimuth, np.hypot(east, north))
    lons = np.asarray(lons, dtype=np.float64)
    # keep longitudes continuous around the seed (no jump at the antimeridian)
    lons = lon + (lons - lon + 180.0) % 360.0 - 180.0
    return np.asarray(lats, dtype=np.float64), lons


def release_times(*, start_s: float, end_s: float | None, n: int) -> Floats | None:
    """When each particle enters the water (s since epoch), evenly over the window; None when
    every particle starts at once."""
    if end_s is None or end_s <= start_s:
        return None
    return np.linspace(start_s, end_s, n) if n > 1 else np.full(1, start_s)
