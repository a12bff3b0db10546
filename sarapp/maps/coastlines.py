"""Coastlines shipped with the app (Natural Earth land, 1:110m, 1:50m and 1:10m), in Web
Mercator metres, cut into short pieces so a view draws only what it shows.

The level of detail follows the chart's scale: 1:110m when a pixel covers more than
``COARSE_M_PER_PX`` metres, 1:50m above ``FINE_M_PER_PX``, 1:10m below. Source and licence:
``resources/coastlines/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from sarapp.maps.errors import MapsError
from sarapp.maps.projection import to_mercator
from sarapp.resources import resource_path

LEVELS = ("110m", "50m", "10m")  # coarse to fine, Natural Earth scales 1:110M, 1:50M, 1:10M
COARSE_M_PER_PX = 20_000.0  # Mercator metres per pixel above which 1:110m is enough
FINE_M_PER_PX = 2_500.0  # … below which 1:10m is worth its vertices
PIECE = 64  # vertices per piece: small enough that a zoomed-in view skips most of a continent

Floats = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CoastlineLevel:
    """One level's outlines as pieces in Mercator metres.

    ``x``/``y`` hold every piece followed by a NaN (a pen lift for ``connect="finite"``);
    ``piece_of`` maps each of those vertices to its piece; ``bounds`` is (west, south, east,
    north) per piece, metres.
    """

    name: str
    x: Floats
    y: Floats
    piece_of: NDArray[np.int32]
    bounds: Floats

    @property
    def vertex_count(self) -> int:
        return int(np.count_nonzero(np.isfinite(self.x)))

    def select(self, west: float, south: float, east: float, north: float) -> tuple[Floats, Floats]:
        """The pieces that touch the box (metres), NaN-separated, ready to draw."""
        b = self.bounds
        hit = (b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south)
        keep = hit[self.piece_of]
        return self.x[keep], self.y[keep]


def level_for(metres_per_pixel: float) -> str:
    """The coastline level fit for a view where one pixel covers this many Mercator metres."""
    if metres_per_pixel > COARSE_M_PER_PX:
        return LEVELS[0]
    if metres_per_pixel > FINE_M_PER_PX:
        return LEVELS[1]
    return LEVELS[2]


def _pieces(lon: Floats, lat: Floats, starts: NDArray, name: str) -> CoastlineLevel:
    jumps = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1  # lift the pen at the antimeridian
    starts = np.union1d(starts, jumps)
    ends = np.append(starts[1:], len(lon))
    index_parts: list[NDArray] = []
    for start, end in zip(starts, ends, strict=True):
        cuts = np.arange(start, end - 1, PIECE - 1)
        for cut in cuts:  # consecutive pieces share a vertex so the line stays unbroken
            index_parts.append(np.append(np.arange(cut, min(cut + PIECE, end)), -1))
    index = np.concatenate(index_parts)
    piece_of = np.repeat(np.arange(len(index_parts), dtype=np.int32), [len(p) for p in index_parts])
    x_all, y_all = to_mercator(lat, lon)
    gap = index < 0
    x = np.where(gap, np.nan, x_all[index])
    y = np.where(gap, np.nan, y_all[index])
    bounds = np.empty((len(index_parts), 4))
    for column, (values, reduce) in enumerate(
        ((x, np.fmin), (y, np.fmin), (x, np.fmax), (y, np.fmax))
    ):
        first = np.concatenate([[0], np.cumsum([len(p) for p in index_parts])[:-1]])
        bounds[:, column] = reduce.reduceat(values, first)
    return CoastlineLevel(name, x, y, piece_of, bounds)


def read_arcs(path: Path | None = None) -> dict[str, tuple[Floats, Floats, NDArray]]:
    """Each level's arcs as (lon, lat, starts): degrees of every vertex, index of each arc's
    first vertex. Read from the shipped file (or ``path``)."""
    path = path or resource_path("coastlines/coastlines.npz")
    try:
        data = np.load(path)
        arcs = {}
        for name in LEVELS:
            grid = np.cumsum(data[f"{name}_deltas"], axis=0, dtype=np.int64)
            starts = data[f"{name}_starts"]
            # arcs are delta-coded from their own first vertex: undo the running sum per arc
            offsets = np.repeat(
                np.vstack([[0, 0], grid[starts[1:] - 1]]), np.diff(np.append(starts, len(grid))), 0
            )
            absolute = grid - offsets
            lon = absolute[:, 0] * data[f"{name}_scale"][0] + data[f"{name}_translate"][0]
            lat = absolute[:, 1] * data[f"{name}_scale"][1] + data[f"{name}_translate"][1]
            arcs[name] = (lon, lat, starts)
    except (OSError, KeyError, ValueError) as exc:
        raise MapsError(f"coastline file {path} is unreadable or incomplete ({exc})") from exc
    return arcs


def load_levels(path: Path | None = None) -> dict[str, CoastlineLevel]:
    """Read the shipped file (or ``path``) into every level, coarse to fine."""
    return {
        name: _pieces(lon, lat, starts, name)
        for name, (lon, lat, starts) in read_arcs(path).items()
    }


@cache
def shipped_levels() -> dict[str, CoastlineLevel]:
    """The shipped coastlines, loaded once per process (about 0.3 s, 30 MB)."""
    return load_levels()
