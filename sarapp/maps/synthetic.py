"""A synthetic drift and rescue units around a position, for the chart's demo, tests and
benchmark: it needs no forcing, runs in milliseconds and is reproducible from a seeded
``numpy.random.Generator``. Not a drift model: the real one is ``sarapp.drift``."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from sarapp.geo import destination
from sarapp.maps.features import DriftProducts, Geometry, UnitFix, UnitTrack, UnitType

_M_PER_DEG_LAT = 111_320.0  # metres per degree of latitude, near enough for a made-up cloud


def _ellipse(lat: np.ndarray, lon: np.ndarray, fraction: float) -> Geometry:
    """A Gaussian ellipse holding ``fraction`` of the points (GeoJSON Polygon, lon/lat)."""
    centre = np.array([lon.mean(), lat.mean()])
    cov = np.cov(np.vstack([lon, lat]))
    values, vectors = np.linalg.eigh(cov)
    radius = math.sqrt(-2.0 * math.log(1.0 - fraction))
    t = np.linspace(0, 2 * math.pi, 49)
    unit = np.vstack([np.cos(t), np.sin(t)]) * radius * np.sqrt(np.maximum(values, 0))[:, None]
    ring = (vectors @ unit).T + centre
    return {"type": "Polygon", "coordinates": [ring.round(6).tolist()]}


def synthetic_drift(
    lat: float,
    lon: float,
    *,
    start: datetime,
    hours: int = 24,
    particles: int = 10_000,
    rng: np.random.Generator,
    drift_towards_deg: float = 60.0,
    speed_m_s: float = 0.4,
) -> DriftProducts:
    """Hourly snapshots of a cloud leaving (lat, lon), degrees, downwind with spread and a
    left/right leeway split; areas and side datums at every snapshot."""
    steps = np.arange(hours + 1, dtype=np.float64)
    side = rng.choice([-1.0, 1.0], size=particles)
    heading = np.radians(drift_towards_deg + 20.0 * side)[None, :]
    speed = speed_m_s * (1 + 0.25 * rng.standard_normal(particles))[None, :]
    walk = np.cumsum(rng.standard_normal((hours + 1, particles, 2)) * 300.0, axis=0)
    walk[0] = rng.standard_normal((particles, 2)) * 500.0
    along = speed * 3600.0 * steps[:, None]
    east = along * np.sin(heading) + walk[:, :, 0]
    north = along * np.cos(heading) + walk[:, :, 1]
    lats = lat + north / _M_PER_DEG_LAT
    lons = lon + east / (_M_PER_DEG_LAT * np.cos(np.radians(lat)))
    areas = {}
    sides = {}
    for i in range(hours + 1):
        areas[i] = {f: _ellipse(lats[i], lons[i], f) for f in (0.5, 0.9)}
        left, right = side > 0, side < 0
        sides[i] = (
            (float(lats[i][left].mean()), float(lons[i][left].mean())),
            (float(lats[i][right].mean()), float(lons[i][right].mean())),
        )
    return DriftProducts(
        times_s=start.timestamp() + 3600.0 * steps,
        lat=lats,
        lon=lons,
        datum_lat=lats.mean(axis=1),
        datum_lon=lons.mean(axis=1),
        areas=areas,
        side_datums=sides,
        label="synthetic drift",
    )


def synthetic_units(lat: float, lon: float, *, now: datetime) -> list[UnitTrack]:
    """Four units converging on (lat, lon) over the last hours; the merchant's fix is stale."""
    plans = [
        ("ALB Lifeboat 17", UnitType.LIFEBOAT, 225.0, 9_000.0, 0.0, "MTQA7"),
        ("Patrol P-681", UnitType.PATROL_VESSEL, 310.0, 15_000.0, 0.0, "FAAP"),
        ("Rescue 62", UnitType.HELICOPTER, 160.0, 20_000.0, 0.0, "R62"),
        ("MV Nordic Star", UnitType.MERCHANT_VESSEL, 20.0, 12_000.0, 2.5, "5BXY4"),
    ]
    units = []
    for name, kind, bearing, distance, late_h, call in plans:
        fixes = []
        for k in range(6, -1, -1):
            when = now - timedelta(hours=late_h, minutes=30 * k)
            away = distance * (1 + 0.35 * k)
            fix_lat, fix_lon = destination(lat, lon, bearing_deg=bearing, distance_m=away)
            fixes.append(UnitFix(fix_lat, fix_lon, when, (bearing + 180.0) % 360.0))
        units.append(UnitTrack(name, kind, tuple(fixes), call_sign=call))
    return units
