"""The Leeway Monte Carlo drift engine: vectorised numpy, reproducible, cancellable.

``simulate`` is a generator: it yields a ``DriftProgress`` every snapshot (hourly by default)
and stops when closed; the last progress carries the ``DriftRun``. Per step (Breivik & Allen
2008, as ``shared/reference/leeway-model.md`` describes the reference): forcing sampled at the
start-of-step positions; leeway = downwind + crosswind (a positive crosswind is the downwind
vector turned 90° counter-clockwise); plus 100 % of the current; optional current noise; move on
WGS84; strand on land; jibe. Speeds are m/s, times seconds since epoch UTC, positions degrees.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sarapp.drift.categories import leeway_category
from sarapp.drift.forcing import Floats, Forcing, ForcingSample, to_epoch
from sarapp.drift.landmask import LandMask, default_land_mask
from sarapp.drift.params import DriftParams
from sarapp.drift.seeding import draw_coefficients, release_times, seed_positions
from sarapp.drift.stepping import LocalStepper


@dataclass(frozen=True, eq=False)
class DriftRun:
    """A finished run. Snapshot arrays are (snapshots, particles); positions float32 degrees.

    ``left`` marks particles on the positive-crosswind branch (left of downwind), ``stranded``
    those stopped by land; ``centroid_*`` are float64 means at each snapshot; ``final_*`` the
    exact float64 positions at the end. ``elapsed_s`` is the simulation alone (no start-up).
    """

    params: DriftParams
    times_s: Floats
    lat: NDArray[np.float32]
    lon: NDArray[np.float32]
    left: NDArray[np.bool_]
    stranded: NDArray[np.bool_]
    centroid_lat: Floats
    centroid_lon: Floats
    final_lat: Floats
    final_lon: Floats
    elapsed_s: float
    stranding_used: bool
    land: LandMask | None = None  # the mask particles stranded on (products check the datum)


@dataclass(frozen=True)
class DriftProgress:
    """How far a run has come; ``result`` is set on the last one."""

    step: int
    steps: int
    time_s: float
    result: DriftRun | None = None

    @property
    def fraction(self) -> float:
        return self.step / self.steps


class _Snapshots:
    def __init__(self, count: int, n: int) -> None:
        self.times = np.empty(count)
        self.lat = np.empty((count, n), dtype=np.float32)
        self.lon = np.empty((count, n), dtype=np.float32)
        self.left = np.empty((count, n), dtype=np.bool_)
        self.stranded = np.empty((count, n), dtype=np.bool_)
        self.clat, self.clon = np.empty(count), np.empty(count)
        self.k = 0

    def record(self, t: float, lat: Floats, lon: Floats, side: NDArray, stranded: NDArray) -> float:
        k = self.k
        self.times[k] = t
        self.lat[k], self.lon[k] = lat, lon
        np.greater(side, 0, out=self.left[k])
        self.stranded[k] = stranded
        self.clat[k], self.clon[k] = lat.mean(), lon.mean()
        self.k = k + 1
        return float(self.clat[k])


def _uniform(sample: ForcingSample) -> bool:
    return all(np.ndim(x) == 0 for x in sample)


def _uniform_matrix(sample: ForcingSample, dt: float) -> Floats:
    """(2, 5) matrix turning rows (dw_a, dw_b, cw_a, cw_b, 1) into east/north metres."""
    wu, wv, cu, cv = (float(x) for x in sample)
    speed = math.hypot(wu, wv)
    s, c = (wu / speed, wv / speed) if speed > 0 else (0.0, 1.0)
    return np.array([[wu, s, -wv, -c, cu], [wv, c, wu, s, cv]]) * dt


def _field_displacement(sample: ForcingSample, rows: Floats, dt: float, out: Floats) -> None:
    """East/north metres for winds and currents that differ per particle."""
    wu, wv, cu, cv = (np.broadcast_to(np.asarray(x, dtype=float), out[0].shape) for x in sample)
    speed = np.hypot(wu, wv)
    calm = speed == 0
    safe = np.where(calm, 1.0, speed)
    s, c = np.where(calm, 0.0, wu / safe), np.where(calm, 1.0, wv / safe)
    downwind = rows[0] * speed + rows[1]
    crosswind = rows[2] * speed + rows[3]
    np.multiply(downwind * s - crosswind * c + cu, dt, out=out[0])
    np.multiply(downwind * c + crosswind * s + cv, dt, out=out[1])


def _land_for(params: DriftParams, land: LandMask | Literal["default"] | None) -> LandMask | None:
    if not params.stranding or land is None:
        return None
    if land == "default":
        reach = 1.0 + params.hours * 3600 * 2.0 / 111_000  # 2 m/s for the whole run, degrees
        lats = [params.lat] + ([params.end_lat] if params.end_lat is not None else [])
        return default_land_mask(min(lats) - reach, max(lats) + reach)
    return land


def simulate(
    params: DriftParams,
    forcing: Forcing,
    rng: np.random.Generator,
    *,
    land: LandMask | Literal["default"] | None = "default",
) -> Generator[DriftProgress, None, None]:
    """Run the drift, yielding progress each snapshot; the last progress holds the result.

    ``land`` "default" uses the GLOBE mask when global-land-mask is installed (stranding off
    otherwise, as ``DriftRun.stranding_used`` records); None turns stranding off.
    """
    mask = _land_for(params, land)
    clock = time.perf_counter()
    n, steps, dt = params.particles, params.steps, params.step_s
    coef = draw_coefficients(leeway_category(params.category), n, rng)
    end = None if params.end_lat is None else (params.end_lat, params.end_lon)
    lat, lon = seed_positions(
        lat=params.lat, lon=params.lon, n=n, radius_m=params.radius_m, rng=rng, end=end
    )
    start_s = to_epoch(params.start)
    release_end = None if params.release_end is None else to_epoch(params.release_end)
    release = release_times(start_s=start_s, end_s=release_end, n=n)
    rows = np.vstack([coef.dw_a, coef.dw_b, coef.cw_a, coef.cw_b, np.ones(n)])
    cw_slope, side = coef.cw_slope.copy(), np.where(np.arange(n) % 2 == 0, 1, -1).astype(np.int8)
    step_m = np.empty((2, n))
    stranded = np.zeros(n, dtype=np.bool_)
    moving = np.ones(n)
    p_jibe = 1.0 - (1.0 - params.jibe_per_hour) ** (abs(dt) / 3600.0)
    snap_every = round(params.snapshot_min / params.step_min)
    snaps = _Snapshots(steps // snap_every + 1, n)
    stepper = LocalStepper(n)
    stepper.set_reference(snaps.record(start_s, lat, lon, side, stranded))
    for k in range(steps):
        t = start_s + k * dt
        sample = forcing.sample(t, lat, lon)
        if _uniform(sample):
            np.matmul(_uniform_matrix(sample, dt), rows, out=step_m)
        else:
            _field_displacement(sample, rows, dt, step_m)
        if params.current_std_ms > 0:
            step_m += rng.standard_normal((2, n)) * (params.current_std_ms * abs(dt))
        still = release is not None and release[-1] > t
        if still:
            moving[:] = release <= t
            moving[stranded] = 0.0
        if still or stranded.any():
            step_m *= moving
        stepper.advance(lat, lon, step_m[0], step_m[1])
        if mask is not None:
            _strand(mask, lat, lon, stranded, moving)
        if p_jibe > 0:
            jibes = rng.choice(n, rng.binomial(n, p_jibe), replace=False)
            rows[2, jibes] -= 2.0 * cw_slope[jibes]
            cw_slope[jibes] *= -1.0
            side[jibes] *= -1
        if (k + 1) % snap_every == 0:
            snaps.record(t + dt, lat, lon, side, stranded)
            stepper.set_reference(float(snaps.clat[snaps.k - 1]))
            if k + 1 < steps:
                yield DriftProgress(k + 1, steps, t + dt)
    run = DriftRun(
        params=params,
        times_s=snaps.times,
        lat=snaps.lat,
        lon=snaps.lon,
        left=snaps.left,
        stranded=snaps.stranded,
        centroid_lat=snaps.clat,
        centroid_lon=snaps.clon,
        final_lat=lat,
        final_lon=lon,
        elapsed_s=time.perf_counter() - clock,
        stranding_used=mask is not None,
        land=mask,
    )
    yield DriftProgress(steps, steps, start_s + steps * dt, run)


def _strand(mask: LandMask, lat: Floats, lon: Floats, stranded: NDArray, moving: Floats) -> None:
    """Stop particles that reached land where they are (only checks when land is near)."""
    afloat = None
    if stranded.any():
        afloat = np.flatnonzero(~stranded)
        if afloat.size == 0:
            return
        if afloat.size > lat.size // 2:
            afloat = None  # cheaper to look at everyone than to gather
    la, lo = (lat, lon) if afloat is None else (lat[afloat], lon[afloat])
    if not mask.any_land(float(la.min()), float(la.max()), float(lo.min()), float(lo.max())):
        return
    hit = mask.is_land(la, lo)
    if afloat is None:
        hit &= ~stranded
        if hit.any():
            stranded |= hit
            moving[hit] = 0.0
    elif hit.any():
        stranded[afloat[hit]] = True
        moving[afloat[hit]] = 0.0


def run_drift(
    params: DriftParams,
    forcing: Forcing,
    rng: np.random.Generator,
    *,
    land: LandMask | Literal["default"] | None = "default",
) -> DriftRun:
    """Run to the end without progress reports (for scripts and tests)."""
    for progress in simulate(params, forcing, rng, land=land):
        if progress.result is not None:
            return progress.result
    raise AssertionError("simulate ended without a result")  # pragma: no cover
