"""A desk key replaced on purpose (``sarapp keys new-key --yes``: the key was lost or
stolen, or is simply rotated) carries the desk's chain of checkpoints over to the new key.

Before: the new key could not extend the old key's chain, so nothing written after the
replacement was ever signed again, and ``db check`` failed for good ("signed by key …, not by
this desk's key: the checkpoints were signed again"). Now the new key's first checkpoint
names the key it takes over from and signs every case's head; ``db check`` verifies the old
key's last checkpoint and says where the key changed. A chain another key re-signed behind
the desk's back is not carried over (the replacement would launder it), nor may an attacker
without the key write such a hand-over themselves.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sarapp.store import Desk
from sarapp.store.checkpoints import b64, mirror_path, seal

from .conftest import KeySigner, drop_append_only_triggers, ok, run, tamper


@dataclass
class Officer:
    """A desk file the CLI made (its key in the user's data folder) and its first case."""

    a: Path
    case_id: str

    def on_a(self, *argv: str) -> list[str]:
        return ["--db", str(self.a), *argv]


@pytest.fixture
def desk_a(capsys, tmp_path: Path) -> Officer:
    db = tmp_path / "a.sqlite"
    out = ok(capsys, "--db", str(db), "case", "new", "--title", "FV Marie-Jo", "--json")
    return Officer(db, json.loads(out)["number"])


def _key_files() -> list[Path]:
    return list(Path(os.environ["XDG_DATA_HOME"]).glob("sarapp/keys/*/desk.key"))


def _check(capsys, r: Officer) -> tuple[int, str, str]:
    return run(capsys, *r.on_a("db", "check"))


def _keys(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT public_key FROM checkpoints ORDER BY seq")]


def _replace_and_write_on(capsys, r: Officer) -> str:
    ok(capsys, *r.on_a("log", "add", r.case_id, "Rescue 169 tasked"))
    assert _check(capsys, r)[:2] == (0, "ok\n")
    out = ok(capsys, *r.on_a("keys", "new-key", "--yes"))
    ok(capsys, *r.on_a("log", "add", r.case_id, "Rescue 169 on scene"))
    return out


def test_a_rotated_key_carries_the_chain_over_and_signs_what_follows(capsys, desk_a: Officer):
    out = _replace_and_write_on(capsys, desk_a)
    assert "checkpoints carried over" in out, out
    code, out, err = _check(capsys, desk_a)
    assert code == 0, (out, err)
    assert "not by this desk's key" not in out + err
    assert "written without the desk's key" not in out and "could not be extended" not in out
    assert "the desk's key was replaced at checkpoint" in out
    keys = _keys(desk_a.a)
    old, new = keys[0], keys[-1]
    assert old != new and keys.count(new) >= 2  # the hand-over and the entry after it
    mirrored = [json.loads(line) for line in mirror_path(desk_a.a).read_text().splitlines()]
    assert [m["public_key"] for m in mirrored] == keys  # the mirror holds both keys' lines


def test_a_lost_key_is_replaced_and_the_chain_carried_over_too(capsys, desk_a: Officer):
    """The key file is gone (a disk died, a laptop was stolen): the chain is checked against
    the key the desk records, and carried over."""
    ok(capsys, *desk_a.on_a("log", "add", desk_a.case_id, "Rescue 169 tasked"))
    for key in _key_files():
        key.unlink()
    out = _replace_and_write_on_without_key(capsys, desk_a)
    assert "checkpoints carried over" in out and "the key this desk records" in out, out
    code, out, err = _check(capsys, desk_a)
    assert code == 0, (out, err)
    assert "the desk's key was replaced at checkpoint" in out


def _replace_and_write_on_without_key(capsys, r: Officer) -> str:
    out = ok(capsys, *r.on_a("keys", "new-key", "--yes"))
    ok(capsys, *r.on_a("log", "add", r.case_id, "Rescue 169 on scene"))
    return out


def test_a_chain_another_key_signed_again_is_not_carried_over(capsys, desk_a: Officer):
    """Mallory re-signed the desk's chain with a key of their own and recorded it as the
    desk's: the new key would vouch for their chain and their trust, so the replacement is
    refused, nothing replaced, and db check names it."""
    r = desk_a
    ok(capsys, *r.on_a("log", "add", r.case_id, "Rescue 169 tasked"))
    mallory = KeySigner(Ed25519PrivateKey.generate())
    drop_append_only_triggers(r.a)
    tamper(r.a, "DELETE FROM checkpoints")
    mirror_path(r.a).unlink()
    with Desk.open(r.a, signer=mallory):  # a fresh chain, signed by mallory's key
        pass
    tamper(r.a, f"UPDATE desk_meta SET value = '{b64(mallory.raw_public_key)}'"
                " WHERE key = 'public_key'")  # fmt: skip
    (key_file,) = _key_files()
    before = key_file.read_bytes()
    code, _, err = run(capsys, *r.on_a("keys", "new-key", "--yes"))
    assert code == 1 and "trust list" in err and "the key is not replaced until" in err, err
    assert key_file.read_bytes() == before and set(_keys(r.a)) == {b64(mallory.raw_public_key)}
    code, out, err = _check(capsys, r)
    assert code == 1 and "the desk's trust list" in out + err


def test_a_hand_over_written_without_the_desks_key_is_named(capsys, desk_a: Officer):
    """An attacker with the file but not the key writes a hand-over to a key of their own and
    records it as the desk's: checked with the desk's key, it is named."""
    r = desk_a
    ok(capsys, *r.on_a("log", "add", r.case_id, "Rescue 169 tasked"))
    mallory = KeySigner(Ed25519PrivateKey.generate())
    with sqlite3.connect(r.a) as conn:
        old = conn.execute("SELECT public_key FROM checkpoints ORDER BY seq DESC").fetchone()[0]
    desk = Desk.open(r.a)
    try:
        with desk.transaction():
            seal(desk.checkpoints.conn, mallory, None, rotated_from=old)
    finally:
        desk.close()
    code, out, err = _check(capsys, r)
    assert code == 1 and "not by this desk's key" in out + err
