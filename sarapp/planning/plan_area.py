"""The area a laid-out search pattern covers, and its coverage and POD there.

The area is a rectangle aligned with the first course: the box around the pattern's waypoints
in a local azimuthal-equidistant plane centred on the CSP, widened by half a track spacing on
every side (the outer tracks of a parallel-track, creeping-line or expanding-square pattern lie
S/2 inside the area, IAMSAR). A sector search has no margin (its legs reach the radius); a
track line return is S/2 either side of its tracks; a non-return track line needs the sweep
width (W/2 either side). Coverage is C = W · searching track length / area, which is W/S for
the ladders and 9·W/(π·R)·(π·R²/area) for a sector.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pyproj import Geod

from sarapp.planning.errors import PlanningError
from sarapp.planning.pod import pod
from sarapp.planning.probability import NM_IN_M, SearchArea, local_frame


@dataclass(frozen=True)
class PlanRectangle:
    """Centre (degrees), long-side bearing (° true), sides (NM) and corners (lat, lon)."""

    centre_lat: float
    centre_lon: float
    orientation_deg: float
    length_nm: float
    width_nm: float
    corners: tuple[tuple[float, float], ...]

    @property
    def area_nm2(self) -> float:
        return self.length_nm * self.width_nm

    def search_area(self, *, coverage: float, conditions: str = "normal") -> SearchArea:
        """The rectangle as a ``SearchArea`` of ``probability`` with uniform coverage."""
        return SearchArea(
            self.centre_lat,
            self.centre_lon,
            self.orientation_deg,
            self.length_nm,
            self.width_nm,
            coverage,
            conditions,
        )


def _margin_nm(kind: str, spacing_nm: float | None, sweep_width_nm: float | None) -> float:
    if kind == "sector":
        return 0.0
    if kind == "track-line" and not spacing_nm:
        if not sweep_width_nm:
            raise PlanningError("a non-return track line needs the sweep width to have an area")
        return sweep_width_nm / 2.0
    if not spacing_nm:
        raise PlanningError(f"a {kind} pattern needs its track spacing to have an area")
    return spacing_nm / 2.0


def _extent(
    along: np.ndarray, across: np.ndarray, margin: float
) -> tuple[float, float, float, float]:
    """(along min, along max, across min, across max) NM of points given along and across the
    first course from the CSP (NM), widened by ``margin`` NM."""
    a0, a1 = float(along.min()) - margin, float(along.max()) + margin
    c0, c1 = float(across.min()) - margin, float(across.max()) + margin
    if a1 - a0 <= 0 or c1 - c0 <= 0:
        raise PlanningError("the pattern's waypoints do not span an area")
    return a0, a1, c0, c1


def pattern_rectangle(
    kind: str,
    *,
    waypoints: Sequence[tuple[float, float]],
    course_deg: float,
    spacing_nm: float | None,
    sweep_width_nm: float | None = None,
) -> PlanRectangle:
    """The searched rectangle of a pattern from its waypoints ((lat, lon) degrees, CSP first)."""
    if len(waypoints) < 2:
        raise PlanningError("a pattern needs at least two waypoints to cover an area")
    margin = _margin_nm(kind, spacing_nm, sweep_width_nm)
    csp_lat, csp_lon = waypoints[0]
    frame = local_frame(csp_lat, csp_lon)
    lats = np.array([p[0] for p in waypoints])
    lons = np.array([p[1] for p in waypoints])
    x, y = frame.transform(lons, lats)
    dx, dy = np.asarray(x) / NM_IN_M, np.asarray(y) / NM_IN_M
    theta = math.radians(course_deg)
    along = dx * math.sin(theta) + dy * math.cos(theta)
    across = dx * math.cos(theta) - dy * math.sin(theta)
    a0, a1, c0, c1 = _extent(along, across, margin)

    def to_lat_lon(a: float, c: float) -> tuple[float, float]:
        east = a * math.sin(theta) + c * math.cos(theta)
        north = a * math.cos(theta) - c * math.sin(theta)
        lon, lat = frame.transform(east * NM_IN_M, north * NM_IN_M, direction="INVERSE")
        return float(lat), float(lon)

    centre = to_lat_lon((a0 + a1) / 2, (c0 + c1) / 2)
    corners = tuple(to_lat_lon(a, c) for a, c in ((a0, c0), (a1, c0), (a1, c1), (a0, c1)))
    return PlanRectangle(
        centre[0], centre[1], course_deg % 360.0, a1 - a0, c1 - c0, corners + corners[:1]
    )


def pattern_coverage(*, sweep_width_nm: float, searching_nm: float, area_nm2: float) -> float:
    """C = W · searching track length / area (W, length NM; area NM²)."""
    if not sweep_width_nm > 0:
        raise PlanningError(f"sweep width {sweep_width_nm!r} NM must be > 0")
    if not area_nm2 > 0:
        raise PlanningError(f"search area {area_nm2!r} NM² must be > 0")
    return sweep_width_nm * searching_nm / area_nm2


def coverage_for_pod(pod_value: float, conditions: str = "normal") -> float:
    """The coverage that gives ``pod_value`` (0 ≤ POD < 1) on the curve of ``conditions``.

    Used to lay a stored plan's POD over its rectangle: the normal curve inverts exactly
    (C = −ln(1 − POD)); the ideal one by bisection to 1e-12.
    """
    if not 0.0 <= pod_value < 1.0:
        raise PlanningError(f"POD {pod_value!r} must be at least 0 and below 1")
    if conditions == "normal":
        return -math.log1p(-pod_value)
    lo, hi = 0.0, 1.0
    while pod(hi, conditions) < pod_value:
        hi *= 2.0
    while hi - lo > 1e-12:
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if pod(mid, conditions) < pod_value else (lo, mid)
    return (lo + hi) / 2.0


_GEOD = Geod(ellps="WGS84")
PatternSpec = tuple[str, Sequence[tuple[float, float]], float, float | None, float | None]


def _frame(
    csp_lat: np.ndarray, csp_lon: np.ndarray, course: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Positions → NM along and across the course from each CSP (element by element)."""
    az, _, dist = _GEOD.inv(csp_lon, csp_lat, lon, lat)
    rel = np.radians(np.asarray(az) - course)
    dist_nm = np.asarray(dist) / NM_IN_M
    return dist_nm * np.cos(rel), dist_nm * np.sin(rel)


@dataclass(frozen=True)
class PatternBox:
    """The rectangle of ``pattern_rectangle`` in the same azimuthal-equidistant frame at the
    CSP, reached through geodesics (distance and azimuth from the CSP, as the projection is
    defined) instead of building a projection per plan: the same numbers, a few hundred times
    quicker, and in batches (``pattern_boxes``, ``contains_each``, ``bounds_each``) for
    figures over many plans (the annual report's area covered, a unit on scene).

    ``along``/``across`` are the (min, max) NM along and across the first course from the CSP.
    """

    csp_lat: float
    csp_lon: float
    course_deg: float
    along: tuple[float, float]
    across: tuple[float, float]

    @property
    def area_nm2(self) -> float:
        return (self.along[1] - self.along[0]) * (self.across[1] - self.across[0])

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the position (degrees) lies inside the rectangle (edges included)."""
        return bool(contains_each([self], np.array([lat]), np.array([lon]))[0])

    def corners(self) -> list[tuple[float, float]]:
        """The four corners, (lat, lon) degrees."""
        return _corners_each([self])[0]

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) degrees around the corners, a little wide (a pole or a
        crossed antimeridian widens it to every longitude)."""
        return bounds_each([self])[0]


def pattern_box(
    kind: str,
    *,
    waypoints: Sequence[tuple[float, float]],
    course_deg: float,
    spacing_nm: float | None,
    sweep_width_nm: float | None = None,
) -> PatternBox:
    """``pattern_rectangle``'s rectangle as a ``PatternBox``; PlanningError as it."""
    if len(waypoints) < 2:
        raise PlanningError("a pattern needs at least two waypoints to cover an area")
    _margin_nm(kind, spacing_nm, sweep_width_nm)
    box = pattern_boxes([(kind, waypoints, course_deg, spacing_nm, sweep_width_nm)])[0]
    if box is None:
        raise PlanningError("the pattern's waypoints do not span an area")
    return box


def pattern_boxes(patterns: Sequence[PatternSpec]) -> list[PatternBox | None]:
    """The boxes of many patterns ``(kind, waypoints, course °, spacing NM, sweep width NM)``
    at once; None for a pattern without an area (no spacing, one waypoint, no extent)."""
    out: list[PatternBox | None] = [None] * len(patterns)
    chosen, margins = [], []
    for i, (kind, waypoints, _, spacing, sweep) in enumerate(patterns):
        try:
            margins.append(_margin_nm(kind, spacing, sweep))
        except PlanningError:
            continue
        if len(waypoints) >= 2:
            chosen.append(i)
        else:
            margins.pop()
    if not chosen:
        return out
    counts = np.array([len(patterns[i][1]) for i in chosen])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    points = np.array([p for i in chosen for p in patterns[i][1]], dtype=float)
    csp = np.array([patterns[i][1][0] for i in chosen], dtype=float)
    course = np.array([float(patterns[i][2]) % 360.0 for i in chosen])
    along, across = _frame(
        np.repeat(csp[:, 0], counts),
        np.repeat(csp[:, 1], counts),
        np.repeat(course, counts),
        points[:, 0],
        points[:, 1],
    )
    margin = np.array(margins)
    a0 = np.minimum.reduceat(along, starts) - margin
    a1 = np.maximum.reduceat(along, starts) + margin
    c0 = np.minimum.reduceat(across, starts) - margin
    c1 = np.maximum.reduceat(across, starts) + margin
    for k, i in enumerate(chosen):
        if a1[k] - a0[k] > 0 and c1[k] - c0[k] > 0:
            out[i] = PatternBox(
                float(csp[k, 0]),
                float(csp[k, 1]),
                float(course[k]),
                (float(a0[k]), float(a1[k])),
                (float(c0[k]), float(c1[k])),
            )
    return out


def contains_each(boxes: Sequence[PatternBox], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Whether position ``i`` (degrees) lies in ``boxes[i]``, for every ``i``."""
    if not len(boxes):
        return np.zeros(0, dtype=bool)
    along, across = _frame(
        np.array([b.csp_lat for b in boxes]),
        np.array([b.csp_lon for b in boxes]),
        np.array([b.course_deg for b in boxes]),
        np.asarray(lat, dtype=float),
        np.asarray(lon, dtype=float),
    )
    extent = np.array([(*b.along, *b.across) for b in boxes])
    return (
        (extent[:, 0] <= along)
        & (along <= extent[:, 1])
        & (extent[:, 2] <= across)
        & (across <= extent[:, 3])
    )


def _corner_arrays(boxes: Sequence[PatternBox]) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) degrees of the four corners of each box, shape (boxes, 4)."""
    along = np.array([(b.along[0], b.along[0], b.along[1], b.along[1]) for b in boxes]).ravel()
    across = np.array([(b.across[0], b.across[1], b.across[0], b.across[1]) for b in boxes])
    across = across.ravel()
    course = np.repeat([b.course_deg for b in boxes], 4)
    az = course + np.degrees(np.arctan2(across, along))
    dist = np.hypot(along, across) * NM_IN_M
    lon, lat, _ = _GEOD.fwd(
        np.repeat([b.csp_lon for b in boxes], 4), np.repeat([b.csp_lat for b in boxes], 4), az, dist
    )
    return np.asarray(lat).reshape(-1, 4), np.asarray(lon).reshape(-1, 4)


def _corners_each(boxes: Sequence[PatternBox]) -> list[list[tuple[float, float]]]:
    lat, lon = _corner_arrays(boxes)
    return [
        list(zip(la.tolist(), lo.tolist(), strict=True)) for la, lo in zip(lat, lon, strict=True)
    ]


def bounds_each(boxes: Sequence[PatternBox]) -> list[tuple[float, float, float, float]]:
    """``PatternBox.bounds`` of many boxes at once."""
    if not len(boxes):
        return []
    lat, lon = _corner_arrays(boxes)
    pad = 0.01  # degrees: a long edge bulges past its corners' latitudes a little
    south = np.maximum(-90.0, lat.min(axis=1) - pad)
    north = np.minimum(90.0, lat.max(axis=1) + pad)
    west, east = lon.min(axis=1) - pad, lon.max(axis=1) + pad
    everywhere = (east - west > 180.0) | (north >= 90.0) | (south <= -90.0)
    west = np.where(everywhere, -180.0, np.maximum(-180.0, west))
    east = np.where(everywhere, 180.0, np.minimum(180.0, east))
    return list(zip(south.tolist(), west.tolist(), north.tolist(), east.tolist(), strict=True))
