"""The desk's trust is under its key: an attacker with the desk file but not the key cannot
make their own key trusted, nor record it as the desk's own, with one SQL statement.

Before: a row inserted into ``trusted_keys`` (or the desk's public key replaced in
``desk_meta``) made the attacker's packages trusted — imported by ``handover import`` — and
``db check`` said ok. Now every trust change through sarapp is signed in the desk's
checkpoints, and the trust as it stands is compared with what the key last signed before any
package is admitted and in ``db check``.
"""

from __future__ import annotations

import base64
import json

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.exchange.keys import DeskKeys, fingerprint, public_key_file
from sarapp.model import PeerKey, Rcc
from sarapp.store import Desk
from sarapp.store.checkpoints import b64
from sarapp.store.errors import TrustError

from .conftest import (
    KeySigner,
    Rccs,
    append_entry,
    dump,
    forge,
    ok,
    run,
    send_a_to_b,
    tamper,
)


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _evil_package(capsys, r: Rccs, key: Ed25519PrivateKey, sender: dict) -> bytes:
    """A's genuine package with a stand-down added, re-signed with ``key`` as ``sender``."""
    document = json.loads(send_a_to_b(capsys, r, "genuine.sarpkg").read_bytes())
    document["header"]["from"] = sender
    append_entry(document, "All crew rescued, stand down all units")
    return forge(document, key)


def _stand_down_imported(capsys, r: Rccs) -> bool:
    return "stand down" in ok(capsys, "--db", str(r.b), "log", "list", r.case_id)


def _slip_in(r: Rccs, raw: bytes) -> None:
    """What an attacker with the desk file does: their key in B's trust list, by SQL."""
    tamper(r.b, "INSERT INTO trusted_keys (fingerprint, public_key, rcc_id, rcc_name,"
                f" rcc_country, added, added_by) VALUES ('{fingerprint(raw)}',"
                f" '{base64.b64encode(raw).decode()}', 'MRCC-GRIS-NEZ', 'CROSS Gris-Nez', 'FR',"
                " '2026-12-03T10:00:00.000000Z', 'op')")  # fmt: skip


def _b_has_the_case(capsys, r: Rccs) -> None:
    ok(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r, "first.sarpkg"))))


def test_a_key_slipped_into_the_trust_list_admits_nothing(capsys, rccs: Rccs) -> None:
    r = rccs
    _b_has_the_case(capsys, r)
    mallory = Ed25519PrivateKey.generate()
    raw = _raw(mallory)
    _slip_in(r, raw)
    package = r.tmp / "evil.sarpkg"
    package.write_bytes(_evil_package(capsys, r, mallory, {"id": "MRCC-GRIS-NEZ"}))
    before = dump(r.b)
    code, _, err = run(capsys, *r.on_b("handover", "import", str(package)))
    assert code == 1 and "trust list" in err and "changed outside sarapp" in err, err
    assert len(err.splitlines()) == 1 and "no package is imported" in err
    assert dump(r.b) == before and not _stand_down_imported(capsys, r)
    genuine = send_a_to_b(capsys, r, "genuine-2.sarpkg")  # even A's: the list is not sure
    assert run(capsys, *r.on_b("handover", "import", str(genuine)))[0] == 1
    code, out, err = run(capsys, *r.on_b("db", "check"))
    assert code == 1 and "changed outside sarapp" in out + err
    shown = ok(capsys, *r.on_b("keys", "show"))
    assert "the trust: NOT AS SIGNED: " in shown and "changed outside sarapp" in shown
    brest = DeskKeys(Ed25519PrivateKey.generate(), Rcc("MRCC-BREST"), r.tmp / "x", "x")
    (r.tmp / "brest.sarkey").write_bytes(public_key_file(brest))
    code, _, err = run(capsys, *r.on_b("keys", "trust", str(r.tmp / "brest.sarkey")))
    assert code == 1 and "nothing is changed" in err  # the officer's trust would sign it


def test_a_key_recorded_as_the_desks_own_admits_nothing(capsys, rccs: Rccs) -> None:
    """The desk takes its own packages coming back: the attacker records their key as its."""
    r = rccs
    _b_has_the_case(capsys, r)
    mallory = Ed25519PrivateKey.generate()
    tamper(r.b, f"UPDATE desk_meta SET value = '{base64.b64encode(_raw(mallory)).decode()}'"
                " WHERE key = 'public_key'")  # fmt: skip
    package = r.tmp / "evil.sarpkg"
    package.write_bytes(_evil_package(capsys, r, mallory, {"id": "MRCC-FALMOUTH"}))
    code, _, err = run(capsys, *r.on_b("handover", "import", str(package)))
    assert code == 1 and "trust list" in err, err
    assert not _stand_down_imported(capsys, r)


def test_the_trust_changes_only_with_the_desks_key(capsys, rccs: Rccs) -> None:
    """Without the key at hand (another account, a viewer's copy): refused in one line,
    nothing changed, the desk clean; with it, the change is signed."""
    r = rccs
    raw = _raw(Ed25519PrivateKey.generate())
    brest = PeerKey(Rcc("MRCC-BREST"), base64.b64encode(raw).decode(), fingerprint(raw))
    with Desk.open(r.b) as desk:  # no key at hand
        before = desk.trust.peers()
        with pytest.raises(TrustError, match="not at hand") as refused:
            desk.trust.trust(brest, author="op")
        assert "\n" not in str(refused.value) and desk.trust.peers() == before
    assert run(capsys, *r.on_b("db", "check"))[0] == 0
    with Desk.open(r.b) as desk:
        assert attach_checkpoint_signer(desk, r.keys_b) is not None
        desk.trust.trust(brest, author="op")
    code, out, err = run(capsys, *r.on_b("db", "check"))
    assert code == 0, out + err
    shown = json.loads(ok(capsys, *r.on_b("keys", "show", "--json")))
    assert shown["trust_signature"].startswith("signed by the desk's key at checkpoint ")


def test_a_desk_whose_trust_was_never_signed_has_it_signed_on_opening_with_its_key(
    desk_path, signer: KeySigner
) -> None:
    """A desk made before this (its trust in no checkpoint) keeps working: its trust is signed
    the first time it is opened with its key, and from then on it is held to it."""
    raw = _raw(Ed25519PrivateKey.generate())
    with Desk.open(desk_path) as desk:
        desk.trust.set_public_key(b64(signer.raw_public_key))
        desk.trust.trust(PeerKey(Rcc("MRCC-BREST"), b64(raw), fingerprint(raw)), author="op")
        assert desk.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0] == 0
    with Desk.open(desk_path, signer=signer) as desk:
        (body,) = [row[0] for row in desk.conn.execute("SELECT body FROM checkpoints")]
        assert '"trust":"' in body
        assert desk.check().ok
    tamper(desk_path, "UPDATE trusted_keys SET rcc_id = 'MRCC-ETEL'")
    with Desk.open(desk_path, signer=signer) as desk:
        with pytest.raises(TrustError, match="changed outside sarapp"):
            desk.trust.check_intact()
        assert not desk.check().ok


def test_the_http_inbox_takes_nothing_while_the_trust_list_is_not_the_signed_one(
    capsys, rccs: Rccs
) -> None:
    from .test_inbox_http import serving

    r = rccs
    mallory = Ed25519PrivateKey.generate()
    raw = _raw(mallory)
    _slip_in(r, raw)
    package = _evil_package(capsys, r, mallory, {"id": "MRCC-GRIS-NEZ"})
    before = dump(r.b)
    with serving(r, import_packages=True) as (url, _):
        answer = requests.post(url, data=package, timeout=30)
    assert answer.status_code == 503 and "changed outside sarapp" in answer.json()["error"]
    assert dump(r.b) == before
    assert not (r.tmp / "inbox-b").exists() or not list((r.tmp / "inbox-b").iterdir())


def test_the_watched_folder_leaves_the_packages_where_they_are(capsys, rccs: Rccs) -> None:
    """The files are not at fault: they are not moved to refused/ one by one, the watch
    stops with the one line that says why."""
    r = rccs
    drop = r.tmp / "drop"
    drop.mkdir()
    (drop / "a.sarpkg").write_bytes(send_a_to_b(capsys, r, "a.sarpkg").read_bytes())
    _slip_in(r, _raw(Ed25519PrivateKey.generate()))
    code, _, err = run(capsys, *r.on_b("inbox", "watch", str(drop), "--once"))
    assert code == 1 and "changed outside sarapp" in err and len(err.splitlines()) == 1
    assert [p.name for p in drop.iterdir()] == ["a.sarpkg"]


def test_every_checkpoint_carries_the_last_signed_trust(desk_path, signer: KeySigner) -> None:
    """So the check reads one checkpoint, not the chain back to the last trust change; and a
    trust changed behind the desk's back is not carried (the signed one is)."""
    from sarapp.store.checkpoints import carried_trust
    from sarapp.store.trust_seal import trust_digest

    raw = _raw(Ed25519PrivateKey.generate())
    with Desk.open(desk_path, signer=signer) as desk:
        desk.trust.set_public_key(b64(signer.raw_public_key))
        desk.trust.trust(PeerKey(Rcc("MRCC-BREST"), b64(raw), fingerprint(raw)), author="op")
        signed = trust_digest(desk.conn)
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op").cases
        last = desk.conn.execute("SELECT body FROM checkpoints ORDER BY seq DESC").fetchone()[0]
        assert carried_trust(last) == signed
    tamper(desk_path, "UPDATE trusted_keys SET rcc_id = 'MRCC-ETEL'")
    with Desk.open(desk_path, signer=signer) as desk:
        desk.log.append(case_id, "Lifeboat on scene", author="op")
        last = desk.conn.execute("SELECT body FROM checkpoints ORDER BY seq DESC").fetchone()[0]
        assert carried_trust(last) == signed != trust_digest(desk.conn)
        assert any("changed outside sarapp" in p for p in desk.check().problems)
