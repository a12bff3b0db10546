"""``sarapp drift …``: run a Leeway drift, list object categories."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from sarapp.cli.drift_inputs import Start, forcing_of, optional_time, start_of
from sarapp.cli.output import print_json
from sarapp.drift.categories import find_categories, leeway_category
from sarapp.drift.errors import DriftError
from sarapp.drift.forcing import WindAndCurrent
from sarapp.drift.params import PARAM_SPECS, DriftParams
from sarapp.drift.run import draw_seed, drift_job
from sarapp.drift.summary import stranding_notes
from sarapp.geo import NM, GeoError, format_ddm, format_dtg, parse_latitude, parse_longitude
from sarapp.progress import run_to_end


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    drift = sub.add_parser("drift", parents=[common], help="Leeway drift of a search object")
    actions = drift.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser(
        "run",
        parents=[common],
        help="run a Monte Carlo drift",
        description="Wind as coordinators give it: --wind-from DEG --wind-kn KN (where it "
        "comes FROM); current: --current-to DEG --current-kn KN (where it flows TO). Or "
        "vectors: --wind U,V / --current U,V, eastward,northward m/s where the air or water "
        "goes (write --wind=-3,4 when the first is negative). Positions in degrees and "
        "decimal minutes, DMS or decimal degrees; times as DTGs or ISO 8601 (UTC). With "
        "--case and no position, the run starts at the case's LKP, its time and accuracy.",
    )
    spec = PARAM_SPECS
    run.add_argument("--object", required=True, help="category id or key (see 'drift objects')")
    run.add_argument(
        "--case", metavar="ID", help="keep the run with this case (with --db); start at its LKP"
    )
    run.add_argument(
        "--open-meteo",
        action="store_true",
        help="wind and current from Open-Meteo (forecast and marine APIs), kept in the "
        "desk's cache so the run can be repeated offline",
    )
    run.add_argument("--forecast-url", help=argparse.SUPPRESS)  # tests, mirrors
    run.add_argument("--marine-url", help=argparse.SUPPRESS)
    run.add_argument("--label", default="", help="a name for the stored run")
    run.add_argument("--lat", help="start latitude (61°42.5'N, 61 42.5 N, 61.708)")
    run.add_argument("--lon", help="start longitude (004°50.1'E, 4.835)")
    run.add_argument("--start", help="start time: DTG (031230Z DEC 26) or ISO 8601")
    run.add_argument("--hours", type=float, required=True, help="run length, hours")
    run.add_argument(
        "--step-min", type=float, default=spec["step_min"].default, help="time step, minutes"
    )
    run.add_argument("--wind-from", type=float, metavar="DEG", help="wind from, degrees true")
    run.add_argument("--wind-kn", type=float, metavar="KN", help="wind speed (10 m), knots")
    run.add_argument("--current-to", type=float, metavar="DEG", help="current to, degrees true")
    run.add_argument("--current-kn", type=float, metavar="KN", help="current speed, knots")
    run.add_argument("--wind", help="constant 10 m wind U,V in m/s (where it goes)")
    run.add_argument("--current", help="constant surface current U,V in m/s (default none)")
    run.add_argument(
        "--wind-series",
        metavar="FILE",
        help="on-scene reports CSV: time,wind_from_deg,wind_speed_kn"
        "[,current_to_deg,current_speed_kn]; a run past its last row is refused unless "
        "--series-hold keeps the last report",
    )
    run.add_argument(
        "--series-hold", action="store_true", help="keep the series' last report after its end"
    )
    run.add_argument("--particles", type=int, default=int(spec["particles"].default))
    run.add_argument("--seed", type=int, help="random seed (default: fresh, printed)")
    run.add_argument(
        "--radius-m",
        type=float,
        help=f"1-sigma position error, m (default: the LKP's accuracy with --case, else "
        f"{spec['radius_m'].default:g})",
    )
    run.add_argument("--end-lat", help="seed along a line to this latitude")
    run.add_argument("--end-lon", help="seed along a line to this longitude")
    run.add_argument("--release-end", help="objects entered the water until this time")
    run.add_argument("--jibe-per-hour", type=float, default=spec["jibe_per_hour"].default)
    run.add_argument(
        "--current-std",
        type=float,
        default=spec["current_std_ms"].default,
        help=f"random current per step, m/s (default {spec['current_std_ms'].default:g})",
    )
    run.add_argument("--backtrack", action="store_true", help="run backwards in time")
    run.add_argument("--no-stranding", action="store_true", help="ignore land")
    run.set_defaults(func=_run)
    listing = actions.add_parser("list", parents=[common], help="the runs kept with a case")
    listing.add_argument("case", metavar="CASE")
    listing.set_defaults(func=_list)
    objects = actions.add_parser("objects", parents=[common], help="list object categories")
    objects.add_argument("query", nargs="?", default="", help="id, key or words of the name")
    objects.set_defaults(func=_objects)


def _end_point(args: argparse.Namespace) -> tuple[float | None, float | None]:
    if args.end_lat is None and args.end_lon is None:
        return None, None
    if args.end_lat is None or args.end_lon is None:
        raise DriftError("a line needs both --end-lat and --end-lon")
    try:
        return parse_latitude(args.end_lat), parse_longitude(args.end_lon)
    except GeoError as exc:
        raise DriftError(str(exc)) from None


def _run(args: argparse.Namespace) -> int:
    category = leeway_category(args.object)
    start = start_of(args)
    end_lat, end_lon = _end_point(args)
    params = DriftParams(
        category=category.id,
        lat=start.lat,
        lon=start.lon,
        start=start.time,
        hours=args.hours,
        step_min=args.step_min,
        particles=args.particles,
        radius_m=start.radius_m,
        end_lat=end_lat,
        end_lon=end_lon,
        release_end=optional_time(args.release_end, "--release-end"),
        backtrack=args.backtrack,
        jibe_per_hour=args.jibe_per_hour,
        current_std_ms=args.current_std,
        stranding=not args.no_stranding,
    )
    seed = args.seed if args.seed is not None else draw_seed()
    forcing = forcing_of(args, params)
    _run_result, summary = run_to_end(drift_job(params, forcing, seed))
    run_id = _keep(args, category, forcing, summary, seed) if args.case else None
    if args.json:
        out = {**summary.to_dict(), "seed": seed, "object": category.key}
        out["notes"] = stranding_notes(summary)
        if run_id:
            out["run_id"] = run_id
        print_json(out)
        return 0
    _print_text(category, summary, start, seed)
    return 0


def _print_text(category, summary, start: Start, seed: int) -> None:
    print(f"{category.key}: {category.name}")
    print(
        f"start {format_ddm(start.lat, start.lon)} at {format_dtg(start.time)}, position "
        f"error {start.radius_m / NM:.2f} NM (1σ, {start.radius_from})"
    )
    for point in summary.datum_track:
        when = format_dtg(datetime.fromtimestamp(point.time_s, UTC))
        print(f"  {when}  {format_ddm(point.lat, point.lon)}")
    print(
        f"datum {format_ddm(summary.centroid_lat, summary.centroid_lon)}, spread "
        f"{summary.std_east_m / NM:.1f} NM east / {summary.std_north_m / NM:.1f} NM north"
    )
    print(
        f"90 % area {summary.area_90.area_m2 / NM**2:.1f} NM², 50 % area "
        f"{summary.area_50.area_m2 / NM**2:.1f} NM²"
    )
    if summary.sides is not None:
        print(f"divergence {summary.sides.divergence_m / NM:.1f} NM")
    for note in stranding_notes(summary):
        print(f"WARNING: {note}" if note.startswith("DATUM") else f"stranding: {note}")
    print(
        f"stranding {'on' if summary.stranding_used else 'off'}, seed {seed}, "
        f"{summary.elapsed_s:.3f} s"
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
            f"{r.id[:8]}  {format_dtg(r.created)}  category {r.params['category']}  "
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
