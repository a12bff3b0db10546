"""``sarapp plan …``: the IAMSAR worksheet and search patterns, a thin face over planning."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sarapp.cli.output import print_json
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
    pattern.add_argument("kind", choices=PATTERN_KINDS)
    pattern.add_argument(
        "--csp",
        required=True,
        metavar="LAT,LON",
        help="commence-search point (write --csp=-33.9,151.2 when LAT is negative)",
    )
    pattern.add_argument("--course", required=True, type=float, metavar="DEG", help="first course")
    pattern.add_argument("--spacing-nm", type=float, metavar="S", help="track spacing")
    pattern.add_argument("--legs", type=int, metavar="N", help="expanding square: number of legs")
    pattern.add_argument("--width-nm", type=float, metavar="W", help="area width")
    pattern.add_argument("--length-nm", type=float, metavar="L", help="area or track length")
    pattern.add_argument("--radius-nm", type=float, metavar="R", help="sector radius")
    pattern.add_argument("--turn", choices=("right", "left"), default="right")
    pattern.add_argument("--second", action="store_true", help="sector: second pattern (+30°)")
    pattern.add_argument("--non-return", action="store_true", help="track line: non-return (TSN)")
    pattern.add_argument("--format", choices=("geojson", "gpx", "rtz"), default="geojson")
    pattern.add_argument("--output", metavar="FILE", help="write here (atomically), not stdout")
    pattern.set_defaults(func=_pattern)


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
