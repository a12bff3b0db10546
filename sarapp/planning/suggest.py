"""Suggest each unit's sub-area and track spacing so the plan's total POS is as high as it gets.

Each unit brings an effort Z = V·T·W (NM², from the worksheet) and a sweep width W (NM). On a
POC grid of the (reweighted) drift cloud, aligned with the cloud's major axis, every unit gets
one rectangle of whole cells with a uniform coverage C = min(Z/A, W/S_min); its POD follows
the IAMSAR curve of the conditions and units combine as independent searches, so
POS = Σ POC·(1 − Π(1 − POD_i)) — the formula of :func:`probability.evaluate_plan`, which gives
the same POS for the returned :class:`SearchArea` s. Sub-areas of different units do not
overlap unless ``allow_overlap``; a unit that cannot fit beside the others is laid over them
(scored by the product formula) and a note says so.

Search: two starting plans — greedy (units by effort, each on its best block given those
already placed) and the IAMSAR way (the best single block for the total effort, split in
strips in proportion to Z) — each improved by coordinate ascent (each unit moved to its best
block given the others, until nothing improves), the better one kept. Every "best block" is
exact on the grid (:mod:`suggest_grid`). Method, formulas and references: docs/search-planning.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from pyproj import Geod

from sarapp.planning import tables
from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import SearchPattern, search_pattern
from sarapp.planning.probability import (
    NM_IN_M,
    ParticleCloud,
    SearchArea,
    local_frame,
    probability_grid,
)
from sarapp.planning.suggest_grid import (
    AllocationProblem,
    Block,
    BlockSearch,
    aligned_grid,
    blocks_overlap,
    from_aligned,
    principal_bearing,
    unit_table,
)

MIN_TRACK_SPACING_NM = 0.1
"""Closest track spacing (NM) a unit is asked to fly: a project choice, not an IAMSAR figure."""
_GEOD = Geod(ellps="WGS84")


class EffortUnit(Protocol):
    """A unit's search effort; the worksheet's ``UnitEffort`` is one."""

    @property
    def name(self) -> str: ...

    @property
    def w_nm(self) -> float: ...

    @property
    def z_nm2(self) -> float: ...


@dataclass(frozen=True)
class SearchEffort:
    """A unit's name, sweep width W (NM) and effort Z = V·T·W (NM²), without a worksheet."""

    name: str
    w_nm: float
    z_nm2: float


@dataclass(frozen=True)
class SubAreaSuggestion:
    """One unit's suggested rectangle and what it gives (degrees, NM, NM², ratios 0–1).

    ``corners`` are (lat, lon) going round the rectangle; the tracks run along
    ``orientation_deg`` (true, 0–180), ``track_spacing_nm`` apart across ``width_nm``.
    ``marginal_pos`` is what the plan's POS loses without this unit.
    """

    name: str
    centre_lat: float
    centre_lon: float
    corners: tuple[tuple[float, float], ...]
    orientation_deg: float
    width_nm: float
    length_nm: float
    area_nm2: float
    coverage: float
    track_spacing_nm: float
    pod: float
    poc: float
    marginal_pos: float
    conditions: str
    notes: tuple[str, ...]

    @property
    def search_area(self) -> SearchArea:
        """The rectangle as :func:`probability.evaluate_plan` takes it."""
        return SearchArea(
            self.centre_lat,
            self.centre_lon,
            self.orientation_deg,
            self.length_nm,
            self.width_nm,
            self.coverage,
            self.conditions,
        )

    def parallel_track(self, *, turn: str = "right") -> SearchPattern:
        """The sub-area as a parallel-track pattern: CSP S/2 inside the corner it starts from.

        Tracks run along ``orientation_deg`` and step to the ``turn`` side, so the CSP is at
        the rear corner on the other side.
        """
        spacing = self.track_spacing_nm
        back = (self.length_nm - spacing) / 2.0 * NM_IN_M
        side = (self.width_nm - spacing) / 2.0 * NM_IN_M
        aside = self.orientation_deg + (-90.0 if turn == "right" else 90.0)
        lon, lat, _ = _GEOD.fwd(self.centre_lon, self.centre_lat, self.orientation_deg + 180, back)
        lon, lat, _ = _GEOD.fwd(lon, lat, aside, side)
        return search_pattern(
            "parallel-track",
            csp_lat=lat,
            csp_lon=lon,
            course_deg=self.orientation_deg,
            spacing_nm=spacing,
            width_nm=self.width_nm,
            length_nm=self.length_nm,
            turn=turn,
        )


@dataclass(frozen=True)
class PlanSuggestion:
    """The suggested plan: a sub-area per unit (in the order given) and the total POS (0–1).

    ``cell_along_nm`` × ``cell_across_nm`` is the grid cell the rectangle edges snap to, the
    grid aligned with ``bearing_deg`` (true); ``poc_in_grid`` the POC the grid holds (the
    trimmed outskirts of the cloud are left out of every sub-area).
    """

    units: tuple[SubAreaSuggestion, ...]
    pos: float
    bearing_deg: float
    cell_along_nm: float
    cell_across_nm: float
    poc_in_grid: float

    @property
    def search_areas(self) -> tuple[SearchArea, ...]:
        """The sub-areas as :class:`SearchArea` s, for :func:`probability.evaluate_plan`."""
        return tuple(unit.search_area for unit in self.units)


def suggest_sub_areas(
    cloud: ParticleCloud,
    *,
    units: Sequence[EffortUnit],
    conditions: str = "normal",
    bearing_deg: float | None = None,
    min_track_spacing_nm: float = MIN_TRACK_SPACING_NM,
    allow_overlap: bool = False,
    cells: int = 40,
    trim: float = 0.001,
    rounds: int = 4,
) -> PlanSuggestion:
    """Sub-areas and track spacings for ``units`` maximising total POS against ``cloud``.

    ``bearing_deg`` (true) aligns the rectangles (default: the cloud's major axis); ``cells``
    per side of the grid (edges snap to cells); ``trim`` the POC share left off each end of
    each axis; ``rounds`` of coordinate ascent at most. Raises PlanningError for bad input.
    """
    _check(units, conditions=conditions, spacing=min_track_spacing_nm, cells=cells, trim=trim)
    bearing = principal_bearing(cloud) if bearing_deg is None else float(bearing_deg) % 180.0
    grid = aligned_grid(cloud, bearing_deg=bearing, cells=cells, trim=trim)
    tables = tuple(
        unit_table(
            grid,
            effort_nm2=unit.z_nm2,
            sweep_width_nm=unit.w_nm,
            max_coverage=unit.w_nm / min_track_spacing_nm,
            conditions=conditions,
        )
        for unit in units
    )
    problem = AllocationProblem(
        grid=grid,
        search=BlockSearch(cells, cells),
        tables=tables,
        names=tuple(unit.name for unit in units),
        efforts=tuple((unit.z_nm2, unit.w_nm) for unit in units),
        order=tuple(sorted(range(len(units)), key=lambda k: -units[k].z_nm2)),
        allow_overlap=allow_overlap,
    )
    starts = [problem.greedy()]
    split = problem.split(min_spacing_nm=min_track_spacing_nm, conditions=conditions)
    if split is not None:
        starts.append(split)
    plans = [problem.ascend(blocks, rounds=rounds) for blocks in starts]
    blocks = max(plans, key=problem.pos)
    return _suggestion(problem, cloud, blocks, units=units, conditions=conditions)


def _check(
    units: Sequence[EffortUnit], *, conditions: str, spacing: float, cells: int, trim: float
) -> None:
    if not units:
        raise PlanningError("units: at least one search unit is needed")
    for unit in units:
        for field, value in (("w_nm", unit.w_nm), ("z_nm2", unit.z_nm2)):
            if not (math.isfinite(value) and value > 0):
                raise PlanningError(f"unit {unit.name!r} {field} {value!r} must be > 0")
    if conditions not in ("normal", "ideal"):
        raise PlanningError(f"conditions {conditions!r} is not 'normal' or 'ideal'")
    if not (math.isfinite(spacing) and spacing > 0):
        raise PlanningError(f"min_track_spacing_nm {spacing!r} must be > 0")
    if not 4 <= cells <= 80:
        raise PlanningError(f"cells {cells!r} per side must be between 4 and 80")
    if not 0 <= trim < 0.25:
        raise PlanningError(f"trim {trim!r} must be between 0 and 0.25")


def _suggestion(
    problem: AllocationProblem,
    cloud: ParticleCloud,
    blocks: list[Block | None],
    *,
    units: Sequence[EffortUnit],
    conditions: str,
) -> PlanSuggestion:
    grid = problem.grid
    total = problem.pos(blocks)
    frame = local_frame(cloud.centre_lat, cloud.centre_lon)
    placed = []
    for k, unit in enumerate(units):
        block = blocks[k]
        assert block is not None
        u_lo, u_hi, v_lo, v_hi = grid.edges(block)
        u = np.array([(u_lo + u_hi) / 2, u_lo, u_hi, u_hi, u_lo])
        v = np.array([(v_lo + v_hi) / 2, v_lo, v_lo, v_hi, v_hi])
        x, y = from_aligned(u, v, grid.bearing_deg)
        lon, lat = frame.transform(x * NM_IN_M, y * NM_IN_M, direction="INVERSE")
        na, nb = block[1] - block[0], block[3] - block[2]
        coverage = float(problem.tables[k].coverage[na, nb])
        side_u, side_v = u_hi - u_lo, v_hi - v_lo
        notes = []
        if coverage < unit.z_nm2 / (side_u * side_v) - 1e-9:
            spare = unit.z_nm2 - coverage * side_u * side_v
            notes.append(
                f"track spacing held at the minimum {unit.w_nm / coverage:.2f} NM; "
                f"{spare:.0f} NM² of effort left for other tasks"
            )
        if any(j != k and b is not None and blocks_overlap(b, block) for j, b in enumerate(blocks)):
            notes.append("overlaps another unit's sub-area (searches counted as independent)")
        without = [*blocks[:k], None, *blocks[k + 1 :]]
        placed.append(
            SubAreaSuggestion(
                name=unit.name,
                centre_lat=float(lat[0]),
                centre_lon=float(lon[0]),
                corners=tuple((float(a), float(o)) for a, o in zip(lat[1:], lon[1:], strict=True)),
                orientation_deg=grid.bearing_deg
                if side_u >= side_v
                else (grid.bearing_deg + 90.0) % 180.0,
                width_nm=min(side_u, side_v),
                length_nm=max(side_u, side_v),
                area_nm2=side_u * side_v,
                coverage=coverage,
                track_spacing_nm=unit.w_nm / coverage,
                pod=float(problem.tables[k].pod[na, nb]),
                poc=float(grid.poc[block[0] : block[1], block[2] : block[3]].sum()),
                marginal_pos=total - problem.pos(without),
                conditions=conditions,
                notes=tuple(notes),
            )
        )
    # Sums of probabilities can round past 1 (1.0000000000000002): a probability never does.
    return PlanSuggestion(
        units=tuple(placed),
        pos=min(1.0, total),
        bearing_deg=grid.bearing_deg,
        cell_along_nm=grid.du_nm,
        cell_across_nm=grid.dv_nm,
        poc_in_grid=min(1.0, float(grid.poc.sum())),
    )


def centroid_square_plan(
    cloud: ParticleCloud,
    *,
    units: Sequence[EffortUnit],
    conditions: str = "normal",
    min_track_spacing_nm: float = MIN_TRACK_SPACING_NM,
) -> tuple[SearchArea, ...]:
    """The worksheet's plan on the cloud, to compare a suggestion with: one optimal square.

    E (NM) is the radius of the circle round the cloud's centre holding half its POC (IAMSAR's
    probable error); the square of side 2·fs·E (fs from the point-datum curve at Zr = ΣZ/E²)
    is north-up at the centre, cut in north–south strips ∝ Z, all at coverage C = ΣZ/A
    (each held to W/S_min).
    """
    _check(units, conditions=conditions, spacing=min_track_spacing_nm, cells=4, trim=0.0)
    distance = np.hypot(cloud.x_nm, cloud.y_nm)
    e_nm = float(np.quantile(distance, 0.5, weights=cloud.weight, method="inverted_cdf"))
    if not e_nm > 0:
        raise PlanningError("the cloud has no spread: every particle is at its centre")
    z_total = sum(unit.z_nm2 for unit in units)
    fs = tables.optimal_search_factor(
        zr=z_total / e_nm**2, datum_type="point", conditions=conditions
    )
    side = 2.0 * fs.value * e_nm
    coverage = z_total / side**2
    frame = local_frame(cloud.centre_lat, cloud.centre_lon)
    areas = []
    west = -side / 2.0
    for unit in units:
        width = side * unit.z_nm2 / z_total
        lon, lat = frame.transform((west + width / 2.0) * NM_IN_M, 0.0, direction="INVERSE")
        held = min(coverage, unit.w_nm / min_track_spacing_nm)
        areas.append(SearchArea(float(lat), float(lon), 0.0, side, width, held, conditions))
        west += width
    return tuple(areas)


def stone_optimal_pos(cloud: ParticleCloud, *, effort_nm2: float, cell_nm: float) -> float:
    """POS (0–1) of Stone's optimal effort density for the normal (exponential) curve.

    A ceiling to judge rectangles against, not a plan: the total effort ``effort_nm2`` (NM²)
    spread freely over square cells of ``cell_nm`` (NM), c_j = max(0, ln(p_j / (a·λ))) with λ
    set so Σ a·c_j = Z; then POS = Σ over searched cells of (p_j − a·λ).
    """
    if not (math.isfinite(effort_nm2) and effort_nm2 > 0):
        raise PlanningError(f"effort {effort_nm2!r} NM² must be > 0")
    poc = np.sort(probability_grid(cloud, cell_nm=cell_nm).poc.ravel())[::-1]
    poc = poc[poc > 0]
    area = cell_nm * cell_nm
    k = np.arange(1, poc.size + 1)
    # with the k densest cells searched: ln(a·λ) = (Σ ln p_j − Z/a) / k; valid while p_k > a·λ
    log_threshold = (np.cumsum(np.log(poc)) - effort_nm2 / area) / k
    threshold = np.exp(log_threshold)
    nxt = np.append(poc[1:], 0.0)
    valid = np.flatnonzero((poc > threshold) & (nxt <= threshold))
    searched = int(valid[0]) + 1 if valid.size else poc.size
    return float(np.sum(poc[:searched]) - searched * threshold[searched - 1])
