"""Probability of containment, detection and success from a weighted particle cloud.

Independent of the drift engine: a cloud is latitude/longitude arrays (WGS84 degrees) with
weights. Particles are projected once into a local azimuthal-equidistant plane centred on the
cloud (x east, y north, NM; distances from the centre are exact, elsewhere the scale error is
below 10⁻⁴ within 50 NM).

- POC per cell: the cloud's weight in each square cell of a grid (cell side in NM).
- A planned search is a set of rectangles (one per unit) with a uniform coverage C each; a
  particle inside rectangle k is detected with POD_k = POD(C_k) on the rectangle's curve;
  rectangles combine as independent searches, POD = 1 − Π(1 − POD_k).
- POD per cell is the POC-weighted mean POD of its particles; POS = Σ POC·POD (= Σ wᵢ·PODᵢ).
- After a search that found nothing, weights become w·(1 − POD), renormalised, and the
  cumulative POS is 1 − (1 − POS_before)·(1 − POS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from pyproj import Transformer

from sarapp.planning.errors import PlanningError
from sarapp.planning.pod import pod_array

NM_IN_M = 1852.0
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ParticleCloud:
    """Particles (WGS84 degrees) with weights summing to 1, and their local x/y in NM."""

    lat: FloatArray
    lon: FloatArray
    weight: FloatArray
    x_nm: FloatArray
    y_nm: FloatArray
    centre_lat: float
    centre_lon: float

    @classmethod
    def from_arrays(
        cls, lat: npt.ArrayLike, lon: npt.ArrayLike, weight: npt.ArrayLike | None = None
    ) -> ParticleCloud:
        """Check and normalise a cloud; weights default to equal."""
        lat_a = np.asarray(lat, dtype=np.float64).ravel()
        lon_a = np.asarray(lon, dtype=np.float64).ravel()
        w = np.ones_like(lat_a) if weight is None else np.asarray(weight, dtype=np.float64).ravel()
        if not (lat_a.size == lon_a.size == w.size) or lat_a.size == 0:
            raise PlanningError(
                f"particle arrays differ in length or are empty "
                f"(lat {lat_a.size}, lon {lon_a.size}, weight {w.size})"
            )
        if not (np.all(np.isfinite(lat_a)) and np.all(np.abs(lat_a) < 90)):
            raise PlanningError("particle latitudes must be finite and between -90 and 90")
        if not np.all(np.isfinite(lon_a)):
            raise PlanningError("particle longitudes must be finite")
        if not (np.all(np.isfinite(w)) and np.all(w >= 0)) or w.sum() <= 0:
            raise PlanningError("particle weights must be finite, ≥ 0 and not all 0")
        centre_lat = float(np.average(lat_a, weights=w))
        # mean longitude through unit vectors, so a cloud across 180° is centred correctly
        rad = np.radians(lon_a)
        centre_lon = math.degrees(
            math.atan2(
                float(np.average(np.sin(rad), weights=w)), float(np.average(np.cos(rad), weights=w))
            )
        )
        x, y = local_frame(centre_lat, centre_lon).transform(lon_a, lat_a)
        return cls(
            lat=lat_a,
            lon=lon_a,
            weight=w / w.sum(),
            x_nm=np.asarray(x) / NM_IN_M,
            y_nm=np.asarray(y) / NM_IN_M,
            centre_lat=centre_lat,
            centre_lon=centre_lon,
        )

    def reweighted(self, weight: FloatArray) -> ParticleCloud:
        """The same particles with new weights (normalised to sum 1)."""
        total = float(weight.sum())
        if total <= 0:
            raise PlanningError("no probability left in the cloud (all weights are 0)")
        return ParticleCloud(
            self.lat,
            self.lon,
            weight / total,
            self.x_nm,
            self.y_nm,
            self.centre_lat,
            self.centre_lon,
        )


@lru_cache(maxsize=32)
def local_frame(lat: float, lon: float) -> Transformer:
    """lon/lat degrees → metres east/north in an azimuthal-equidistant plane at (lat, lon)."""
    proj = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84 +units=m"
    return Transformer.from_crs("EPSG:4326", proj, always_xy=True)


@dataclass(frozen=True)
class SearchArea:
    """One unit's rectangle: centre (degrees), length axis bearing (° true), sides (NM), C."""

    centre_lat: float
    centre_lon: float
    orientation_deg: float
    length_nm: float
    width_nm: float
    coverage: float
    conditions: str = "normal"

    def contains(self, cloud: ParticleCloud) -> npt.NDArray[np.bool_]:
        """Which particles of ``cloud`` lie inside the rectangle."""
        cx, cy = local_frame(cloud.centre_lat, cloud.centre_lon).transform(
            self.centre_lon, self.centre_lat
        )
        dx = cloud.x_nm - cx / NM_IN_M
        dy = cloud.y_nm - cy / NM_IN_M
        theta = math.radians(self.orientation_deg)
        along = dx * math.sin(theta) + dy * math.cos(theta)
        across = dx * math.cos(theta) - dy * math.sin(theta)
        return (np.abs(along) <= self.length_nm / 2) & (np.abs(across) <= self.width_nm / 2)


@dataclass(frozen=True, eq=False)
class ProbabilityGrid:
    """Square cells of ``cell_nm`` in the cloud's local plane; arrays are (ny, nx).

    Cell (j, i) spans x0 + i·cell … x0 + (i+1)·cell east and y0 + j·cell … north (NM).
    """

    x0_nm: float
    y0_nm: float
    cell_nm: float
    poc: FloatArray
    pod: FloatArray
    coverage: FloatArray

    @property
    def pos(self) -> float:
        """POS = Σ POC·POD over the cells (0–1)."""
        return float(np.sum(self.poc * self.pod))


@dataclass(frozen=True, eq=False)
class PlanEvaluation:
    """A plan against a cloud: POS (0–1) and each particle's POD and coverage."""

    pos: float
    pod: FloatArray
    coverage: FloatArray


def evaluate_plan(
    cloud: ParticleCloud, areas: list[SearchArea] | tuple[SearchArea, ...]
) -> PlanEvaluation:
    """POS of the rectangles ``areas`` against ``cloud`` (independent searches combined)."""
    miss = np.ones_like(cloud.weight)
    coverage = np.zeros_like(cloud.weight)
    for area in areas:
        if not area.coverage >= 0:
            raise PlanningError(f"search area coverage {area.coverage!r} must be ≥ 0")
        inside = area.contains(cloud)
        pod_k = float(pod_array(area.coverage, area.conditions))
        miss[inside] *= 1.0 - pod_k
        coverage[inside] += area.coverage
    pod = 1.0 - miss
    return PlanEvaluation(pos=float(np.dot(cloud.weight, pod)), pod=pod, coverage=coverage)


def probability_grid(
    cloud: ParticleCloud, *, cell_nm: float, evaluation: PlanEvaluation | None = None
) -> ProbabilityGrid:
    """POC per cell, and POD and coverage per cell (POC-weighted means) when a plan is given."""
    if not cell_nm > 0:
        raise PlanningError(f"cell size {cell_nm!r} NM must be > 0")
    x0 = math.floor(float(cloud.x_nm.min()) / cell_nm) * cell_nm
    y0 = math.floor(float(cloud.y_nm.min()) / cell_nm) * cell_nm
    ix = ((cloud.x_nm - x0) // cell_nm).astype(np.int64)
    iy = ((cloud.y_nm - y0) // cell_nm).astype(np.int64)
    nx, ny = int(ix.max()) + 1, int(iy.max()) + 1
    if nx * ny > 4_000_000:
        raise PlanningError(f"cell size {cell_nm:g} NM gives {nx}×{ny} cells; choose larger cells")
    flat = iy * nx + ix
    poc = np.bincount(flat, weights=cloud.weight, minlength=nx * ny)
    pod = np.zeros(nx * ny)
    coverage = np.zeros(nx * ny)
    if evaluation is not None:
        held = poc > 0
        for out, values in ((pod, evaluation.pod), (coverage, evaluation.coverage)):
            sums = np.bincount(flat, weights=cloud.weight * values, minlength=nx * ny)
            out[held] = sums[held] / poc[held]
    shape = (ny, nx)
    return ProbabilityGrid(
        x0, y0, cell_nm, poc.reshape(shape), pod.reshape(shape), coverage.reshape(shape)
    )


def after_unsuccessful_search(cloud: ParticleCloud, evaluation: PlanEvaluation) -> ParticleCloud:
    """The cloud reweighted by POC·(1 − POD): where probability remains after nothing was found."""
    return cloud.reweighted(cloud.weight * (1.0 - evaluation.pod))


def cumulative_pos(pos_values: list[float] | tuple[float, ...]) -> float:
    """Cumulative POS (0–1) of successive searches, each POS taken on the reweighted cloud."""
    remaining = 1.0
    for pos in pos_values:
        if not 0.0 <= pos <= 1.0:
            raise PlanningError(f"POS {pos!r} must be between 0 and 1")
        remaining *= 1.0 - pos
    return 1.0 - remaining
