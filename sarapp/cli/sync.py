"""``sarapp sync``: a field laptop and its centre.

``sarapp sync --with LOCATION [--case CASE …]`` (run on the laptop, ``--db`` its desk file)
syncs both ways with the centre's desk over a link; ``give``/``withdraw``/``given`` (run at
the centre) say which cases each laptop carries; ``export``/``import`` carry the same
exchange as a signed file where no network reaches the team. Interrupted (Ctrl-C, a dropped
link), a sync leaves both desks consistent: run it again to complete it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarapp.cli.common import author_of, open_store
from sarapp.cli.keys import add_keys_dir_option, keys_dir_of
from sarapp.cli.output import print_json
from sarapp.exchange.errors import SyncError
from sarapp.store import Desk


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser(
        "sync", parents=[common], help="sync a field laptop with its centre (link or file)"
    )
    group.add_argument(
        "--with",
        dest="centre",
        metavar="LOCATION",
        help="the centre's desk: postgresql://…, 'host=… dbname=…', service=NAME or a file",
    )
    group.add_argument(
        "--case", action="append", default=[], metavar="CASE", help="only this case (repeat)"
    )
    group.add_argument("--author", help="operator name for the logs (default: $SARAPP_OPERATOR)")
    add_keys_dir_option(group)
    group.set_defaults(func=_sync)
    cmds = group.add_subparsers(dest="command", metavar="COMMAND")

    give = cmds.add_parser("give", parents=[common], help="give cases to a laptop (centre)")
    give.add_argument("laptop", metavar="LAPTOP", help="the laptop's name (its RCC id)")
    give.add_argument("cases", nargs="+", metavar="CASE")
    give.add_argument("--author", help="operator name for the log")
    give.set_defaults(func=_give)

    withdraw = cmds.add_parser("withdraw", parents=[common], help="take cases back from a laptop")
    withdraw.add_argument("laptop", metavar="LAPTOP")
    withdraw.add_argument("cases", nargs="+", metavar="CASE")
    withdraw.add_argument("--author", help="operator name for the log")
    withdraw.set_defaults(func=_withdraw)

    given = cmds.add_parser("given", parents=[common], help="which cases each laptop carries")
    given.set_defaults(func=_given)

    export = cmds.add_parser("export", parents=[common], help="write a signed sync file")
    export.add_argument("--to", required=True, metavar="RCC", help="the other desk's RCC id")
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--case", action="append", default=[], metavar="CASE")
    export.add_argument("--full", action="store_true", help="everything, not only what is new")
    add_keys_dir_option(export)
    export.set_defaults(func=_export)

    imp = cmds.add_parser("import", parents=[common], help="take a sync file in")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--author", help="operator name for the logs")
    add_keys_dir_option(imp)
    imp.set_defaults(func=_import)


def _sync(args: argparse.Namespace) -> int:
    from sarapp.exchange.desk_signer import attach_checkpoint_signer
    from sarapp.exchange.sync import sync_with_centre
    from sarapp.exchange.sync_summary import summary_lines

    if not args.centre:
        raise SyncError("say where the centre is: sarapp sync --with postgresql://host/sar")
    with open_store(args, create=False) as laptop, Desk.open(args.centre, create=False) as centre:
        attach_checkpoint_signer(centre, keys_dir_of(args))
        job = sync_with_centre(laptop, centre, location=_shown(args.centre),
                               author=author_of(args), cases=args.case)  # fmt: skip
        try:
            while True:
                progress = next(job)
                if not getattr(args, "json", False) and progress.case:
                    print(f"[{progress.done + 1}/{progress.total}] case {progress.case}",
                          file=sys.stderr)  # fmt: skip
        except StopIteration as stop:
            report = stop.value
        except KeyboardInterrupt:
            job.close()
            print("sync stopped: what was synced stays synced; run it again to complete it",
                  file=sys.stderr)  # fmt: skip
            return 130
    if getattr(args, "json", False):
        print_json(report)
    else:
        print("\n".join(summary_lines(report)))
    return 0


def _shown(location: str) -> str:
    """Where the centre is, as shown and logged (no password, ever)."""
    from sarapp.store.pg.location import describe_location, is_server_location

    return describe_location(location) if is_server_location(location) else Path(location).name


def _give(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        store.sync.give(args.laptop, args.cases, author=author_of(args))
        return _print_given(args, store, args.laptop)


def _withdraw(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        store.sync.withdraw(args.laptop, args.cases, author=author_of(args))
        return _print_given(args, store, args.laptop)


def _given(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        return _print_given(args, store, None)


def _print_given(args: argparse.Namespace, store: Desk, laptop: str | None) -> int:
    grants = [g for g in store.sync.grants() if laptop is None or g.laptop == laptop]
    if getattr(args, "json", False):
        print_json(grants)
        return 0
    if not grants:
        print(f"no case is given to {laptop}" if laptop else "no case is given to any laptop")
    for grant in grants:
        number = store.cases.get(grant.case_id).number
        print(f"{grant.laptop}\t{number}\tgiven by {grant.granted_by}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from sarapp.exchange import keyring
    from sarapp.exchange.sync_files import export_sync, write_sync_file

    with open_store(args, create=False) as store:
        keys = keyring.desk_keys(store, keys_dir_of(args))
        document = export_sync(
            store, to=args.to, keys=keys, cases=args.case, full=args.full, author=author_of(args)
        )
    size = write_sync_file(Path(args.out), document)
    cases = len(document["cases"])
    if getattr(args, "json", False):
        print_json({"file": args.out, "bytes": size, "cases": cases,
                    "bundle_id": document["header"]["bundle_id"]})  # fmt: skip
    else:
        print(f"wrote {args.out} for {args.to}: {cases} case(s) with news, {size} bytes")
    return 0


def _import(args: argparse.Namespace) -> int:
    from sarapp.exchange import keyring
    from sarapp.exchange.sync_files import import_sync_file
    from sarapp.exchange.sync_summary import what_moved

    with open_store(args, create=False) as store:
        keyring.prepare(store, keys_dir_of(args))
        done = import_sync_file(store, Path(args.file), author=author_of(args))
    if getattr(args, "json", False):
        print_json(done)
        return 0
    sender = done.bundle.sender.id
    if done.already_imported:
        print(f"{args.file} was taken in already: nothing changed")
        return 0
    for case in done.cases:
        print(f"case {case.number or case.case_id}: from {sender}: {what_moved(case)}")
    for case_id in done.refused:
        print(f"case {case_id}: refused (not given to {sender}, nor by it)")
    return 0
