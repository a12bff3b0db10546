"""``sarapp inbox serve``: receive handover packages over HTTP into the inbox folder."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sarapp.cli.keys import add_keys_dir_option, keys_dir_of
from sarapp.exchange.inbox import PACKAGES_PATH, make_inbox_server
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
    serve.add_argument("--trusted-only", action="store_true", help="refuse unknown signers")
    add_keys_dir_option(serve)
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    inbox = inbox_dir_of(args)
    server = make_inbox_server(
        inbox_dir=inbox,
        keys_dir=keys_dir_of(args),
        host=args.host,
        port=args.port,
        trusted_only=args.trusted_only,
        report=lambda line: print(line, flush=True),
    )
    host, port = server.server_address[:2]
    print(f"receiving packages at http://{host}:{port}{PACKAGES_PATH} into {inbox}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
