"""``sarapp keys …``: the desk's RCC identity and signing key, and its trust list of peers.

The identity and the trust list are in the desk (``--db``); the private key is in the keys
folder (``--keys-dir``, else ``$SARAPP_KEYS_DIR``, else the user's data folder), under the
desk's id. See ``sarapp.exchange.keyring``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from sarapp.cli.common import author_of, open_store
from sarapp.cli.output import print_json
from sarapp.exchange import keyring, keys
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import KeyStoreError
from sarapp.exchange.quarantine import read_quarantined, trust_signer
from sarapp.store import Desk


def keys_dir_of(args: argparse.Namespace) -> Path | None:
    """``--keys-dir`` if given (None: ``$SARAPP_KEYS_DIR``, else the user's data folder)."""
    chosen = getattr(args, "keys_dir", None)
    return Path(chosen) if chosen else None


def add_keys_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys-dir",
        metavar="DIR",
        help="existing folder holding the desks' private keys "
        "(default: $SARAPP_KEYS_DIR, else the user's data folder)",
    )


def open_trusting_store(args: argparse.Namespace, *, create: bool = False) -> Desk:
    """The desk, having adopted the key folder of an earlier sarapp if it has no identity."""
    store = open_store(args, create=create)
    try:
        keyring.prepare(store, keys_dir_of(args))
    except BaseException:
        store.close()
        raise
    return store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("keys", parents=[common], help="this desk's RCC identity and trust list")
    cmds = group.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = cmds.add_parser("show", parents=[common], help="the desk, its key, trusted peers")
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

    trust = cmds.add_parser(
        "trust", parents=[common], help="trust a peer's key file, or a quarantined package's key"
    )
    trust.add_argument("file", metavar="FILE", help="a key file, or a quarantined package")
    trust.add_argument(
        "--fingerprint", metavar="FP", help="the key's fingerprint as the peer RCC gave it "
        "(required for a package)",
    )  # fmt: skip
    trust.add_argument("--author", help="operator name (default: $SARAPP_OPERATOR)")
    add_keys_dir_option(trust)
    trust.set_defaults(func=_trust)

    renew = cmds.add_parser(
        "new-key", parents=[common], help="replace a lost or stolen key (peers must trust anew)"
    )
    renew.add_argument("--yes", action="store_true", help="confirm the replacement")
    add_keys_dir_option(renew)
    renew.set_defaults(func=_new_key)


def _show(args: argparse.Namespace) -> int:
    with open_trusting_store(args) as store:
        desk = keyring.desk_keys(store, keys_dir_of(args))
        peers = store.trust.peers()
        folder = keyring.keys_folder(keys_dir_of(args))
        owner = keyring.old_layout_owner(folder)
        path, where = store.path, store.location
        sealed = store.trust.seal_state()
    if args.json:
        print_json(
            {
                "desk": {
                    "path": str(path) if path else None,
                    "location": where,
                    "id": desk.desk_id,
                },
                "rcc": asdict(desk.rcc) if desk.rcc else None,
                "public_key": desk.public_key,
                "fingerprint": desk.fingerprint,
                "private_key_file": str(desk.key_path),
                "trusted": [asdict(p) for p in peers],
                "trust_signature": sealed,
            }
        )
        return 0
    who = (
        f"{desk.rcc.id} ({', '.join(v for v in (desk.rcc.name, desk.rcc.country) if v)})"
        if desk.rcc
        else "no RCC identity (set it: sarapp keys rcc ID --name NAME --country CC)"
    )
    print(f"desk {where} (id {desk.desk_id}): {who}")
    print(f"  fingerprint: {desk.fingerprint}")
    print(f"  private key: {desk.key_path}")
    if owner and owner.get("desk_id") != desk.desk_id:
        print(f"  the keys of an earlier sarapp in {folder} belong to desk {owner.get('desk')}")
    print(f"trusted peers: {len(peers)}; the trust: {sealed}")
    for peer in peers:
        extra = ", ".join(v for v in (peer.rcc.name, peer.rcc.country) if v)
        print(f"  {peer.rcc.id:<16} {peer.fingerprint}  ({extra}) added by {peer.added_by}")
    return 0


def _rcc(args: argparse.Namespace) -> int:
    with open_trusting_store(args, create=True) as store:
        desk, _ = keyring.set_rcc(
            store, keys.Rcc(args.id, args.name, args.country), keys_dir=keys_dir_of(args)
        )
        where = store.location
    if args.json:
        print_json(asdict(desk.require_rcc()))
    else:
        print(f"desk {where} signs as {args.id}, fingerprint {desk.fingerprint}")
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_trusting_store(args) as store:
        content = keys.public_key_file(keyring.desk_keys(store, keys_dir_of(args)))
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
        with path.open("rb") as handle:
            content = handle.read(keys.MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise KeyStoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    with open_trusting_store(args) as store:
        if keys.is_key_file(content):
            peer = keys.read_key_file(content, name=path.name)
            if args.fingerprint and not keys.same_fingerprint(args.fingerprint, peer.fingerprint):
                raise KeyStoreError(
                    f"{path.name}: the fingerprint given does not match the key "
                    f"({peer.fingerprint}): not trusted"
                )
            peer, _ = keyring.trust_key(store, peer, author=author_of(args))
        else:
            if not args.fingerprint:
                raise KeyStoreError(
                    f"{path.name} is a package: give the fingerprint its RCC read to you "
                    "(--fingerprint 'ab12 …') to trust the key that signed it"
                )
            item = read_quarantined(path)
            peer, _ = trust_signer(
                store, item, fingerprint=args.fingerprint, author=author_of(args)
            )
    if args.json:
        print_json(asdict(peer))
    else:
        print(f"trusted {peer.rcc.id} ({peer.rcc.name}, {peer.rcc.country})")
        print(f"  fingerprint: {peer.fingerprint}  — check it with {peer.rcc.id} by phone")
    return 0


def _new_key(args: argparse.Namespace) -> int:
    if not args.yes:
        raise KeyStoreError(
            "a new key makes every peer distrust this desk until they trust the new one: "
            "confirm with --yes"
        )
    with open_trusting_store(args) as store:
        desk, carried = keyring.new_key(store, keys_dir=keys_dir_of(args))
    if args.json:
        print_json({"fingerprint": desk.fingerprint, "checkpoints": carried})
    else:
        print(f"new key for this desk, fingerprint {desk.fingerprint}: send its key file to "
              f"every peer (sarapp keys export)\n{carried}")  # fmt: skip
    return 0
