"""``sarapp db …``: create a desk (a file, or a PostgreSQL database with its roles); check
the desk database, its case logs and their signed checkpoints."""

from __future__ import annotations

import argparse
import sys

from sarapp.cli.common import desk_location, open_store
from sarapp.cli.output import print_json
from sarapp.store import StoreError
from sarapp.store.pg.location import describe_location, is_server_location


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="check the database and its case logs")
    cmds = db.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = cmds.add_parser("check", parents=[common], help="integrity and hash chains")
    check.set_defaults(func=_check)
    init = cmds.add_parser(
        "init", parents=[common], help="make the --db file or PostgreSQL database a desk"
    )
    init.add_argument(
        "--roles",
        action="store_true",
        help="PostgreSQL: also create the officer, viewer and field-laptop roles of this desk",
    )
    init.set_defaults(func=_init)


def _init(args: argparse.Namespace) -> int:
    location = desk_location(args)
    if not is_server_location(location):
        if args.roles:
            raise StoreError("--roles is for a PostgreSQL desk; a desk file has no roles")
        open_store(args).close()
        print(f"desk ready: {location}")
        return 0
    from sarapp.store.pg.desk import open_desk
    from sarapp.store.pg.roles import create_roles

    with open_desk(location, create=True) as conn:
        roles = create_roles(conn) if args.roles else None
    print(f"desk ready: {describe_location(location)}")
    if roles:
        print(f"roles: {roles.officer} (officers), {roles.viewer} (viewers), {roles.field} "
              f"(field laptops); grant them to each person's login, e.g. GRANT "
              f"{roles.officer} TO alice; a laptop logs in as its own name: CREATE ROLE "
              f'"FIELD-1" LOGIN IN ROLE {roles.field}')  # fmt: skip
    return 0


def _check(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as desk:
        report = desk.check()
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
