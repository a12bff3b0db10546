"""Where a desk's signing key lives, and the desk's identity and trust list around it.

The RCC identity belongs to the desk: its id, name, country and public key are in the desk
(``desk_meta``), its trust list too (``trusted_keys``). The private key is kept out of the desk
file, so a thief of the database does not get it: ``<keys folder>/<desk id>/desk.key`` (0600,
in a 0700 folder), where the keys folder is ``--keys-dir``, else ``$SARAPP_KEYS_DIR``, else
``<user data folder>/keys``. A folder named explicitly must exist; only the default is created.

Before schema v6 one key folder served every desk of the user (``desk.key``, ``rcc.json``,
``trusted.json`` directly in the keys folder). The first desk without an identity that uses
that folder adopts it (identity, key, trusted peers), and the folder is marked as adopted by
that desk's id, so a second desk does not silently sign as the same RCC.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sarapp.exchange import keys
from sarapp.exchange.errors import KeyStoreError
from sarapp.exchange.keys import DeskKeys, PeerKey, Rcc, Trust
from sarapp.exchange.wire import time_to_wire
from sarapp.model import Changes, utc_now
from sarapp.paths import data_dir
from sarapp.store import Desk

KEYS_ENV = "SARAPP_KEYS_DIR"
OLD_IDENTITY_FILE = "rcc.json"  # the layout before schema v6
OLD_TRUST_FILE = "trusted.json"
ADOPTED_FILE = "adopted-by.json"  # marks an old key folder as taken by one desk


@dataclass(frozen=True)
class Adoption:
    """An old key folder adopted by a desk: what it brought."""

    folder: Path
    desk_id: str
    rcc: Rcc | None
    key: bool
    peers: int


def keys_folder(keys_dir: Path | None = None) -> Path:
    """The keys folder: ``keys_dir``, else ``$SARAPP_KEYS_DIR``, else the user's data folder's
    ``keys`` (created 0700). A folder named explicitly that does not exist is refused."""
    chosen = keys_dir or os.environ.get(KEYS_ENV) or None
    if chosen is None:
        folder = data_dir() / "keys"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise KeyStoreError(f"cannot create the keys folder {folder}: {_why(exc)}") from None
        return folder
    folder = Path(chosen)
    try:
        if not folder.exists():
            raise KeyStoreError(
                f"keys folder {folder} does not exist; give an existing folder "
                f"(or create it: mkdir -m 700 {folder})"
            )
        if not folder.is_dir():
            raise KeyStoreError(f"keys folder {folder} is not a folder")
    except OSError as exc:
        raise KeyStoreError(f"cannot read the keys folder {folder}: {_why(exc)}") from None
    return folder


def desk_keys(store: Desk, keys_dir: Path | None = None) -> DeskKeys:
    """The desk's key pair and RCC identity: what signs its packages (and its checkpoints).

    ``keys_dir`` overrides the keys folder (see ``keys_folder``). A desk that never had a key
    gets one now: the private half in ``<keys folder>/<desk id>/desk.key``, the public half in
    the desk. A desk that has one never gets another silently: a missing, unreadable or
    foreign private key file, or one that is not the key the desk recorded, is KeyStoreError.
    The result signs with ``sign(message) -> bytes`` (64 raw bytes); ``raw_public_key`` is the
    32-byte public key.
    """
    folder = keys_folder(keys_dir)
    adopt_old_layout(store, folder)
    identity = store.trust.identity()
    path = folder / identity.desk_id / keys.PRIVATE_KEY_FILE
    if identity.public_key is None:
        key = keys.read_private_key(path) if _exists(path) else None
        if key is None:
            key = keys.Ed25519PrivateKey.generate()
            keys.write_private_key(path, key)
        store.trust.set_public_key(keys.b64(keys.raw_public(key.public_key())))
        return DeskKeys(key, identity.rcc, path, identity.desk_id)
    recorded = keys.fingerprint(keys.decode_public_key(identity.public_key, "desk"))
    if not _exists(path):
        who = identity.rcc.id if identity.rcc else "no RCC yet"
        raise KeyStoreError(
            f"this desk ({store.path}, {who}) signs with the key {recorded}, but its private "
            f"key {path} is missing: restore it from a backup or give --keys-dir the folder "
            "holding it (sarapp makes no new key for a desk that has one; "
            "sarapp keys new-key --yes replaces it, and every peer must then trust the new one)"
        )
    key = keys.read_private_key(path)
    if keys.b64(keys.raw_public(key.public_key())) != identity.public_key:
        raise KeyStoreError(
            f"private key {path} is not this desk's key (the desk signs with {recorded})"
        )
    return DeskKeys(key, identity.rcc, path, identity.desk_id)


def set_rcc(store: Desk, rcc: Rcc, *, keys_dir: Path | None = None) -> tuple[DeskKeys, Changes]:
    """Name the RCC this desk signs as; the desk gets its key pair if it has none."""
    desk = desk_keys(store, keys_dir)  # first: a desk whose key is lost is refused here
    changes = store.trust.set_rcc(rcc)
    return DeskKeys(desk.private_key, store.trust.identity().rcc, desk.key_path, desk.desk_id), (
        changes
    )


def new_key(store: Desk, *, keys_dir: Path | None = None) -> tuple[DeskKeys, str]:
    """Replace the desk's key pair (its private key was lost or stolen, or is rotated). Peers
    must trust the new key; packages signed with the old one are no longer this desk's. The
    desk's checkpoints go on under the new key (``Desk.replace_signer``); the line returned
    says whether its chain was carried over."""
    store.trust.check_intact("the key is not replaced")  # it would sign an intruder's trust
    folder = keys_folder(keys_dir)
    identity = store.trust.identity()
    path = folder / identity.desk_id / keys.PRIVATE_KEY_FILE
    old = path.with_name(f"{path.name}.replaced-{utc_now().strftime('%Y%m%dT%H%M%SZ')}")
    old_key = None
    try:
        if path.exists():
            old_key = keys.raw_public(keys.read_private_key(path).public_key())
    except KeyStoreError:
        old_key = None  # unreadable: the chain is checked against the key the desk records
    try:
        if path.exists():
            path.rename(old)
    except OSError as exc:
        raise KeyStoreError(f"cannot move the old key {path} aside: {_why(exc)}") from None
    key = keys.Ed25519PrivateKey.generate()
    keys.write_private_key(path, key)
    desk = DeskKeys(key, identity.rcc, path, identity.desk_id)
    return desk, store.replace_signer(desk, old_key=old_key)


def trust_key(store: Desk, peer: PeerKey, *, author: str) -> tuple[PeerKey, Changes]:
    """Add a peer RCC's key to the desk's trust list (``sarapp keys trust``)."""
    own = store.trust.identity()
    if own.public_key == peer.public_key:
        raise KeyStoreError("that is this desk's own key: it needs no trust")
    return store.trust.trust(peer, author=author)


def desk_trust(store: Desk) -> Trust:
    """Whose signatures the desk believes: its trust list and its own key, once they are
    found to be what the desk's key signed (``Trust.check_intact``)."""
    store.trust.check_intact()
    identity = store.trust.identity()
    own = None
    if identity.public_key:
        raw = keys.decode_public_key(identity.public_key, "desk")
        own = PeerKey(identity.rcc or Rcc("this desk"), identity.public_key, keys.fingerprint(raw))
    return Trust(tuple(store.trust.peers()), own)


def prepare(store: Desk, keys_dir: Path | None = None) -> Adoption | None:
    """Before a desk with no identity reads or writes its trust: adopt the key folder of an
    earlier sarapp if there is one (see ``adopt_old_layout``). Does nothing for a desk that
    has an identity or a key, without touching the keys folder."""
    identity = store.trust.identity()
    if identity.rcc is not None or identity.public_key is not None:
        return None
    return adopt_old_layout(store, keys_folder(keys_dir))


def adopt_old_layout(store: Desk, folder: Path) -> Adoption | None:
    """Let a desk with no identity and no key take the key folder of sarapp before schema v6
    (``desk.key``, ``rcc.json``, ``trusted.json`` in ``folder``), unless another desk took it.
    The claim (``adopted-by.json``) is made first, so two desks cannot both take it."""
    identity = store.trust.identity()
    if identity.rcc is not None or identity.public_key is not None:
        return None
    key_path = folder / keys.PRIVATE_KEY_FILE
    rcc_path, trust_path = folder / OLD_IDENTITY_FILE, folder / OLD_TRUST_FILE
    if not any(_exists(p) for p in (key_path, rcc_path, trust_path)):
        return None
    if _exists(folder / ADOPTED_FILE):
        return None
    key = keys.read_private_key(key_path) if _exists(key_path) else None
    rcc = _old_identity(rcc_path)
    peers = _old_peers(trust_path)
    _claim(folder, store)
    try:
        if key is not None:
            target = folder / identity.desk_id / keys.PRIVATE_KEY_FILE
            if not _exists(target):
                keys.write_private_key(target, key)
        with store.transaction():
            if rcc is not None:
                store.trust.set_rcc(rcc)
            if key is not None:
                store.trust.set_public_key(keys.b64(keys.raw_public(key.public_key())))
            for peer, added in peers:
                store.trust.trust(peer, author=f"adopted from {folder}", time=added)
    except BaseException:
        (folder / ADOPTED_FILE).unlink(missing_ok=True)
        raise
    return Adoption(folder, identity.desk_id, rcc, key is not None, len(peers))


def old_layout_owner(folder: Path) -> dict[str, Any] | None:
    """Who adopted the old key folder in ``folder`` (``desk_id``, ``desk``, ``time``), if any."""
    path = folder / ADOPTED_FILE
    try:
        return json.loads(path.read_bytes()) if path.exists() else None
    except (OSError, ValueError):
        return None


def _claim(folder: Path, store: Desk) -> None:
    content = keys.json_bytes(
        {"desk_id": store.trust.desk_id(), "desk": str(store.path), "time": time_to_wire(utc_now())}
    )
    try:
        fd = os.open(folder / ADOPTED_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        raise KeyStoreError(f"cannot adopt the key folder {folder}: {_why(exc)}") from None


def _old_identity(path: Path) -> Rcc | None:
    if not _exists(path):
        return None
    try:
        return keys.rcc_from(json.loads(path.read_bytes()), str(path))
    except OSError as exc:
        raise KeyStoreError(f"cannot read {path}: {_why(exc)}") from None
    except ValueError as exc:
        raise KeyStoreError(f"{path} is damaged: {exc}") from None


def _old_peers(path: Path) -> list[tuple[PeerKey, datetime | None]]:
    if not _exists(path):
        return []
    try:
        doc = json.loads(path.read_bytes())
        found = []
        for p in doc["peers"]:
            raw = keys.decode_public_key(p["public_key"], str(path))
            peer = PeerKey(keys.rcc_from(p["rcc"], str(path)), keys.b64(raw), keys.fingerprint(raw))
            added = datetime.fromisoformat(p["added"]) if p.get("added") else None
            found.append((peer, added))
        return found
    except OSError as exc:
        raise KeyStoreError(f"cannot read {path}: {_why(exc)}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyStoreError(f"trust list {path} is damaged: {exc}") from None


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a folder that cannot be read is one line, not a traceback."""
    try:
        return path.exists()
    except OSError as exc:
        raise KeyStoreError(f"cannot read the keys folder {path.parent}: {_why(exc)}") from None


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


__all__ = [
    "Adoption",
    "adopt_old_layout",
    "desk_keys",
    "desk_trust",
    "keys_folder",
    "new_key",
    "old_layout_owner",
    "prepare",
    "set_rcc",
    "trust_key",
]
