"""The desk key pair, its permissions, key files and the trust list."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from sarapp.exchange import keys
from sarapp.exchange.errors import KeyStoreError

from .conftest import ETEL, FALMOUTH


def test_key_pair_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    first = keys.load_or_create(folder)
    assert stat.S_IMODE((folder / keys.PRIVATE_KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    again = keys.load_or_create(folder)
    assert again.public_key == first.public_key
    assert first.rcc is None
    assert len(first.fingerprint.split()) == 16


def test_a_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    keys.load_or_create(folder)
    (folder / keys.PRIVATE_KEY_FILE).chmod(0o644)
    with pytest.raises(KeyStoreError, match="chmod 600"):
        keys.load_or_create(folder)


def test_signature_verifies_only_for_the_same_message(tmp_path: Path) -> None:
    desk = keys.load_or_create(tmp_path / "k")
    signature = desk.sign(b"case 2026-0001")
    assert keys.verify_signature(desk.public_key, signature, b"case 2026-0001")
    assert not keys.verify_signature(desk.public_key, signature, b"case 2026-0002")
    assert not keys.verify_signature(desk.public_key, "not base64!", b"case 2026-0001")


def test_key_file_round_trip_into_the_trust_list(keys_a: Path, keys_b: Path) -> None:
    a = keys.load_or_create(keys_a)
    peer = keys.read_key_file(keys.public_key_file(a))
    assert peer.rcc == ETEL
    assert peer.fingerprint == a.fingerprint
    assert keys.trusted_peers(keys_b) == []
    keys.trust(keys_b, peer)
    keys.trust(keys_b, peer)  # trusting twice keeps one record
    listed = keys.trusted_peers(keys_b)
    assert [(p.rcc, p.fingerprint) for p in listed] == [(ETEL, a.fingerprint)]
    assert keys.find_trusted(keys_b, a.public_key) is not None
    assert stat.S_IMODE((keys_b / keys.TRUST_FILE).stat().st_mode) == 0o600


def test_key_file_with_a_wrong_fingerprint_is_refused(keys_a: Path) -> None:
    doc = json.loads(keys.public_key_file(keys.load_or_create(keys_a)))
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


def test_exporting_needs_an_rcc_identity(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="no RCC identity"):
        keys.public_key_file(keys.load_or_create(tmp_path / "k"))
    named = keys.set_identity(tmp_path / "k", FALMOUTH)
    assert keys.load_or_create(tmp_path / "k").rcc == FALMOUTH == named.rcc
