"""``sarapp inbox serve|watch``: receive handover packages over HTTP into the inbox folder
(and, with ``--import``, into the desk), or import the packages dropped into a folder.

Both take only packages whose signer the desk trusts; the server answers 403 to any other
(``--quarantine`` keeps them in the desk's quarantine instead), the watcher quarantines them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sarapp.cli.common import author_of
from sarapp.cli.keys import add_keys_dir_option, keys_dir_of, open_trusting_store
from sarapp.cli.output import print_json
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.inbox import PACKAGES_PATH, bind_warning, make_inbox_server
from sarapp.exchange.watch import POLL_INTERVAL_S, FolderImport, import_folder, watch_folder
from sarapp.paths import data_dir


def inbox_dir_of(args: argparse.Namespace) -> Path:
    """``--inbox``, else ``$SARAPP_INBOX_DIR``, else ``inbox`` in the user's data folder."""
    chosen = getattr(args, "inbox", None) or os.environ.get("SARAPP_INBOX_DIR")
    return Path(chosen) if chosen else data_dir() / "inbox"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("inbox", parents=[common], help="receive packages over HTTP")
    cmds = group.add_subparsers(dest="command", metavar="COMMAND", required=True)
    serve = cmds.add_parser("serve", parents=[common], help="listen for packages (Ctrl-C stops)")
    serve.add_argument("--port", type=int, default=8585, help="TCP port (default 8585)")
    serve.add_argument("--host", default="127.0.0.1", help="address (default: loopback only)")
    serve.add_argument("--inbox", metavar="DIR", help="where accepted packages are kept")
    serve.add_argument(
        "--quarantine", action="store_true",
        help="keep packages of unknown signers in the desk's quarantine (within a quota) "
        "instead of only refusing them",
    )  # fmt: skip
    serve.add_argument(
        "--import", dest="import_", action="store_true", help="import each package into the desk"
    )
    serve.add_argument("--author", help="operator name for the import's log line")
    add_keys_dir_option(serve)
    serve.set_defaults(func=_serve)

    watch = cmds.add_parser(
        "watch", parents=[common], help="import packages dropped into a folder (Ctrl-C stops)"
    )
    watch.add_argument("folder", metavar="DIR", help="folder to watch (a USB stick, a share)")
    watch.add_argument("--interval", type=float, default=POLL_INTERVAL_S, help="seconds")
    watch.add_argument("--once", action="store_true", help="import what is there now, then stop")
    watch.add_argument("--author", help="operator name for the import's log line")
    add_keys_dir_option(watch)
    watch.set_defaults(func=_watch)


def _serve(args: argparse.Namespace) -> int:
    inbox = inbox_dir_of(args)
    with open_trusting_store(args) as store:
        desk = store.path
    warning = bind_warning(args.host)
    if warning:
        print(f"sarapp: {warning}", file=sys.stderr, flush=True)
    try:
        server = make_inbox_server(
            desk=desk,
            inbox_dir=inbox,
            host=args.host,
            port=args.port,
            report=lambda line: print(line, flush=True),
            import_packages=args.import_,
            quarantine=args.quarantine,
            author=author_of(args),
            keys_dir=keys_dir_of(args),
        )
    except OSError as exc:
        raise ExchangeError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    host, port = server.server_address[:2]
    try:  # Ctrl-C as soon as the line is out ends it quietly too
        print(f"receiving packages at http://{host}:{port}{PACKAGES_PATH} into {inbox}", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _watch(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    options = {"author": author_of(args)}
    with open_trusting_store(args) as store:
        if args.once:
            handled = import_folder(store, folder, **options)
            if args.json:
                print_json([_handled_json(h) for h in handled])
            else:
                for h in handled:
                    _print_handled(h)
            return 1 if any(h.result is None for h in handled) else 0
        print(f"watching {folder} every {args.interval:g} s (Ctrl-C stops)", flush=True)
        try:
            for h in watch_folder(store, folder, interval_s=args.interval, **options):
                _print_handled(h)
        except KeyboardInterrupt:
            pass
    return 0


def _handled_json(h: FolderImport) -> dict:
    r = h.result
    return {
        "file": h.name,
        "moved_to": str(h.moved_to),
        "imported": r is not None,
        "quarantined": h.quarantined,
        "reason": h.reason,
        "case_id": r.case_id if r else None,
        "created": r.created if r else False,
        "added_entries": len(r.added_entries) if r else 0,
        "conflicts": len(r.conflicts) if r else 0,
    }


def _print_handled(h: FolderImport) -> None:
    if h.quarantined:
        print(f"{h.name}: quarantined ({h.reason}) → {h.moved_to}", flush=True)
    elif h.result is None:
        print(f"{h.name}: refused ({h.reason}) → {h.moved_to}", flush=True)
    else:
        r = h.result
        what = "already imported" if r.already_imported else (
            f"older than package {r.replay_of}: nothing changed") if r.replay_of else (
            f"{len(r.added_entries)} entries added, {len(r.conflicts)} conflicts")  # fmt: skip
        print(f"{h.name}: case {r.case_id}: {what} → {h.moved_to}", flush=True)
