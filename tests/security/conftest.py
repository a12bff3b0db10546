"""Shared by the attack tests: a desk that signs checkpoints with an Ed25519 key made here,
helpers to run the CLI in-process, and to tamper with the SQLite file as an attacker would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.cli import main
from sarapp.store import Store


@dataclass(frozen=True)
class KeySigner:
    """The signer a desk takes: raw 64-byte Ed25519 signatures and the raw 32-byte public key."""

    key: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


@pytest.fixture
def signer() -> KeySigner:
    return KeySigner(Ed25519PrivateKey.generate())


@pytest.fixture
def signed_store(desk_path: Path, signer: KeySigner) -> Iterator[Store]:
    with Store.open(desk_path, signer=signer) as opened:
        yield opened


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tamper(path: Path, *statements: str) -> None:
    """Run SQL on the desk file behind sarapp's back (the sqlite3 shell, say)."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def drop_append_only_triggers(path: Path) -> None:
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for name in names:
        if "append_only" in name:
            conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()
