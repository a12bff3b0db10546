"""Density grids and the smallest areas holding a fraction of the particles, as polygons.

Particles are projected into a local azimuthal equidistant plane (pyproj ``+proj=aeqd``) centred
on their centroid, counted in square cells, and the densest cells are taken until they hold the
fraction. Cells are ranked on a lightly smoothed density (a 1-2-1 kernel each way) so the area
is one coherent patch rather than a speckle, but the fraction is counted on real particles.
Cell outlines are traced into rings: exterior counter-clockwise, holes clockwise (RFC 7946).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

Floats = NDArray[np.float64]
_MAX_CELLS = 600  # per axis


@dataclass(frozen=True, eq=False)
class DensityGrid:
    """Particle counts on a square grid in a local aeqd plane centred at (lat0, lon0).

    ``counts[i, j]`` covers x from ``x0 + j·cell_m`` and y from ``y0 + i·cell_m`` (metres).
    """

    lat0: float
    lon0: float
    x0: float
    y0: float
    cell_m: float
    counts: NDArray[np.int64]

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def to_wgs84(self, x: Floats, y: Floats) -> tuple[Floats, Floats]:
        """Plane metres to (lon, lat) degrees."""
        lon, lat = _transformer(self.lat0, self.lon0).transform(x, y, direction="INVERSE")
        return np.asarray(lon), np.asarray(lat)


@lru_cache(maxsize=32)
def _transformer(lat0: float, lon0: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m", always_xy=True
    )


def project(lat: Floats, lon: Floats, lat0: float, lon0: float) -> tuple[Floats, Floats]:
    """Degrees to metres east/north in the aeqd plane centred at (lat0, lon0)."""
    x, y = _transformer(lat0, lon0).transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def density_grid(
    lat: Floats, lon: Floats, *, lat0: float, lon0: float, cell_m: float | None = None
) -> DensityGrid:
    """Count particles in cells of ``cell_m`` metres (default: a tenth of the larger standard
    deviation, at least 25 m, coarser if the cloud would need more than 600 cells a side)."""
    x, y = project(lat, lon, lat0, lon0)
    if cell_m is None:
        cell_m = max(25.0, 0.1 * max(float(x.std()), float(y.std())))
    span = max(float(np.ptp(x)), float(np.ptp(y)), cell_m)
    cell_m = max(cell_m, span / (_MAX_CELLS - 4))
    x0 = (np.floor(x.min() / cell_m) - 2) * cell_m
    y0 = (np.floor(y.min() / cell_m) - 2) * cell_m
    nx = int((x.max() - x0) // cell_m) + 3
    ny = int((y.max() - y0) // cell_m) + 3
    j = ((x - x0) // cell_m).astype(np.intp)
    i = ((y - y0) // cell_m).astype(np.intp)
    counts = np.bincount(i * nx + j, minlength=ny * nx).reshape(ny, nx)
    return DensityGrid(lat0, lon0, float(x0), float(y0), float(cell_m), counts)


def _smooth(counts: NDArray) -> Floats:
    out = counts.astype(float)
    for axis in (0, 1):
        p = np.pad(out, [(1, 1) if a == axis else (0, 0) for a in (0, 1)])
        lo, mid, hi = (np.take(p, np.arange(k, k + out.shape[axis]), axis=axis) for k in (0, 1, 2))
        out = (lo + 2 * mid + hi) / 4
    return out


def smallest_cells(grid: DensityGrid, fraction: float) -> NDArray[np.bool_]:
    """The cells, densest first, that together hold at least ``fraction`` of the particles."""
    order = np.argsort(-_smooth(grid.counts), axis=None, kind="stable")
    held = np.cumsum(grid.counts.ravel()[order])
    k = int(np.searchsorted(held, fraction * grid.total - 1e-9)) + 1
    chosen = np.zeros(grid.counts.size, dtype=np.bool_)
    chosen[order[:k]] = True
    return chosen.reshape(grid.counts.shape)


def _edges(cells: NDArray[np.bool_]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Directed cell sides with the chosen cell on their left, corners as (col, row)."""
    p = np.pad(cells, 1)
    core = p[1:-1, 1:-1]
    out = []
    sides = (
        (p[:-2, 1:-1], (0, 0), (1, 0)),  # below empty: bottom side, eastward
        (p[1:-1, 2:], (1, 0), (1, 1)),  # right empty: right side, northward
        (p[2:, 1:-1], (1, 1), (0, 1)),  # above empty: top side, westward
        (p[1:-1, :-2], (0, 1), (0, 0)),  # left empty: left side, southward
    )
    for neighbour, a, b in sides:
        for i, j in zip(*np.nonzero(core & ~neighbour), strict=True):
            out.append(((int(j) + a[0], int(i) + a[1]), (int(j) + b[0], int(i) + b[1])))
    return out


def _rings(cells: NDArray[np.bool_]) -> list[list[tuple[int, int]]]:
    outgoing: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for a, b in _edges(cells):
        outgoing[a].append(b)
    rings = []
    while outgoing:
        start = next(iter(outgoing))
        ring, here, came = [start], start, None
        while True:
            ends = outgoing[here]
            nxt = ends[0]
            if len(ends) > 1 and came is not None:  # a saddle: turn left, keep rings simple
                dx, dy = here[0] - came[0], here[1] - came[1]
                left = (here[0] - dy, here[1] + dx)
                nxt = left if left in ends else ends[0]
            ends.remove(nxt)
            if not ends:
                del outgoing[here]
            came, here = here, nxt
            if here == start:
                break
            ring.append(here)
        rings.append(_drop_collinear(ring))
    return rings


def _drop_collinear(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    n = len(ring)
    keep = []
    for k in range(n):
        a, b, c = ring[k - 1], ring[k], ring[(k + 1) % n]
        if (b[0] - a[0]) * (c[1] - b[1]) != (b[1] - a[1]) * (c[0] - b[0]):
            keep.append(b)
    return keep


def _signed_area(ring: list[tuple[int, int]]) -> float:
    xs, ys = np.array(ring, dtype=float).T
    return 0.5 * float(np.dot(xs, np.roll(ys, -1)) - np.dot(np.roll(xs, -1), ys))


def _inside(point: tuple[float, float], ring: list[tuple[int, int]]) -> bool:
    xs, ys = np.array(ring, dtype=float).T
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    px, py = point
    crosses = (ys > py) != (y2 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = xs + (py - ys) * (x2 - xs) / (y2 - ys)
    return bool(np.count_nonzero(crosses & (px < at)) % 2)


def cells_to_geojson(grid: DensityGrid, cells: NDArray[np.bool_]) -> dict[str, Any]:
    """GeoJSON Polygon (one patch) or MultiPolygon of the chosen cells, lon/lat degrees."""
    rings = _rings(cells)
    outers = [r for r in rings if _signed_area(r) > 0]
    polygons: list[list[list[tuple[int, int]]]] = [[r] for r in outers]
    for hole in (r for r in rings if _signed_area(r) < 0):
        (ax, ay), (bx, by) = hole[0], hole[1]
        # a point just left of the hole's first side lies in the chosen cells around it
        probe = ((ax + bx) / 2 - (by - ay) * 0.25, (ay + by) / 2 + (bx - ax) * 0.25)
        for poly in polygons:
            if _inside(probe, poly[0]):
                poly.append(hole)
                break
    coords = [[_ring_lonlat(grid, r) for r in poly] for poly in polygons]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def _ring_lonlat(grid: DensityGrid, ring: list[tuple[int, int]]) -> list[list[float]]:
    cols, rows = np.array(ring + ring[:1], dtype=float).T
    lon, lat = grid.to_wgs84(grid.x0 + cols * grid.cell_m, grid.y0 + rows * grid.cell_m)
    lon = (lon + 180.0) % 360.0 - 180.0
    return [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
