"""``sarapp drift …``: run a Leeway drift, list object categories."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import numpy as np

from sarapp.cli.output import print_json
from sarapp.drift.categories import find_categories, leeway_category
from sarapp.drift.engine import run_drift
from sarapp.drift.errors import DriftError
from sarapp.drift.forcing import UniformField, WindAndCurrent, read_series_csv
from sarapp.drift.params import DriftParams
from sarapp.drift.summary import summarise


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    drift = sub.add_parser("drift", parents=[common], help="Leeway drift of a search object")
    actions = drift.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser(
        "run",
        parents=[common],
        help="run a Monte Carlo drift",
        description="Vectors are eastward,northward m/s (where the air or "
        "water goes); write --wind=-3,4 when the first is negative.",
    )
    run.add_argument("--object", required=True, help="category id or key (see 'drift objects')")
    run.add_argument("--case", metavar="ID", help="keep the run with this case (with --db)")
    run.add_argument(
        "--open-meteo",
        action="store_true",
        help="wind and current from Open-Meteo (forecast and marine APIs), kept in the "
        "desk's cache so the run can be repeated offline",
    )
    run.add_argument("--forecast-url", help=argparse.SUPPRESS)  # tests, mirrors
    run.add_argument("--marine-url", help=argparse.SUPPRESS)
    run.add_argument("--label", default="", help="a name for the stored run")
    run.add_argument("--lat", type=float, required=True, help="start latitude, degrees")
    run.add_argument("--lon", type=float, required=True, help="start longitude, degrees")
    run.add_argument("--start", required=True, help="start time, ISO 8601 (UTC if no zone)")
    run.add_argument("--hours", type=float, required=True, help="run length, hours")
    run.add_argument("--step-min", type=float, default=10.0, help="time step, minutes")
    run.add_argument("--wind", default="0,0", help="constant 10 m wind U,V in m/s")
    run.add_argument("--current", default="0,0", help="constant surface current U,V in m/s")
    run.add_argument(
        "--wind-series",
        metavar="FILE",
        help="on-scene reports CSV: time,wind_from_deg,wind_speed_kn"
        "[,current_to_deg,current_speed_kn]",
    )
    run.add_argument("--particles", type=int, default=5000)
    run.add_argument("--seed", type=int, help="random seed (default: fresh, printed)")
    run.add_argument("--radius-m", type=float, default=0.0, help="1-sigma position error, m")
    run.add_argument("--end-lat", type=float, help="seed along a line to this latitude")
    run.add_argument("--end-lon", type=float, help="seed along a line to this longitude")
    run.add_argument("--release-end", help="objects entered the water until this time (ISO)")
    run.add_argument("--jibe-per-hour", type=float, default=0.04)
    run.add_argument("--current-std", type=float, default=0.0, help="current noise, m/s")
    run.add_argument("--backtrack", action="store_true", help="run backwards in time")
    run.add_argument("--no-stranding", action="store_true", help="ignore land")
    run.set_defaults(func=_run)
    listing = actions.add_parser("list", parents=[common], help="the runs kept with a case")
    listing.add_argument("case", metavar="CASE")
    listing.set_defaults(func=_list)
    objects = actions.add_parser("objects", parents=[common], help="list object categories")
    objects.add_argument("query", nargs="?", default="", help="id, key or words of the name")
    objects.set_defaults(func=_objects)


def _vector(text: str, option: str) -> tuple[float, float]:
    try:
        u, v = (float(x) for x in text.split(","))
    except ValueError:
        raise DriftError(f"{option} {text!r}: give eastward,northward m/s such as 0,-10") from None
    return u, v


def _time(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise DriftError(f"{option} {text!r} is not an ISO 8601 time") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _run(args: argparse.Namespace) -> int:
    category = leeway_category(args.object)
    wind, current = UniformField(*_vector(args.wind, "--wind")), None
    current = UniformField(*_vector(args.current, "--current"))
    if args.wind_series:
        wind_series, current_series = read_series_csv(args.wind_series)
        wind, current = wind_series, current_series or current
    params = DriftParams(
        category=category.id,
        lat=args.lat,
        lon=args.lon,
        start=_time(args.start, "--start"),
        hours=args.hours,
        step_min=args.step_min,
        particles=args.particles,
        radius_m=args.radius_m,
        end_lat=args.end_lat,
        end_lon=args.end_lon,
        release_end=_time(args.release_end, "--release-end"),
        backtrack=args.backtrack,
        jibe_per_hour=args.jibe_per_hour,
        current_std_ms=args.current_std,
        stranding=not args.no_stranding,
    )
    seed = args.seed if args.seed is not None else int(np.random.SeedSequence().entropy % 2**63)
    forcing = _open_meteo(args, params) if args.open_meteo else WindAndCurrent(wind, current)
    run = run_drift(params, forcing, np.random.default_rng(seed))
    summary = summarise(run)
    run_id = _keep(args, category, forcing, summary, seed) if args.case else None
    if args.json:
        out = {**summary.to_dict(), "seed": seed, "object": category.key}
        if run_id:
            out["run_id"] = run_id
        print_json(out)
        return 0
    print(f"{category.key}: {category.name}")
    for point in summary.datum_track:
        d = point.to_dict()
        print(f"  {d['time']}  {d['lat']:9.5f} {d['lon']:10.5f}")
    print(
        f"final centroid {summary.centroid_lat:.5f} {summary.centroid_lon:.5f}, spread "
        f"{summary.std_east_m / 1000:.2f} km east / {summary.std_north_m / 1000:.2f} km north"
    )
    print(
        f"90 % area {summary.area_90.area_m2 / 1e6:.1f} km², 50 % area "
        f"{summary.area_50.area_m2 / 1e6:.1f} km²"
    )
    if summary.sides is not None:
        print(f"divergence {summary.sides.divergence_m / 1000:.2f} km")
    print(
        f"stranding {'on' if run.stranding_used else 'off'}, seed {seed}, {summary.elapsed_s:.3f} s"
    )
    return 0


def _open_meteo(args: argparse.Namespace, params: DriftParams) -> WindAndCurrent:
    """Gridded wind and current around the run, fetched once and kept in the desk."""
    from sarapp.cli.common import open_store
    from sarapp.drift.openmeteo import GridRequest, open_meteo_forcing

    if not args.db and not args.case:
        raise DriftError("--open-meteo keeps what it fetches in a desk: give --db or --case")
    # Nothing drifts faster than ~2 m/s: 0.065° an hour bounds the box, plus a margin.
    margin = min(4.0, 0.3 + 0.065 * params.hours)
    spacing = max(0.1, round(2 * margin / 10, 2))
    start, end = params.start, params.start + timedelta(hours=params.hours)
    if params.backtrack:
        start, end = params.start - timedelta(hours=params.hours), params.start
    request = GridRequest(
        south=max(-89.9, params.lat - margin),
        north=min(89.9, params.lat + margin),
        west=params.lon - margin,
        east=params.lon + margin,
        start=start,
        end=end,
        spacing_deg=spacing,
    )
    with open_store(args) as store:
        return open_meteo_forcing(
            request,
            cache=store.drift.forcing_cache(),
            forecast_url=args.forecast_url,
            marine_url=args.marine_url,
        )


def _keep(args: argparse.Namespace, category, forcing: WindAndCurrent, summary, seed: int) -> str:
    """Store the run with its case (imported here: a plain run needs no database)."""
    from sarapp.cli.common import author_of, open_store
    from sarapp.drift.records import keep_run

    with open_store(args, create=False) as store:
        changes = keep_run(
            store,
            args.case,
            category=category,
            forcing=forcing,
            summary=summary,
            seed=seed,
            author=author_of(args),
            label=args.label,
        )
    return changes.drift_runs[0]


def _list(args: argparse.Namespace) -> int:
    from sarapp.cli.common import open_store

    with open_store(args, create=False) as store:
        records = store.drift.runs(args.case)
    if args.json:
        print_json(records)
        return 0
    for r in records:
        final = r.summary["final"]["centroid"]
        print(
            f"{r.id[:8]}  {r.created:%d%H%MZ %b %y}  category {r.params['category']}  "
            f"{r.params['particles']} particles  {r.params['hours']:g} h  "
            f"datum {final['lat']:.4f} {final['lon']:.4f}  {r.label}"
        )
    return 0


def _objects(args: argparse.Namespace) -> int:
    found = find_categories(args.query)
    if args.json:
        print_json(found)
        return 0
    for cat in found:
        print(f"{cat.id:3d}  {cat.key:24s} {cat.name}")
    return 0
