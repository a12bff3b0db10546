"""``sarapp db …``: create a desk (a file, or a PostgreSQL database with its roles); check
the desk database, its case logs and their signed checkpoints; copy a whole desk between
backends (``sarapp.store.copy``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarapp.cli.common import desk_location, open_store
from sarapp.cli.keys import add_keys_dir_option
from sarapp.cli.output import print_json
from sarapp.store import StoreError
from sarapp.store.pg.location import describe_location, is_server_location


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="check the database and its case logs")
    cmds = db.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = cmds.add_parser("check", parents=[common], help="integrity and hash chains")
    add_keys_dir_option(check)  # checked against the desk's key itself, not only its record
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
    copy = cmds.add_parser(
        "copy",
        parents=[common],
        help="copy a whole desk into a new file or an empty PostgreSQL database",
        description="Copy every case, entry, position, unit, plan, drift run, alert, key "
        "trust and package record of SOURCE into TARGET (a new desk file or an empty "
        "database), hash chains intact. Either may be a file or a PostgreSQL location.",
    )
    copy.add_argument("source", metavar="SOURCE", help="the desk to copy (file or server)")
    copy.add_argument("target", metavar="TARGET", help="a new desk file or an empty database")
    copy.add_argument("--keys-dir", help="where the desk's key is (to sign the copy's checkpoints)")
    copy.set_defaults(func=_copy)


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


def _copy(args: argparse.Namespace) -> int:
    from sarapp.exchange.desk_signer import attach_checkpoint_signer  # cryptography: lazily
    from sarapp.store import Desk
    from sarapp.store.copy import copy_desk

    if args.source == args.target:
        raise StoreError("db copy: SOURCE and TARGET are the same desk")
    if is_server_location(args.target):
        from sarapp.store.pg.desk import open_desk

        open_desk(args.target, create=True).close()  # an empty database becomes a desk
    elif (
        not is_server_location(args.source)
        and Path(args.source).resolve() == Path(args.target).resolve()
    ):
        raise StoreError("db copy: SOURCE and TARGET are the same desk file")
    with Desk.open(args.source, create=False) as source, Desk.open(args.target) as target:
        report = copy_desk(source, target)
        target.created = False  # a copy: it has the source's key, or none
        attach_checkpoint_signer(target, Path(args.keys_dir) if args.keys_dir else None)
        where = (source.location, target.location)
    rows = report.rows
    if args.json:
        print_json({"source": where[0], "target": where[1], "rows": rows,
                    "chain_heads_equal": report.heads,
                    "checkpoints_copied": report.checkpoints_copied})  # fmt: skip
        return 0
    print(
        f"copied {where[0]} -> {where[1]}: {rows.get('cases', 0)} cases, "
        f"{rows.get('log_entries', 0)} log entries, {rows.get('positions', 0)} positions, "
        f"{rows.get('units', 0)} units, {rows.get('search_plans', 0)} plans, "
        f"{rows.get('drift_runs', 0)} drift runs, {rows.get('packages', 0)} package records"
    )
    print(f"chain heads identical on both sides ({report.heads} cases)")
    if not report.checkpoints_copied:
        print(f"note: checkpoints not copied: {report.checkpoints_note}")
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
