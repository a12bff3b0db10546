"""Land as filled polygons for the chart, from the shipped Natural Earth outlines.

The shipped arcs are the "land" rings of Natural Earth (``coastlines.py``); almost all are
closed, the few that are not (cut at the antimeridian or where two land polygons touch) are
chained end to end into rings where their ends meet. A view needs only what it shows, so each
ring is clipped to a box (Sutherland–Hodgman against each side, vectorised with numpy) before
the chart fills it; holes (lakes) are rings too, filled with the odd-even rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from sarapp.maps.coastlines import LEVELS, read_arcs
from sarapp.maps.projection import HALF_WORLD_M, to_mercator

Floats = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LandLevel:
    """One level's rings in Mercator metres: ``rings[k]`` is an (n, 2) array, ``bounds[k]``
    its (west, south, east, north)."""

    name: str
    rings: tuple[Floats, ...]
    bounds: Floats

    def polygons(self, west: float, south: float, east: float, north: float) -> list[Floats]:
        """The rings touching the box (metres), each clipped to it, as (n, 2) arrays."""
        b = self.bounds
        hit = np.flatnonzero(
            (b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south)
        )
        out = []
        for k in hit:
            ring = self.rings[k]
            inside = b[k, 0] >= west and b[k, 2] <= east and b[k, 1] >= south and b[k, 3] <= north
            clipped = ring if inside else clip_ring(ring, (west, south, east, north))
            if len(clipped) >= 3:
                out.append(clipped)
        return out

    @property
    def vertex_count(self) -> int:
        return sum(len(r) for r in self.rings)


def _clip_side(ring: Floats, axis: int, limit: float, keep_above: bool) -> Floats:
    """Keep the part of a closed ring on one side of ``x[axis] = limit``."""
    if len(ring) == 0:
        return ring
    a, b = ring, np.roll(ring, -1, axis=0)
    ina = a[:, axis] >= limit if keep_above else a[:, axis] <= limit
    inb = b[:, axis] >= limit if keep_above else b[:, axis] <= limit
    if ina.all():
        return ring
    da, db = a[:, axis] - limit, b[:, axis] - limit
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(da != db, da / (da - db), 0.0)
    cross = a + (b - a) * t[:, None]
    # per edge a→b: up to two output points, [crossing if it crosses, b if b is in]
    first = np.where((ina != inb)[:, None], cross, np.nan)
    second = np.where(inb[:, None], b, np.nan)
    out = np.stack([first, second], axis=1).reshape(-1, 2)
    return out[~np.isnan(out[:, 0])]


def _drop_outside_runs(ring: Floats, axis: int, limit: float, keep_above: bool) -> Floats:
    """Drop vertices whose neighbours and themselves all lie beyond one side: the edge that
    replaces them stays beyond it, so the ring's part inside the box is unchanged (a ring of
    a continent shrinks to what is near the view before the exact clip)."""
    out = ring[:, axis] < limit if keep_above else ring[:, axis] > limit
    drop = out & np.roll(out, 1) & np.roll(out, -1)
    return ring if not drop.any() else ring[~drop]


def clip_ring(ring: Floats, box: tuple[float, float, float, float]) -> Floats:
    """A closed ring ((n, 2) metres) clipped to the box (west, south, east, north)."""
    west, south, east, north = box
    sides = ((0, west, True), (0, east, False), (1, south, True), (1, north, False))
    for axis, limit, above in sides:
        ring = _drop_outside_runs(ring, axis, limit, above)
    for axis, limit, above in (
        (0, west, True),
        (0, east, False),
        (1, south, True),
        (1, north, False),
    ):
        ring = _clip_side(ring, axis, limit, above)
    return ring


def _chain(arcs: list[Floats]) -> list[Floats]:
    """Join open arcs end to start (or end to end, reversed) into closed rings; an arc that
    cannot be closed is left out (it is still drawn as a line)."""
    rings, open_arcs = [], []
    for arc in arcs:
        (rings if np.array_equal(arc[0], arc[-1]) else open_arcs).append(arc)
    while open_arcs:
        current = open_arcs.pop()
        for _ in range(len(open_arcs) + 1):
            if np.array_equal(current[0], current[-1]):
                rings.append(current)
                break
            end = current[-1]
            match = next(
                (
                    i
                    for i, a in enumerate(open_arcs)
                    if np.array_equal(a[0], end) or np.array_equal(a[-1], end)
                ),
                None,
            )
            if match is None:
                break
            nxt = open_arcs.pop(match)
            nxt = nxt if np.array_equal(nxt[0], end) else nxt[::-1]
            current = np.vstack([current, nxt[1:]])
    return rings


@cache
def land_levels() -> dict[str, LandLevel]:
    """The shipped land as rings per level, loaded once per process."""
    levels = {}
    for name, (lon, lat, starts) in read_arcs().items():
        x, y = to_mercator(lat, lon)  # every vertex at once: one call, not one per ring
        xy = np.column_stack([x, y])
        ends = np.append(starts[1:], len(lon))
        arcs = [xy[s:e] for s, e in zip(starts, ends, strict=True)]
        rings = []
        for ring in _chain(arcs):
            if np.ptp(ring[:, 0]) > 0.99 * 2 * HALF_WORLD_M:  # round the world: close it south
                bottom = -HALF_WORLD_M
                ring = np.vstack([ring, [[ring[-1, 0], bottom], [ring[0, 0], bottom]]])
            rings.append(ring)
        bounds = np.array(
            [[r[:, 0].min(), r[:, 1].min(), r[:, 0].max(), r[:, 1].max()] for r in rings]
        )
        levels[name] = LandLevel(name, tuple(rings), bounds)
    assert tuple(levels) == LEVELS
    return levels
