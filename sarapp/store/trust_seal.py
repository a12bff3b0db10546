"""The desk's trust — its own key and RCC, and the keys it trusts — under its signature.

A package is admitted by the trust list, so whoever can write to the desk file could make
their own key trusted (or record their key as the desk's own) with one SQL statement, and
their packages would be taken. On a desk file, every change of this trust through sarapp
writes a checkpoint (``CheckpointKeeper``) whose signed body carries the digest of the trust
as it became (``"trust"``); the checkpoints are chained, append-only and mirrored. Before a
package is admitted, and in ``db check``, the trust as it stands is compared with the last
digest the desk's key signed: a difference means it was changed outside sarapp, and no
package is taken until the desk is restored (a change through sarapp is refused too, so the
officer's next trust does not sign the intruder's row).

A desk whose trust was never signed (made before this, or never opened with its key) has its
trust signed once, the first time it is opened with the key. A server desk is not covered:
its checkpoints are signed by each desk computer's own key, and its trust list is guarded by
the database's roles (``docs/multi-desk.md``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sarapp.store.checkpoints import TRUST_FIELD, carried_trust

OWN_KEYS = ("public_key", "rcc_id", "rcc_name", "rcc_country")  # desk_meta keys covered
_OWN = f"key IN ({', '.join('?' * len(OWN_KEYS))})"
SIGNED_TRUST = f"%{TRUST_FIELD}%"  # a checkpoint body that carries the trust's digest


def trust_digest(conn: Any) -> str:
    """SHA-256 of the trust in one canonical form: the desk's own key and RCC, and every
    trusted key with its RCC (not who added it or when: those are the log's business)."""
    meta = dict(
        conn.execute(
            f"SELECT key, value FROM desk_meta WHERE {_OWN}",
            OWN_KEYS,
        ).fetchall()
    )
    trusted = sorted(
        [list(row) for row in conn.execute(
            "SELECT public_key, fingerprint, rcc_id, rcc_name, rcc_country FROM trusted_keys"
        ).fetchall()]
    )  # fmt: skip
    content = {"own": [meta.get(k) or "" for k in OWN_KEYS], "trusted": trusted}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def has_trust(conn: Any) -> bool:
    """Whether there is any trust to sign: an own key or RCC, or a trusted key."""
    own = conn.execute(
        f"SELECT 1 FROM desk_meta WHERE {_OWN} AND value <> '' LIMIT 1",
        OWN_KEYS,
    ).fetchone()
    return (
        own is not None or conn.execute("SELECT 1 FROM trusted_keys LIMIT 1").fetchone() is not None
    )


def last_signed(conn: Any) -> tuple[int, str, str, str] | None:
    """The last checkpoint that signed the trust: (seq, body, public key, signature). Every
    checkpoint carries the last trust forward (``checkpoints.seal``), so that is the last
    one; the search back is for a desk whose last checkpoint an older sarapp wrote."""
    last = conn.execute(
        "SELECT seq, body, public_key, signature FROM checkpoints ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    if last is None or carried_trust(last[1]) is not None:
        return tuple(last) if last else None
    row = conn.execute(
        "SELECT seq, body, public_key, signature FROM checkpoints WHERE body LIKE ?"
        " ORDER BY seq DESC LIMIT 1",
        (SIGNED_TRUST,),
    ).fetchone()
    return tuple(row) if row else None


def trust_problem(conn: Any, desk_key: str | None) -> str | None:
    """Why the trust as it stands is not the trust the desk's key last signed, or None (also
    when it was never signed). ``desk_key``: the desk's public key (base64), the signer's
    when it is at hand, else the one the desk records."""
    signed = last_signed(conn)
    if signed is None:
        return None
    seq, body, public_key, signature = signed
    where = f"checkpoint {seq}"
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), body.encode("utf-8"))
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return f"the desk's trust list: {where}, which signed it, does not verify"
    if desk_key is not None and public_key != desk_key:
        return (
            f"the desk's trust list was last signed by key {public_key[:12]}… ({where}), not "
            f"by this desk's key {desk_key[:12]}…"
        )
    if carried_trust(body) != trust_digest(conn):
        return (
            f"the desk's trust list (its own key, its RCC or a trusted key) differs from the "
            f"one its key signed at {where}: changed outside sarapp"
        )
    return None


__all__ = ["has_trust", "last_signed", "trust_digest", "trust_problem"]
