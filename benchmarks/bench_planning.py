"""Planning figures: POS of a 4-unit plan against a 100,000-particle cloud (target < 100 ms),
and the suggestion of sub-areas for 4 units of different types (target < 2 s).

Run: ``.venv/bin/python benchmarks/bench_planning.py``. Prints the best and median of
repeated runs; the cloud is projected once (as the desk does when a drift run is loaded),
then each evaluation tests every particle against each unit's rectangle and sums POC·POD.
The suggestion is timed on a round cloud and on a divergent (two-lobe leeway) cloud, and its
POS is compared with the worksheet's plan (one optimal square at the centroid) and with
Stone's unconstrained optimum on 0.5 NM cells (normal curve).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from sarapp.planning.iamsar import SearchUnit, WorksheetInput, compute_worksheet
from sarapp.planning.probability import (
    ParticleCloud,
    SearchArea,
    evaluate_plan,
    probability_grid,
)
from sarapp.planning.suggest import centroid_square_plan, stone_optimal_pos, suggest_sub_areas

PARTICLES = 100_000
REPEATS = 20
SUGGEST_REPEATS = 5


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
    bench_suggestion(cloud)


def _four_units():
    """Efforts of a merchant vessel, a lifeboat, a helicopter and an aircraft (worksheet)."""
    units = (
        SearchUnit("MV Nordic", "merchant", 12.0, 5.0),
        SearchUnit("RS Lifeboat", "boat_eye_14ft", 20.0, 3.0),
        SearchUnit("Rescue 22", "helicopter", 90.0, 1.5, altitude_ft=500.0),
        SearchUnit("Falcon 1", "fixed_wing", 150.0, 2.0, altitude_ft=1000.0),
    )
    inputs = WorksheetInput(
        datum_type="point",
        conditions="normal",
        search_object="R6",
        visibility_nm=10.0,
        wind_kt=10.0,
        sea_ft=2.0,
        x_nm=3.0,
        y_nm=0.0,
        de_nm=15.0,
        units=units,
    )
    return compute_worksheet(inputs).units


def _divergent_cloud(rng: np.random.Generator) -> ParticleCloud:
    """Two leeway lobes 20° either side of a 060° drift of 20 NM (σ 5 NM along, 2.5 across)."""
    east, north = [], []
    for side in (-20.0, 20.0):
        bearing = np.radians(60.0 + side)
        along = 20.0 + rng.normal(0.0, 5.0, PARTICLES // 2)
        across = rng.normal(0.0, 2.5, PARTICLES // 2)
        east.append(along * np.sin(bearing) + across * np.cos(bearing))
        north.append(along * np.cos(bearing) - across * np.sin(bearing))
    x, y = np.concatenate(east), np.concatenate(north)
    lat = 59.5 + y / 60.0
    lon = 4.8 + x / (60.0 * np.cos(np.radians(lat)))
    return ParticleCloud.from_arrays(lat, lon)


def bench_suggestion(round_cloud: ParticleCloud) -> None:
    """Time suggest_sub_areas for 4 units and compare its POS with the naive square."""
    units = _four_units()
    z_total = sum(unit.z_nm2 for unit in units)
    print("units: " + ", ".join(f"{u.name} W {u.w_nm:.2f} NM Z {u.z_nm2:.0f} NM²" for u in units))
    clouds = (("round", round_cloud), ("divergent", _divergent_cloud(np.random.default_rng(7))))
    for label, cloud in clouds:
        times = _timed(lambda c=cloud: suggest_sub_areas(c, units=units), SUGGEST_REPEATS)
        plan = suggest_sub_areas(cloud, units=units)
        square = evaluate_plan(cloud, centroid_square_plan(cloud, units=units)).pos
        stone = stone_optimal_pos(cloud, effort_nm2=z_total, cell_nm=0.5)
        overlapping = suggest_sub_areas(cloud, units=units, allow_overlap=True).pos
        print(
            f"suggestion of sub-areas for {len(units)} units, {label} cloud: "
            f"best {min(times):.0f} ms, median {statistics.median(times):.0f} ms "
            f"(target < 2 s); POS {plan.pos:.4f} vs centroid square {square:.4f} "
            f"({plan.pos - square:+.4f}); overlap allowed {overlapping:.4f}; "
            f"Stone optimum {stone:.4f}"
        )


def bench_plan_pos(particles: int = 100_000, hours: float = 12.0) -> None:
    """End-to-end ``plan pos`` on a desk: rerun a kept drift from its seed, then POS of four
    plans (two reported done, two planned); and the CLI command as a separate process."""
    import subprocess
    import sys
    import tempfile
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from sarapp.drift.categories import leeway_category
    from sarapp.drift.engine import run_drift
    from sarapp.drift.forcing import constant_forcing
    from sarapp.drift.params import DriftParams
    from sarapp.drift.records import keep_run
    from sarapp.drift.summary import summarise
    from sarapp.planning.tasking import (
        choose_drift_run,
        evaluate_case_plans,
        plans_against_run,
        task_unit,
    )
    from sarapp.store import Desk

    start = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "desk.sqlite"
        with Desk.open(path) as store:
            (case_id,) = store.cases.create(title="bench", author="bench").cases
            params = DriftParams(
                category=1,
                lat=59.5,
                lon=4.8,
                start=start,
                hours=hours,
                particles=particles,
                radius_m=2000.0,
                stranding=False,
            )
            forcing = constant_forcing(wind_u=3.0, wind_v=-8.0, current_u=0.2, current_v=0.1)
            summary = summarise(run_drift(params, forcing, np.random.default_rng(1)))
            keep_run(
                store,
                case_id,
                category=leeway_category(1),
                forcing=forcing,
                summary=summary,
                seed=1,
                author="bench",
            )
            datum = summary.datum_track[-1]
            end = start + timedelta(hours=hours)
            for k, unit in enumerate(("Rescue 22", "MV Nordic", "ALB 1", "Falcon 1")):
                plan_id = task_unit(
                    store,
                    case_id,
                    unit=unit,
                    kind="parallel-track",
                    csp=(datum.lat + 0.05 * (k - 2), datum.lon - 0.1),
                    course_deg=90.0,
                    spacing_nm=1.0,
                    width_nm=3.0,
                    length_nm=12.0,
                    pod=0.6,
                    start=end - timedelta(hours=1),
                    end=end + timedelta(hours=1),
                    author="bench",
                ).plan_id
                if k < 2:
                    store.plans.set_status(plan_id, "done", "bench")
            record = choose_drift_run(store, case_id)
            plans = store.plans.for_case(case_id)
            number = store.cases.get(case_id).number
        clock = time.perf_counter()
        job = evaluate_case_plans(record, plans)
        try:
            while True:
                next(job)
        except StopIteration as stop:
            result = stop.value
        total_ms = (time.perf_counter() - clock) * 1000.0
        run = run_drift(params, forcing, np.random.default_rng(1))
        pos_ms = _timed(lambda: plans_against_run(run, record.id, plans), 5)
        clock = time.perf_counter()
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "sarapp.cli",
                "--db",
                str(path),
                "plan",
                "pos",
                number,
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        cli_ms = (time.perf_counter() - clock) * 1000.0
    assert '"cumulative_pos"' in cli.stdout
    print(
        f"plan pos on a desk, {particles} particles, {hours:g} h drift, 4 plans (2 done): "
        f"rerun + POS {total_ms:.0f} ms, of which POS of the plans best {min(pos_ms):.0f} ms; "
        f"'sarapp plan pos --json' as a process {cli_ms:.0f} ms; cumulative POS "
        f"{result.cumulative_pos:.3f}, planned POS {result.planned_pos:.3f}"
    )


if __name__ == "__main__":
    main()
    bench_plan_pos(10_000)
    bench_plan_pos(100_000)
