"""The desk key pair, its permissions, key files and the trust list in the desk."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sarapp.exchange import keyring, keys
from sarapp.exchange.errors import KeyStoreError
from sarapp.exchange.keys import DeskKeys

from .conftest import ETEL, FALMOUTH


def test_key_pair_is_created_once_in_the_desks_own_folder(store, keys_dir: Path) -> None:
    first = keyring.desk_keys(store, keys_dir)
    desk_id = store.trust.desk_id()
    assert first.key_path == keys_dir / desk_id / keys.PRIVATE_KEY_FILE
    assert stat.S_IMODE(first.key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.key_path.parent.stat().st_mode) == 0o700
    again = keyring.desk_keys(store, keys_dir)
    assert again.public_key == first.public_key == store.trust.identity().public_key
    assert first.rcc is None and first.desk_id == desk_id
    assert len(first.fingerprint.split()) == 16


def test_a_private_key_readable_by_others_is_refused(store, keys_dir: Path) -> None:
    desk = keyring.desk_keys(store, keys_dir)
    desk.key_path.chmod(0o644)
    with pytest.raises(KeyStoreError, match="chmod 600"):
        keyring.desk_keys(store, keys_dir)


def test_a_private_key_of_another_desk_is_refused(store, desk_b, keys_dir: Path) -> None:
    a, b = keyring.desk_keys(store, keys_dir), keyring.desk_keys(desk_b, keys_dir)
    a.key_path.write_bytes(b.key_path.read_bytes())
    with pytest.raises(KeyStoreError, match="is not this desk's key"):
        keyring.desk_keys(store, keys_dir)


def test_the_signer_gives_raw_ed25519_signatures(store, keys_dir: Path) -> None:
    """The interface the desk's checkpoints use: 64 raw bytes, a 32-byte public key."""
    desk = keyring.desk_keys(store, keys_dir)
    signature = desk.sign(b"case 2026-0001")
    assert len(signature) == 64 and len(desk.raw_public_key) == 32
    Ed25519PublicKey.from_public_bytes(desk.raw_public_key).verify(signature, b"case 2026-0001")
    text = base64.b64encode(signature).decode()
    assert keys.verify_signature(desk.public_key, text, b"case 2026-0001")
    assert not keys.verify_signature(desk.public_key, text, b"case 2026-0002")
    assert not keys.verify_signature(desk.public_key, "not base64!", b"case 2026-0001")


def test_key_file_round_trip_into_the_trust_list(keys_a: DeskKeys, desk_b) -> None:
    peer = keys.read_key_file(keys.public_key_file(keys_a))
    assert peer.rcc == ETEL
    assert peer.fingerprint == keys_a.fingerprint
    assert desk_b.trust.peers() == []
    keyring.trust_key(desk_b, peer, author="opB")
    keyring.trust_key(desk_b, peer, author="opB")  # trusting twice keeps one record
    listed = desk_b.trust.peers()
    assert [(p.rcc, p.fingerprint, p.added_by) for p in listed] == [
        (ETEL, keys_a.fingerprint, "opB")
    ]
    assert desk_b.trust.peer(keys_a.public_key) is not None
    own = keyring.set_rcc(desk_b, FALMOUTH, keys_dir=keys_a.key_path.parent.parent)[0]
    with pytest.raises(KeyStoreError, match="own key"):
        keyring.trust_key(desk_b, keys.read_key_file(keys.public_key_file(own)), author="opB")


def test_key_file_with_a_wrong_fingerprint_is_refused(keys_a: DeskKeys) -> None:
    doc = json.loads(keys.public_key_file(keys_a))
    doc["fingerprint"] = "0000 " * 15 + "0000"
    with pytest.raises(KeyStoreError, match="fingerprint does not match"):
        keys.read_key_file(json.dumps(doc).encode())


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe", "bad JSON"),
        (b"[]", "not a sarapp key file"),
        (b'{"format": "sarapp-public-key", "version": 2}', "version 1"),
        (
            b'{"format": "sarapp-public-key", "version": 1, "algorithm": "Ed25519",'
            b' "rcc": {"id": "X"}, "public_key": "AAAA"}',
            "32 bytes",
        ),
    ],
)
def test_bad_key_files_are_refused_with_the_reason(content: bytes, reason: str) -> None:
    with pytest.raises(KeyStoreError, match=reason):
        keys.read_key_file(content)


def test_exporting_needs_an_rcc_identity(store, keys_dir: Path) -> None:
    with pytest.raises(KeyStoreError, match="no RCC identity"):
        keys.public_key_file(keyring.desk_keys(store, keys_dir))
    named, _ = keyring.set_rcc(store, FALMOUTH, keys_dir=keys_dir)
    assert keyring.desk_keys(store, keys_dir).rcc == FALMOUTH == named.rcc
