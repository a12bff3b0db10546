"""``sarapp keys …``: this desk's signing key, its RCC identity, and the trust list of peers."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

from sarapp.cli.output import print_json
from sarapp.exchange import keys
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import KeyStoreError
from sarapp.paths import data_dir


def keys_dir_of(args: argparse.Namespace) -> Path:
    """``--keys-dir``, else ``$SARAPP_KEYS_DIR``, else ``keys`` in the user's data folder."""
    chosen = getattr(args, "keys_dir", None) or os.environ.get("SARAPP_KEYS_DIR")
    return Path(chosen) if chosen else data_dir() / "keys"


def add_keys_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys-dir",
        metavar="DIR",
        help="folder of this desk's key and trust list (default: $SARAPP_KEYS_DIR or data folder)",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("keys", parents=[common], help="this desk's signing key and trust list")
    cmds = group.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = cmds.add_parser("show", parents=[common], help="fingerprint, identity, trusted peers")
    add_keys_dir_option(show)
    show.set_defaults(func=_show)

    rcc = cmds.add_parser("rcc", parents=[common], help="set the RCC this desk signs as")
    rcc.add_argument("id", metavar="ID", help="short RCC id, e.g. MRCC-ETEL")
    rcc.add_argument("--name", default="", help="full name, e.g. 'MRCC Etel'")
    rcc.add_argument("--country", default="", type=str.upper, help="ISO 3166 alpha-2 code")
    add_keys_dir_option(rcc)
    rcc.set_defaults(func=_rcc)

    export = cmds.add_parser("export", parents=[common], help="write the public key file")
    export.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    add_keys_dir_option(export)
    export.set_defaults(func=_export)

    trust = cmds.add_parser("trust", parents=[common], help="trust a peer RCC's key file")
    trust.add_argument("file", metavar="FILE")
    add_keys_dir_option(trust)
    trust.set_defaults(func=_trust)


def _show(args: argparse.Namespace) -> int:
    folder = keys_dir_of(args)
    desk = keys.load_or_create(folder)
    peers = keys.trusted_peers(folder)
    if args.json:
        print_json(
            {
                "folder": str(folder),
                "rcc": asdict(desk.rcc) if desk.rcc else None,
                "public_key": desk.public_key,
                "fingerprint": desk.fingerprint,
                "trusted": [asdict(p) for p in peers],
            }
        )
        return 0
    who = f"{desk.rcc.id} ({desk.rcc.name}, {desk.rcc.country})" if desk.rcc else "(no RCC set)"
    print(f"this desk: {who}")
    print(f"  fingerprint: {desk.fingerprint}")
    print(f"  key folder: {folder}")
    print(f"trusted peers: {len(peers)}")
    for peer in peers:
        print(f"  {peer.rcc.id:<16} {peer.fingerprint}  ({peer.rcc.name}, {peer.rcc.country})")
    return 0


def _rcc(args: argparse.Namespace) -> int:
    desk = keys.set_identity(keys_dir_of(args), keys.Rcc(args.id, args.name, args.country))
    print_json(asdict(desk.rcc)) if args.json else print(f"this desk signs as {args.id}")
    return 0


def _export(args: argparse.Namespace) -> int:
    content = keys.public_key_file(keys.load_or_create(keys_dir_of(args)))
    if args.output:
        try:
            write_atomic(Path(args.output), content)
        except OSError as exc:
            raise KeyStoreError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


def _trust(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise KeyStoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    peer = keys.trust(keys_dir_of(args), keys.read_key_file(content, name=path.name))
    if args.json:
        print_json(asdict(peer))
    else:
        print(f"trusted {peer.rcc.id} ({peer.rcc.name}, {peer.rcc.country})")
        print(f"  fingerprint: {peer.fingerprint}  — check it with {peer.rcc.id} by phone")
    return 0
