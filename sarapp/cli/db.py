"""``sarapp db …``: check the desk database and every case log's hash chain."""

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
                "cases": report.cases,
                "entries": report.entries,
            }
        )
    elif report.ok:
        print("ok")
    else:
        for problem in report.problems:
            print(problem, file=sys.stderr)
    return 0 if report.ok else 1
