"""Two RCC desks set up as real RCCs do it through the CLI, and the tools of an attacker.

Desk A (MRCC-ETEL) and desk B (MRCC-FALMOUTH) each set their identity (``keys rcc``), export
their public key and trust the other's (``keys trust``), exactly as two RCCs would. An attacker
has no key either desk trusts: ``forge`` signs any package document with a key of their own.
An attacker with the desk file but not its key edits it with SQL (``tamper``); a desk that
signs checkpoints takes ``signer``, an Ed25519 key made here.
"""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.chain import content_hash, data_text
from sarapp.cli import main
from sarapp.exchange.canonical import canonical_bytes
from sarapp.exchange.keys import fingerprint
from sarapp.exchange.package import signed_content
from sarapp.model import AlertPhase
from sarapp.store import Desk


@dataclass
class Rccs:
    """Two desk files, their key folders, and the case A opened."""

    a: Path
    b: Path
    keys_a: Path
    keys_b: Path
    case_id: str
    tmp: Path

    def on_a(self, *argv: str) -> list[str]:
        return ["--db", str(self.a), *argv, "--keys-dir", str(self.keys_a)]

    def on_b(self, *argv: str) -> list[str]:
        return ["--db", str(self.b), *argv, "--keys-dir", str(self.keys_b)]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """One ``sarapp`` command in this process: (exit status, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def rccs(capsys, tmp_path: Path, empty_desk_file: Path, monkeypatch) -> Rccs:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # never the user's folders
    monkeypatch.setenv("SARAPP_OPERATOR", "op")
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    shutil.copyfile(empty_desk_file, a)
    shutil.copyfile(empty_desk_file, b)
    keys_a, keys_b = tmp_path / "keys-a", tmp_path / "keys-b"
    keys_a.mkdir(mode=0o700)
    keys_b.mkdir(mode=0o700)
    r = Rccs(a, b, keys_a, keys_b, "", tmp_path)
    ok(capsys, *r.on_a("keys", "rcc", "MRCC-ETEL", "--name", "MRCC Etel", "--country", "FR"))
    ok(capsys, *r.on_b("keys", "rcc", "MRCC-FALMOUTH", "--name", "MRCC Falmouth"))
    ok(capsys, *r.on_a("keys", "export", "-o", str(tmp_path / "etel.sarkey")))
    ok(capsys, *r.on_b("keys", "export", "-o", str(tmp_path / "falmouth.sarkey")))
    ok(capsys, *r.on_b("keys", "trust", str(tmp_path / "etel.sarkey")))
    ok(capsys, *r.on_a("keys", "trust", str(tmp_path / "falmouth.sarkey")))
    with Desk.open(a) as store:
        changes = store.cases.create(
            title="FV MARIE fire in engine room",
            author="op1",
            phase=AlertPhase.DETRESFA,
            values={"pob": "4", "rcc": "MRCC Etel", "mmsi": "227123456"},
        )
        r.case_id = next(iter(changes.cases))
        store.log.append(r.case_id, "SNSM lifeboat tasked, ETA 40 min", author="op1")
    return r


def send_a_to_b(capsys, r: Rccs, name: str = "a-to-b.sarpkg") -> Path:
    """A exports its case for B (``handover export``): a genuine, trusted package."""
    path = r.tmp / name
    ok(capsys, *r.on_a("handover", "export", r.case_id, "--to", "MRCC-FALMOUTH", "-o", str(path)))
    return path


def dump(desk: Path) -> list[str]:
    """Every row of a desk as SQL: equal dumps mean nothing was written."""
    with Desk.open(desk, create=False) as store:
        return list(store.conn.iterdump())


def append_entry(document: dict[str, Any], text: str, data: dict | None = None) -> None:
    """Add a log entry to a package's case log, hash-chained as a desk would chain it."""
    log, case_id = document["body"]["log"], document["body"]["case"]["id"]
    last = log[-1]
    entry = {
        "id": str(uuid.uuid4()),
        "seq": last["seq"] + 1,
        "time": last["time"],
        "author": "op",
        "kind": "note",
        "text": text,
        "data": data or {},
        "corrects": None,
        "prev_hash": last["hash"],
    }
    entry["hash"] = content_hash({**entry, "case_id": case_id, "data": data_text(entry["data"])})
    log.append(entry)


def forge(document: dict[str, Any], key: Ed25519PrivateKey | None = None) -> bytes:
    """The package bytes of ``document`` signed by ``key`` (a fresh one: no desk trusts it)."""
    key = key or Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    checkpoint = document["body"].get("checkpoint")
    if checkpoint is not None:  # the forger signs the case checkpoint too, as sarapp would
        log = document["body"]["log"]
        content = {k: v for k, v in checkpoint.items() if k != "signature"}
        content.update(seq=log[-1]["seq"], hash=log[-1]["hash"], key=base64.b64encode(raw).decode())
        value = base64.b64encode(key.sign(canonical_bytes(content))).decode()
        document = {
            **document,
            "body": {**document["body"], "checkpoint": {**content, "signature": value}},
        }
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    signature = {
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(raw).decode(),
        "fingerprint": fingerprint(raw),
        "value": base64.b64encode(key.sign(signed_content(unsigned))).decode(),
    }
    return (json.dumps({**unsigned, "signature": signature}, indent=1) + "\n").encode()


def key_fingerprint(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return fingerprint(raw)


@dataclass(frozen=True)
class KeySigner:
    """The signer a desk takes: raw 64-byte Ed25519 signatures and the raw 32-byte public key."""

    key: Ed25519PrivateKey

    @property
    def raw_public_key(self) -> bytes:
        return self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


@pytest.fixture
def signer() -> KeySigner:
    return KeySigner(Ed25519PrivateKey.generate())


@pytest.fixture
def signed_store(desk_path: Path, signer: KeySigner) -> Iterator[Desk]:
    with Desk.open(desk_path, signer=signer) as opened:
        yield opened


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
