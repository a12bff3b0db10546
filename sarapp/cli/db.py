"""``sarapp db …``: check the desk database, its case logs and their signed checkpoints."""

from __future__ import annotations

import argparse
import sys

from sarapp.cli.common import open_store
from sarapp.cli.output import print_json


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="check the database and its case logs")
    cmds = db.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = cmds.add_parser("check", parents=[common], help="integrity and hash chains")
    check.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        report = store.check()
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "problems": list(report.problems),
                "notices": list(report.notices),
                "cases": report.cases,
                "entries": report.entries,
            }
        )
        return 0 if report.ok else 1
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.ok:
        print("ok")
    for notice in report.notices:  # what could not be checked: not a failure
        print(f"note: {notice}")
    return 0 if report.ok else 1
