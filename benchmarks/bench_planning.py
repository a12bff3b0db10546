"""Planning figures: POS of a 4-unit plan against a 100,000-particle cloud (target < 100 ms).

Run: ``.venv/bin/python benchmarks/bench_planning.py``. Prints the best and median of
repeated runs; the cloud is projected once (as the desk does when a drift run is loaded),
then each evaluation tests every particle against each unit's rectangle and sums POC·POD.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from sarapp.planning.probability import (
    ParticleCloud,
    SearchArea,
    evaluate_plan,
    probability_grid,
)

PARTICLES = 100_000
REPEATS = 20


def _timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def main() -> None:
    rng = np.random.default_rng(20240607)
    lat = 59.5 + rng.normal(0.0, 0.12, PARTICLES)
    lon = 4.8 + rng.normal(0.0, 0.25, PARTICLES)
    weight = rng.uniform(0.5, 1.5, PARTICLES)
    start = time.perf_counter()
    cloud = ParticleCloud.from_arrays(lat, lon, weight)
    prepare_ms = (time.perf_counter() - start) * 1000.0
    plan = [
        SearchArea(59.5 + 0.06 * k, 4.8, 30.0, 12.0, 4.0, 1.2, "normal" if k % 2 else "ideal")
        for k in range(-2, 2)
    ]
    evaluate = _timed(lambda: evaluate_plan(cloud, plan), REPEATS)
    evaluation = evaluate_plan(cloud, plan)
    grid = _timed(lambda: probability_grid(cloud, cell_nm=0.5, evaluation=evaluation), REPEATS)
    print(f"particles: {PARTICLES}, units in plan: {len(plan)}, POS {evaluation.pos:.4f}")
    print(f"cloud preparation (validate, project once): {prepare_ms:.1f} ms")
    print(
        f"POS evaluation of the plan: best {min(evaluate):.1f} ms, "
        f"median {statistics.median(evaluate):.1f} ms (target < 100 ms)"
    )
    print(
        f"POC/POD grid, 0.5 NM cells: best {min(grid):.1f} ms, "
        f"median {statistics.median(grid):.1f} ms"
    )


if __name__ == "__main__":
    main()
