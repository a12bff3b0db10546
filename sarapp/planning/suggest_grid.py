"""Rectangles on a POC grid aligned with one bearing: the search space of :mod:`suggest`.

The cloud's particles are turned into a frame u (along the bearing θ, NM) and v (across, θ +
90°, NM) with the same formulas as :meth:`SearchArea.contains`, and binned into ``n × n``
cells. A candidate sub-area is any block of whole cells [i0, i1) × [j0, j1). With the
cumulative sum (integral image) of a per-cell value, the sum over every block is two
differences, so all n²(n+1)²/4 blocks are scored at once with numpy; a unit's best block given
the others is therefore exact on the grid, not sampled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sarapp.planning.errors import PlanningError
from sarapp.planning.pod import pod_array
from sarapp.planning.probability import ParticleCloud

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Block = tuple[int, int, int, int]
"""Cells [i0, i1) along × [j0, j1) across."""


def principal_bearing(cloud: ParticleCloud) -> float:
    """Bearing (degrees true, 0–180) of the cloud's major axis (weighted covariance)."""
    w = cloud.weight
    x = cloud.x_nm - float(np.dot(w, cloud.x_nm))
    y = cloud.y_nm - float(np.dot(w, cloud.y_nm))
    cov = np.array([[np.dot(w, x * x), np.dot(w, x * y)], [np.dot(w, x * y), np.dot(w, y * y)]])
    _, vectors = np.linalg.eigh(cov)
    east, north = vectors[:, -1]
    return math.degrees(math.atan2(east, north)) % 180.0


def to_aligned(
    x_nm: FloatArray, y_nm: FloatArray, bearing_deg: float
) -> tuple[FloatArray, FloatArray]:
    """(u along the bearing, v across) in NM from local east/north x, y (NM)."""
    theta = math.radians(bearing_deg)
    return x_nm * math.sin(theta) + y_nm * math.cos(theta), x_nm * math.cos(
        theta
    ) - y_nm * math.sin(theta)


def from_aligned(
    u_nm: FloatArray, v_nm: FloatArray, bearing_deg: float
) -> tuple[FloatArray, FloatArray]:
    """Local east/north x, y (NM) from (u, v) (NM): the inverse of :func:`to_aligned`."""
    theta = math.radians(bearing_deg)
    return u_nm * math.sin(theta) + v_nm * math.cos(theta), u_nm * math.cos(
        theta
    ) - v_nm * math.sin(theta)


@dataclass(frozen=True, eq=False)
class AlignedGrid:
    """POC (share of the whole cloud, 0–1) in (nu, nv) cells of du × dv NM from (u0, v0)."""

    bearing_deg: float
    u0_nm: float
    v0_nm: float
    du_nm: float
    dv_nm: float
    poc: FloatArray

    def edges(self, block: Block) -> tuple[float, float, float, float]:
        """(u_lo, u_hi, v_lo, v_hi) in NM of a block's outer edges."""
        i0, i1, j0, j1 = block
        return (
            self.u0_nm + i0 * self.du_nm,
            self.u0_nm + i1 * self.du_nm,
            self.v0_nm + j0 * self.dv_nm,
            self.v0_nm + j1 * self.dv_nm,
        )


def aligned_grid(
    cloud: ParticleCloud, *, bearing_deg: float, cells: int, trim: float
) -> AlignedGrid:
    """Bin the cloud on ``cells`` × ``cells`` cells spanning its [trim, 1 − trim] quantiles.

    Particles beyond the trimmed span (at most 4·trim of the POC) stay out of the grid, so no
    sub-area reaches them; the grid's POC still counts in shares of the whole cloud.
    """
    u, v = to_aligned(cloud.x_nm, cloud.y_nm, bearing_deg)
    spans = []
    for values in (u, v):
        if trim > 0:
            lo, hi = np.quantile(
                values, [trim, 1.0 - trim], weights=cloud.weight, method="inverted_cdf"
            )
        else:
            lo, hi = values.min(), values.max()
        # pad so the particles at the extremes fall inside, not on, the outer edges
        pad = 1e-6 * max(float(hi - lo), 1e-3)
        spans.append((float(lo) - pad, float(hi) + pad))
    (u_lo, u_hi), (v_lo, v_hi) = spans
    du, dv = (u_hi - u_lo) / cells, (v_hi - v_lo) / cells
    iu = np.floor((u - u_lo) / du).astype(np.int64)
    jv = np.floor((v - v_lo) / dv).astype(np.int64)
    inside = (iu >= 0) & (iu < cells) & (jv >= 0) & (jv < cells)
    flat = iu[inside] * cells + jv[inside]
    poc = np.bincount(flat, weights=cloud.weight[inside], minlength=cells * cells)
    return AlignedGrid(bearing_deg, u_lo, v_lo, du, dv, poc.reshape(cells, cells))


@dataclass(frozen=True)
class UnitTable:
    """What a unit achieves on a block of na × nb cells (indexed [na, nb], 0 unused).

    ``pod`` is −inf where the block is not allowed (fewer than one track fits across it).
    """

    coverage: FloatArray
    pod: FloatArray


def unit_table(
    grid: AlignedGrid,
    *,
    effort_nm2: float,
    sweep_width_nm: float,
    max_coverage: float,
    conditions: str,
) -> UnitTable:
    """Coverage C = min(Z/A, C_max) and POD for every block size; C_max = W / S_min."""
    n_u, n_v = grid.poc.shape
    long_u = np.arange(n_u + 1, dtype=np.float64)[:, None] * grid.du_nm
    long_v = np.arange(n_v + 1, dtype=np.float64)[None, :] * grid.dv_nm
    area = long_u * long_v
    with np.errstate(divide="ignore"):
        coverage = np.minimum(effort_nm2 / area, max_coverage)
    coverage[0, :] = 0.0
    coverage[:, 0] = 0.0
    # tracks run along the longer side; at least one track spacing must fit across
    short = np.minimum(long_u, long_v)
    fits = short * coverage >= sweep_width_nm * (1.0 - 1e-9)
    pod = np.where(fits, pod_array(coverage, conditions), -np.inf)
    return UnitTable(coverage=coverage, pod=pod)


class BlockSearch:
    """All blocks of an (nu, nv) grid, scored together from an integral image."""

    def __init__(self, n_u: int, n_v: int) -> None:
        self.shape = (n_u, n_v)
        self.u_lo, self.u_hi = (a.astype(np.int64) for a in np.triu_indices(n_u + 1, k=1))
        self.v_lo, self.v_hi = (a.astype(np.int64) for a in np.triu_indices(n_v + 1, k=1))
        self.u_len = self.u_hi - self.u_lo
        self.v_len = self.v_hi - self.v_lo

    def block_sums(self, values: FloatArray) -> FloatArray:
        """Σ values over every block, shape (u-intervals, v-intervals)."""
        n_u, n_v = self.shape
        integral = np.zeros((n_u + 1, n_v + 1))
        integral[1:, 1:] = values.cumsum(axis=0).cumsum(axis=1)
        strips = integral[self.u_hi, :] - integral[self.u_lo, :]
        return strips[:, self.v_hi] - strips[:, self.v_lo]

    def best(
        self, values: FloatArray, table: UnitTable, *, avoid: list[Block]
    ) -> tuple[Block, float] | None:
        """The block maximising POD(block)·Σ values, not overlapping ``avoid``; None if none."""
        pod = table.pod[self.u_len[:, None], self.v_len[None, :]]
        gain = np.where(pod >= 0.0, self.block_sums(values) * np.maximum(pod, 0.0), -np.inf)
        for i0, i1, j0, j1 in avoid:
            rows = (self.u_lo < i1) & (self.u_hi > i0)
            cols = (self.v_lo < j1) & (self.v_hi > j0)
            gain[np.ix_(rows, cols)] = -np.inf
        flat = int(np.argmax(gain))
        row, col = divmod(flat, gain.shape[1])
        value = float(gain[row, col])
        if not math.isfinite(value):
            return None
        block = (
            int(self.u_lo[row]),
            int(self.u_hi[row]),
            int(self.v_lo[col]),
            int(self.v_hi[col]),
        )
        return block, value


def blocks_overlap(a: Block, b: Block) -> bool:
    """Whether two blocks share at least one cell."""
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


@dataclass(frozen=True, eq=False)
class AllocationProblem:
    """Units (in ``order``, most effort first) to place as blocks on one grid.

    ``efforts`` are (Z NM², W NM) per unit; ``tables`` what each achieves per block size.
    """

    grid: AlignedGrid
    search: BlockSearch
    tables: tuple[UnitTable, ...]
    names: tuple[str, ...]
    efforts: tuple[tuple[float, float], ...]
    order: tuple[int, ...]
    allow_overlap: bool

    def miss(self, k: int, block: Block) -> FloatArray:
        """Per cell 1 − POD of unit k on ``block`` (1 outside it)."""
        i0, i1, j0, j1 = block
        miss = np.ones(self.grid.poc.shape)
        miss[i0:i1, j0:j1] = 1.0 - self.tables[k].pod[i1 - i0, j1 - j0]
        return miss

    def pos(self, blocks: Sequence[Block | None]) -> float:
        """Total POS (0–1) = Σ POC·(1 − Π(1 − POD_k)) of the placed blocks."""
        miss = np.ones(self.grid.poc.shape)
        for k, block in enumerate(blocks):
            if block is not None:
                miss *= self.miss(k, block)
        return float(np.sum(self.grid.poc * (1.0 - miss)))

    def best_for(self, k: int, blocks: Sequence[Block | None]) -> Block:
        """Unit k's best block given the others' (beside them if any fits, else over them)."""
        others = [(j, b) for j, b in enumerate(blocks) if b is not None and j != k]
        remaining = self.grid.poc.copy()
        for j, block in others:
            remaining *= self.miss(j, block)
        found = None
        if not self.allow_overlap:
            found = self.search.best(remaining, self.tables[k], avoid=[b for _, b in others])
        if found is None:
            found = self.search.best(remaining, self.tables[k], avoid=[])
        if found is None:
            raise PlanningError(
                f"unit {self.names[k]!r}: its effort does not fly one track across a grid cell "
                f"of {self.grid.du_nm:.2f} × {self.grid.dv_nm:.2f} NM; use fewer cells or "
                "give the unit more endurance"
            )
        return found[0]

    def greedy(self) -> list[Block | None]:
        """Each unit in turn on its best block given those already placed."""
        blocks: list[Block | None] = [None] * len(self.tables)
        for k in self.order:
            blocks[k] = self.best_for(k, blocks)
        return blocks

    def ascend(self, blocks: Sequence[Block | None], *, rounds: int) -> list[Block | None]:
        """Coordinate ascent: move each unit to its best block given the others while POS rises."""
        plan = list(blocks)
        current = self.pos(plan)
        for _ in range(rounds):
            improved = False
            for k in self.order:
                trial = [*plan[:k], self.best_for(k, plan), *plan[k + 1 :]]
                value = self.pos(trial)
                if value > current + 1e-12:
                    plan, current, improved = trial, value, True
            if not improved:
                break
        return plan

    def split(self, *, min_spacing_nm: float, conditions: str) -> list[Block | None] | None:
        """The IAMSAR way: the best block for the total effort cut in strips ∝ Z; None if unfit.

        All units share one coverage C ≤ min(W)/S_min; strips run across the block's long side.
        """
        combined = unit_table(
            self.grid,
            effort_nm2=sum(z for z, _ in self.efforts),
            sweep_width_nm=0.0,
            max_coverage=min(w for _, w in self.efforts) / min_spacing_nm,
            conditions=conditions,
        )
        found = self.search.best(self.grid.poc, combined, avoid=[])
        if found is None:
            return None
        i0, i1, j0, j1 = found[0]
        along = (i1 - i0) * self.grid.du_nm >= (j1 - j0) * self.grid.dv_nm
        lo, hi = (i0, i1) if along else (j0, j1)
        counts = proportional_counts(hi - lo, [self.efforts[k][0] for k in self.order])
        if counts is None:
            return None
        blocks: list[Block | None] = [None] * len(self.tables)
        for k, count in zip(self.order, counts, strict=True):
            block = (lo, lo + count, j0, j1) if along else (i0, i1, lo, lo + count)
            if self.tables[k].pod[block[1] - block[0], block[3] - block[2]] == -np.inf:
                return None
            blocks[k], lo = block, lo + count
        return blocks


def proportional_counts(total: int, weights: Sequence[float]) -> list[int] | None:
    """Split ``total`` cells in proportion to ``weights``, each ≥ 1 (largest remainders)."""
    if total < len(weights):
        return None
    shares = np.asarray(weights, dtype=np.float64) / float(sum(weights)) * total
    counts = np.maximum(np.floor(shares).astype(np.int64), 1)
    while counts.sum() > total:
        counts[int(np.argmax(counts))] -= 1
    remainders = shares - counts
    while counts.sum() < total:
        k = int(np.argmax(remainders))
        counts[k] += 1
        remainders[k] -= 1.0
    return [int(c) for c in counts]
