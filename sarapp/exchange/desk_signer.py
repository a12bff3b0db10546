"""The desk's own key as the signer of its checkpoints, given to the store when the CLI or the
app opens a desk (``sarapp.store.checkpoints``).

A desk made by this opening gets its key at once (in the keys folder, under its desk id, as
``sarapp.exchange.keyring`` keeps keys), so everything it ever records is signed. A desk that
has a key signs with it when the key can be read. A desk without a key, or whose key cannot be
had (not in this keys folder, unreadable, another user's, a read-only desk), still opens and
works: it writes no checkpoint, and ``db check`` says the checkpoints could not be extended.
No key is made for an existing desk here: it gets one when its RCC identity is set or it first
signs a package (``keyring.desk_keys``).

A desk on a server is shared by an RCC's desk computers: each signs the checkpoints of its
own commits with a key of its own (``checkpoints.key`` in the keys folder, under the desk id,
made on its first opening there), and keeps a copy of the checkpoints that key signed beside it
(``server.checkpoints``), out of reach of whoever administers the database; the RCC's key (in
``desk.key``) signs packages only. A login that may only read signs nothing.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sarapp.errors import SarappError
from sarapp.exchange import keyring, keys
from sarapp.exchange.keys import DeskKeys
from sarapp.store import Desk


def attach_checkpoint_signer(store: Desk, keys_dir: Path | None = None) -> DeskKeys | None:
    """Give ``store`` the desk's key to sign checkpoints with; None when it has none to give
    (the desk then works unsigned)."""
    try:
        if store.path is None:
            return _computer_key(store, keys_dir)
        if store.checkpoints.recorded_public_key() is None:
            if not store.created:
                return None
            signer = _new_desk_key(store, keys_dir)
        else:
            signer = keyring.desk_keys(store, keys_dir)
        store.attach_signer(signer)
    except (SarappError, OSError):
        return None
    return signer


SERVER_KEY_FILE = "checkpoints.key"
SERVER_MIRROR_FILE = "server.checkpoints"


def _computer_key(store: Desk, keys_dir: Path | None) -> DeskKeys | None:
    """This computer's key for the server desk's checkpoints, made on its first opening."""
    if store.read_only:
        return None
    identity = store.trust.identity()
    folder = keyring.keys_folder(keys_dir) / identity.desk_id
    path = folder / SERVER_KEY_FILE
    if path.exists():
        key = keys.read_private_key(path)
    else:
        key = Ed25519PrivateKey.generate()
        keys.write_private_key(path, key)
    signer = DeskKeys(key, identity.rcc, path, identity.desk_id)
    store.attach_signer(signer, mirror_file=folder / SERVER_MIRROR_FILE)
    return signer


def _new_desk_key(store: Desk, keys_dir: Path | None) -> DeskKeys:
    """A key for a desk this opening created (never adopting an older key folder: that
    belongs to the desk the officer already had)."""
    identity = store.trust.identity()
    path = keyring.keys_folder(keys_dir) / identity.desk_id / keys.PRIVATE_KEY_FILE
    key = Ed25519PrivateKey.generate()
    keys.write_private_key(path, key)
    store.trust.set_public_key(keys.b64(keys.raw_public(key.public_key())))
    return DeskKeys(key, identity.rcc, path, identity.desk_id)


__all__ = ["attach_checkpoint_signer"]
