"""``sarapp plan …``: the IAMSAR worksheet and search patterns, a thin face over planning."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sarapp.cli.output import print_json
from sarapp.cli.plan_suggest import register_suggest
from sarapp.planning.errors import PlanningError
from sarapp.planning.iamsar import compute_worksheet
from sarapp.planning.patterns import PATTERN_KINDS, search_pattern
from sarapp.planning.routes import export_text, write_atomically
from sarapp.planning.worksheet_json import (
    worksheet_input_from_json,
    worksheet_text,
    worksheet_to_json,
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    plan = sub.add_parser("plan", parents=[common], help="IAMSAR search planning")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="PLAN_COMMAND", required=True)
    worksheet = plan_sub.add_parser(
        "worksheet",
        parents=[common],
        help="fill the IAMSAR worksheet from a JSON file",
        description="Fill the IAMSAR worksheet (E, sweep widths, effort, fs, area, coverage, "
        "track spacing, POD) from a JSON file; see sarapp/planning/worksheet_json.py for keys.",
    )
    worksheet.add_argument("file", metavar="FILE", help="JSON worksheet input")
    worksheet.set_defaults(func=_worksheet)

    pattern = plan_sub.add_parser(
        "pattern",
        parents=[common],
        help="lay out a search pattern and export its waypoints",
        description="Lay out an IAMSAR search pattern from the commence-search point; legs in "
        "NM, courses true, waypoints on WGS84.",
    )
    _pattern_options(pattern)
    pattern.add_argument("--format", choices=("geojson", "gpx", "rtz"), default="geojson")
    pattern.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    pattern.set_defaults(func=_pattern)
    _register_tasking(plan_sub, common)


def _pattern_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=PATTERN_KINDS)
    parser.add_argument(
        "--csp",
        required=True,
        metavar="LAT,LON",
        help="commence-search point (write --csp=-33.9,151.2 when LAT is negative)",
    )
    parser.add_argument("--course", required=True, type=float, metavar="DEG", help="first course")
    parser.add_argument("--spacing-nm", type=float, metavar="S", help="track spacing")
    parser.add_argument("--legs", type=int, metavar="N", help="expanding square: number of legs")
    parser.add_argument("--width-nm", type=float, metavar="W", help="area width")
    parser.add_argument("--length-nm", type=float, metavar="L", help="area or track length")
    parser.add_argument("--radius-nm", type=float, metavar="R", help="sector radius")
    parser.add_argument("--turn", choices=("right", "left"), default="right")
    parser.add_argument("--second", action="store_true", help="sector: second pattern (+30°)")
    parser.add_argument("--non-return", action="store_true", help="track line: non-return (TSN)")
    parser.add_argument(
        "--aircraft-speed-kt",
        type=float,
        metavar="V",
        help="coordinated creeping line: the aircraft's speed (sets the surface unit's)",
    )


def _register_tasking(
    plan_sub: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    task = plan_sub.add_parser(
        "task",
        parents=[common],
        help="task a unit with a search pattern in a case",
        description="Lay out a pattern for a unit and keep it with the case (and its latest "
        "drift run); the tasking goes into the case log.",
    )
    task.add_argument("case", metavar="CASE", help="case number or id")
    task.add_argument("--unit", required=True, metavar="NAME", help="registered unit or a name")
    _pattern_options(task)
    task.add_argument("--start", metavar="DTG", help="start of the search (UTC)")
    task.add_argument("--end", metavar="DTG", help="end of the search (UTC)")
    task.add_argument("--sweep-width-nm", type=float, metavar="W", help="POD from coverage")
    task.add_argument("--pod", type=float, metavar="P", help="POD in the area (0-1)")
    task.add_argument("--conditions", choices=("normal", "ideal"), default="normal")
    task.add_argument("--author", help="operator name (default: the desk's operator)")
    task.set_defaults(func=_task)
    for name, status, what in (
        ("done", "done", "report a search done (nothing found): cumulative POS"),
        ("cancel", "cancelled", "cancel a planned search"),
    ):
        parser = plan_sub.add_parser(name, parents=[common], help=what, description=what)
        parser.add_argument("plan", metavar="PLAN_ID", help="plan id (or its first characters)")
        parser.add_argument("--author", help="operator name (default: the desk's operator)")
        parser.set_defaults(func=_set_status, status=status)
    pos = plan_sub.add_parser(
        "pos",
        parents=[common],
        help="POS of the case's searches from its kept drift",
        description="Rerun the case's latest (or --run) kept drift and compute each plan's "
        "POS, the cumulative POS of searches reported done and the POS of planned ones.",
    )
    pos.add_argument("case", metavar="CASE", help="case number or id")
    pos.add_argument("--run", metavar="RUN_ID", help="a kept drift run (default: the latest)")
    pos.set_defaults(func=_pos)
    export = plan_sub.add_parser(
        "export", parents=[common], help="a stored plan's route as GPX, RTZ or GeoJSON"
    )
    export.add_argument("plan", metavar="PLAN_ID", help="plan id (or its first characters)")
    export.add_argument("--format", choices=("geojson", "gpx", "rtz"), default="gpx")
    export.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    export.set_defaults(func=_export)
    register_suggest(plan_sub, common)


def _read_json(path: str) -> object:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanningError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanningError(
            f"{path}: line {exc.lineno} column {exc.colno}: not JSON ({exc.msg})"
        ) from exc


def _worksheet(args: argparse.Namespace) -> int:
    data = _read_json(args.file)
    try:
        ws = compute_worksheet(worksheet_input_from_json(data))
    except PlanningError as exc:
        raise PlanningError(f"{args.file}: {exc}") from exc
    if args.json:
        print_json(worksheet_to_json(ws))
    else:
        print(worksheet_text(ws))
    return 0


def _csp(text: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = text.split(",")
        return float(lat_text), float(lon_text)
    except ValueError:
        raise PlanningError(
            f"--csp {text!r} is not LAT,LON in decimal degrees (e.g. 59.5,5.25)"
        ) from None


def _pattern(args: argparse.Namespace) -> int:
    lat, lon = _csp(args.csp)
    laid_out = search_pattern(
        args.kind,
        csp_lat=lat,
        csp_lon=lon,
        course_deg=args.course,
        spacing_nm=args.spacing_nm,
        legs=args.legs,
        width_nm=args.width_nm,
        length_nm=args.length_nm,
        radius_nm=args.radius_nm,
        turn=args.turn,
        second=args.second,
        returning=not args.non_return,
    )
    text = export_text(laid_out, args.format)
    if args.output:
        write_atomically(Path(args.output), text)
    else:
        print(text, end="")
    return 0


def _pattern_figures(args: argparse.Namespace) -> dict:
    figures = {
        "legs": args.legs,
        "width_nm": args.width_nm,
        "length_nm": args.length_nm,
        "radius_nm": args.radius_nm,
        "aircraft_speed_kt": args.aircraft_speed_kt,
    }
    figures = {k: v for k, v in figures.items() if v is not None}
    if args.turn != "right":
        figures["turn"] = args.turn
    if args.second:
        figures["second"] = True
    if args.non_return:
        figures["returning"] = False
    return figures


def _task(args: argparse.Namespace) -> int:
    from sarapp.cli.common import author_of, open_store, parse_time
    from sarapp.planning.tasking import task_unit

    with open_store(args, create=False) as store:
        tasked = task_unit(
            store,
            args.case,
            unit=args.unit,
            kind=args.kind,
            csp=_csp(args.csp),
            course_deg=args.course,
            spacing_nm=args.spacing_nm,
            start=parse_time(args.start),
            end=parse_time(args.end),
            sweep_width_nm=args.sweep_width_nm,
            pod=args.pod,
            conditions=args.conditions,
            author=author_of(args),
            **_pattern_figures(args),
        )
        (plan,) = [p for p in store.plans.for_case(args.case) if p.id == tasked.plan_id]
        text = store.log.entry(tasked.changes.entries[0]).text
    if args.json:
        print_json({"plan_id": plan.id, "pod": plan.pod, "log": text, "params": plan.params})
    else:
        print(f"{plan.id}  {text}")
    return 0


def _set_status(args: argparse.Namespace) -> int:
    from sarapp.cli.common import author_of, open_store

    with open_store(args, create=False) as store:
        changes = store.plans.set_status(args.plan, args.status, author_of(args))
        text = store.log.entry(changes.entries[0]).text
    if args.json:
        print_json({"status": args.status, "log": text})
    else:
        print(text)
    return 0


def _pos(args: argparse.Namespace) -> int:
    from sarapp.cli.common import open_store
    from sarapp.planning.tasking import case_pos
    from sarapp.progress import run_to_end

    with open_store(args, create=False) as store:
        result = run_to_end(case_pos(store, args.case, run_ref=args.run))
    if args.json:
        print_json(result.to_json())
        return 0
    print(f"drift run {result.drift_run_id[:8]}, {result.particles} particles")
    for p in result.plans:
        pod = "  -  " if p.pod is None else f"{p.pod:5.0%}"
        pos = "  -  " if p.pos is None else f"{p.pos:5.1%}"
        print(f"{p.plan_id[:8]}  {p.status:9}  POD {pod}  POS {pos}  {p.unit}: {p.pattern}")
    print(
        f"cumulative POS (done) {result.cumulative_pos:.1%}, planned POS "
        f"{result.planned_pos:.1%}, remaining POC {result.remaining_poc:.1%}"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from sarapp.cli.common import open_store
    from sarapp.planning.tasking import plan_pattern

    with open_store(args, create=False) as store:
        laid_out = plan_pattern(store.plans.get(args.plan))
    text = export_text(laid_out, args.format)
    if args.output:
        write_atomically(Path(args.output), text)
    else:
        print(text, end="")
    return 0
