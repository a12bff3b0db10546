"""``sarapp plan …``: the IAMSAR worksheet and search patterns, a thin face over planning."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sarapp.cli.output import print_json
from sarapp.planning.errors import PlanningError
from sarapp.planning.iamsar import compute_worksheet
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
