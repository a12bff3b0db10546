"""What a coordinator reads from a drift run: datum track, clouds, search areas, side datums,
and where particles went ashore.

The datum, side datums and containment areas are those of the particles still afloat: a
stranded particle is where to search the shore, not where to search the sea (a cloud 79 %
ashore would otherwise put the datum on land). Only when every particle stranded are they
computed from all of them, and the summary says so.

All products are frozen dataclasses with ``to_dict`` giving plain JSON values (times ISO 8601
UTC, positions degrees, distances metres, areas square metres), so a run can be stored with its
case and shown again without re-running.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod

from sarapp.drift.areas import cells_to_geojson, density_grid, project, smallest_cells
from sarapp.drift.engine import DriftRun
from sarapp.drift.errors import DriftError
from sarapp.drift.forcing import iso_utc

_GEOD = Geod(ellps="WGS84")


def _lon180(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class DatumPoint:
    """The particles' centroid at one time (s since epoch UTC), degrees."""

    time_s: float
    lat: float
    lon: float

    def to_dict(self) -> dict[str, Any]:
        return {"time": iso_utc(self.time_s), "lat": round(self.lat, 6), "lon": round(self.lon, 6)}


@dataclass(frozen=True, eq=False)
class Cloud:
    """The particles at one snapshot: positions (degrees), side and stranding flags."""

    time_s: float
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    left: NDArray[np.bool_]
    stranded: NDArray[np.bool_]

    def afloat(self) -> Cloud:
        """The particles still afloat (all of them when every one stranded)."""
        sea = ~self.stranded
        if sea.all() or not sea.any():
            return self
        return Cloud(self.time_s, self.lat[sea], self.lon[sea], self.left[sea], self.stranded[sea])


@dataclass(frozen=True)
class Stranding:
    """Particles ashore at the end: share (0–1), count, their centroid (degrees) and how far
    the farthest lies from it (m): where to search the shore."""

    fraction: float
    count: int
    lat: float
    lon: float
    extent_m: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "fraction": round(self.fraction, 4),
            "count": self.count,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "extent_m": round(self.extent_m, 1),
        }


def stranding(cloud: Cloud) -> Stranding | None:
    """Where the cloud's stranded particles are (None when none stranded)."""
    count = int(cloud.stranded.sum())
    if count == 0:
        return None
    lat, lon = cloud.lat[cloud.stranded], cloud.lon[cloud.stranded]
    lat0, lon0 = float(lat.mean()), float(lon.mean())
    x, y = project(lat, lon, lat0, lon0)
    extent = float(np.sqrt(x * x + y * y).max())
    return Stranding(count / cloud.stranded.size, count, lat0, _lon180(lon0), extent)


@dataclass(frozen=True)
class ContainmentArea:
    """The smallest set of grid cells holding ``fraction`` of the particles, as GeoJSON."""

    fraction: float
    area_m2: float
    held: float
    geometry: dict[str, Any] = field(hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fraction": self.fraction,
            "area_m2": round(self.area_m2, 1),
            "held": round(self.held, 4),
            "geometry": self.geometry,
        }


@dataclass(frozen=True)
class SideDatums:
    """Left and right datums (IAMSAR leeway divergence) and their distance, metres.

    Left = particles on the positive-crosswind branch (left of downwind), right the others.
    """

    left_lat: float
    left_lon: float
    right_lat: float
    right_lon: float
    divergence_m: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": {"lat": round(self.left_lat, 6), "lon": round(self.left_lon, 6)},
            "right": {"lat": round(self.right_lat, 6), "lon": round(self.right_lon, 6)},
            "divergence_m": round(self.divergence_m, 1),
        }


def afloat_centroids(run: DriftRun) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(lat, lon) of the particles still afloat at every snapshot (all particles where every
    one stranded); the last from the full-precision final positions."""
    lat, lon = run.centroid_lat.copy(), run.centroid_lon.copy()
    last = len(run.times_s) - 1
    for k in np.flatnonzero(run.stranded.any(axis=1)):
        sea = ~run.stranded[k]
        if not sea.any():
            continue
        if k == last:
            lat[k], lon[k] = run.final_lat[sea].mean(), run.final_lon[sea].mean()
        else:
            lat[k] = run.lat[k][sea].mean(dtype=np.float64)
            lon[k] = run.lon[k][sea].mean(dtype=np.float64)
    return lat, lon


def datum_track(run: DriftRun) -> list[DatumPoint]:
    """The centroid of the particles afloat at every snapshot (hourly by default), start
    included."""
    lat, lon = afloat_centroids(run)
    return [
        DatumPoint(float(t), float(la), _lon180(float(lo)))
        for t, la, lo in zip(run.times_s, lat, lon, strict=True)
    ]


def snapshot_index(run: DriftRun, hour: float | None) -> int:
    """Index of the snapshot ``hour`` hours into the run (None: the last one)."""
    step_h = run.params.snapshot_min / 60.0
    count = len(run.times_s)
    if hour is None:
        return count - 1
    k = round(hour / step_h)
    if not 0 <= k < count or abs(hour - k * step_h) > 1e-9:
        raise DriftError(
            f"no particle snapshot at hour {hour:g}: snapshots every {step_h:g} h "
            f"from 0 to {(count - 1) * step_h:g}"
        )
    return k


def cloud_at(run: DriftRun, hour: float | None = None) -> Cloud:
    """The particle cloud ``hour`` hours into the run (None: at the end, full precision)."""
    k = snapshot_index(run, hour)
    if k == len(run.times_s) - 1:
        lat, lon = run.final_lat.copy(), run.final_lon.copy()
    else:
        lat, lon = run.lat[k].astype(np.float64), run.lon[k].astype(np.float64)
    return Cloud(float(run.times_s[k]), lat, lon, run.left[k].copy(), run.stranded[k].copy())


def spread_m(cloud: Cloud) -> tuple[float, float, float, float]:
    """(centroid lat, centroid lon, std east m, std north m) of a cloud."""
    lat0, lon0 = float(cloud.lat.mean()), float(cloud.lon.mean())
    x, y = project(cloud.lat, cloud.lon, lat0, lon0)
    return lat0, _lon180(lon0), float(x.std()), float(y.std())


def containment_areas(
    cloud: Cloud, *, fractions: tuple[float, ...] = (0.5, 0.9), cell_m: float | None = None
) -> list[ContainmentArea]:
    """Smallest areas holding each fraction of the particles, on one density grid."""
    grid = density_grid(
        cloud.lat,
        cloud.lon,
        lat0=float(cloud.lat.mean()),
        lon0=float(cloud.lon.mean()),
        cell_m=cell_m,
    )
    out = []
    for fraction in fractions:
        cells = smallest_cells(grid, fraction)
        held = float(grid.counts[cells].sum()) / grid.total
        out.append(
            ContainmentArea(
                fraction, float(cells.sum()) * grid.cell_m**2, held, cells_to_geojson(grid, cells)
            )
        )
    return out


def side_datums(cloud: Cloud) -> SideDatums:
    """Centroids of the left and right branches and the distance between them."""
    if cloud.left.all() or not cloud.left.any():
        raise DriftError("left and right datums need particles on both sides of downwind")
    la, lo = float(cloud.lat[cloud.left].mean()), float(cloud.lon[cloud.left].mean())
    ra, ro = float(cloud.lat[~cloud.left].mean()), float(cloud.lon[~cloud.left].mean())
    return SideDatums(la, _lon180(lo), ra, _lon180(ro), float(_GEOD.inv(lo, la, ro, ra)[2]))
