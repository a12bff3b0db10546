"""The desk's own identity and its trust list: who this desk is, and whose packages it takes.

``desk_meta`` holds the desk id (a UUID, made the first time it is needed), the RCC the desk
signs as and its public key. The private key never enters the database: a thief of the desk
file must not get the key with it (``sarapp.exchange.keyring`` keeps it in the user's folder,
keyed by the desk id). ``trusted_keys`` is the trust list: one key per peer RCC, with who
trusted it and when. Both travel with the desk file, so a copy of the desk keeps its trust.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.chain import time_text
from sarapp.model import Changes, PeerKey, Rcc, new_id, utc_now
from sarapp.model_exchange import DeskIdentity
from sarapp.store.errors import TrustError

if TYPE_CHECKING:
    from sarapp.store.backend import Values
    from sarapp.store.desk import Desk

DESK_ID = "desk_id"
RCC_ID = "rcc_id"
RCC_NAME = "rcc_name"
RCC_COUNTRY = "rcc_country"
PUBLIC_KEY = "public_key"  # base64 of the desk's 32-byte Ed25519 public key


class Trust:
    """Held by the desk as ``desk.trust``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    # --- this desk ---------------------------------------------------------------------

    def desk_id(self) -> str:
        """The desk's stable id, made (and kept) on first use."""
        found = self._meta(DESK_ID)
        if found:
            return found
        with self._desk.transaction():
            found = self._meta(DESK_ID)
            if not found:
                found = new_id()
                self._set_meta(DESK_ID, found)
        return found

    def identity(self) -> DeskIdentity:
        return DeskIdentity(self.desk_id(), self.rcc(), self._meta(PUBLIC_KEY))

    def rcc(self) -> Rcc | None:
        """The RCC this desk signs as, None until it is set (reads only)."""
        rcc_id = self._meta(RCC_ID)
        if not rcc_id:
            return None
        return Rcc(rcc_id, self._meta(RCC_NAME) or "", self._meta(RCC_COUNTRY) or "")

    def set_rcc(self, rcc: Rcc) -> Changes:
        """Name the RCC this desk signs as (its id is what packages and peers know it by)."""
        if not rcc.id.strip():
            raise TrustError("an RCC needs an id (e.g. MRCC-ETEL)")
        if self.rcc() == Rcc(rcc.id.strip(), rcc.name.strip(), rcc.country.strip().upper()):
            return Changes()  # as it is: nothing to sign again
        with self._desk.transaction():
            self._desk.checkpoints.trust_changed()
            self._set_meta(RCC_ID, rcc.id.strip())
            self._set_meta(RCC_NAME, rcc.name.strip())
            self._set_meta(RCC_COUNTRY, rcc.country.strip().upper())
            return self._desk.announce(Changes(trust=True))

    def set_public_key(self, public_key: str, *, replace: bool = False) -> Changes:
        """Record the desk's public key, once: a desk that has one never silently gets another
        (a lost private key is restored from a backup; ``replace`` only on explicit request)."""
        with self._desk.transaction():
            known = self._meta(PUBLIC_KEY)
            if known == public_key:
                return Changes()
            if known and not replace:
                raise TrustError("this desk already has a signing key; it is not replaced")
            self._desk.checkpoints.trust_changed()
            self._set_meta(PUBLIC_KEY, public_key)
            return self._desk.announce(Changes(trust=True))

    def record_public_key(self, public_key: str) -> None:
        """Inside the transaction of a key's hand-over (``Desk.replace_signer``), which signs
        the trust with the new key itself."""
        self._set_meta(PUBLIC_KEY, public_key)
        self._desk.announce(Changes(trust=True))

    def seal_state(self) -> str:
        """One line on the trust's signature, for ``keys show``: when the desk's key last
        signed it, that it was never signed, or what differs."""
        from sarapp.store.trust_seal import last_signed, trust_problem

        if self._desk.checkpoints.shared:
            return "a server desk: its trust list is guarded by the database's roles"
        problem = trust_problem(self._desk.backend, self._desk.checkpoints.desk_key())
        if problem is not None:
            return f"NOT AS SIGNED: {problem}"
        signed = last_signed(self._desk.backend)
        if signed is None:
            return "not signed yet (signed when the desk is next opened with its key)"
        return f"signed by the desk's key at checkpoint {signed[0]}"

    def check_intact(self, refused: str = "no package is imported") -> None:
        """Raise TrustError when the trust as it stands is not what the desk's key last
        signed (``sarapp.store.trust_seal``): no package may be admitted by it. ``refused``
        says what does not happen meanwhile."""
        from sarapp.store.trust_seal import trust_problem

        if self._desk.checkpoints.shared:
            return  # a server desk: its roles guard the trust list
        problem = trust_problem(self._desk.backend, self._desk.checkpoints.desk_key())
        if problem is not None:
            raise TrustError(
                f"{problem}; {refused} until the desk is restored from a backup "
                "(sarapp db check names what differs)"
            )

    # --- the trust list ----------------------------------------------------------------

    def peers(self) -> list[PeerKey]:
        """The trust list, in the order keys were added."""
        cursor = self._desk.backend.execute(
            "SELECT rcc_id, rcc_name, rcc_country, public_key, fingerprint, added, added_by"
            " FROM trusted_keys ORDER BY added, rowid"
        )
        return [_peer(row, self._desk.values) for row in cursor]

    def peer(self, public_key: str) -> PeerKey | None:
        """The trust list's record of this key (base64), or None when it is not trusted."""
        row = self._desk.backend.execute(
            "SELECT rcc_id, rcc_name, rcc_country, public_key, fingerprint, added, added_by"
            " FROM trusted_keys WHERE public_key = ?",
            (public_key,),
        ).fetchone()
        return _peer(row, self._desk.values) if row else None

    def trust(
        self, peer: PeerKey, *, author: str, time: datetime | None = None
    ) -> tuple[PeerKey, Changes]:
        """Add a peer's key to the trust list; it replaces the key held for the same RCC id
        (a peer's new key) and any record of the same key under another RCC."""
        if not peer.rcc.id.strip():
            raise TrustError("a trusted key needs the id of its RCC")
        if not author.strip():
            raise TrustError("say who trusts the key (the operator's name)")
        held = self.peer(peer.public_key)
        if held is not None and (held.rcc, held.fingerprint) == (peer.rcc, peer.fingerprint):
            return held, Changes()  # trusted already, as it is: one record, nothing to sign
        when = time or utc_now()
        added = PeerKey(
            peer.rcc, peer.public_key, peer.fingerprint, time_text(when), author.strip()
        )
        with self._desk.transaction():
            self._desk.checkpoints.trust_changed()
            self._desk.backend.execute(
                "DELETE FROM trusted_keys WHERE rcc_id = ? OR public_key = ? OR fingerprint = ?",
                (peer.rcc.id, peer.public_key, peer.fingerprint),
            )
            self._desk.backend.execute(
                "INSERT INTO trusted_keys (fingerprint, public_key, rcc_id, rcc_name,"
                " rcc_country, added, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (added.fingerprint, added.public_key, added.rcc.id, added.rcc.name,
                 added.rcc.country, self._desk.values.time(when), added.added_by),
            )  # fmt: skip
            return added, self._desk.announce(Changes(trust=True))

    # --- desk_meta ---------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self._desk.backend.execute(
            "SELECT value FROM desk_meta WHERE key = ?", (key,)
        ).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._desk.backend.execute(
            "INSERT INTO desk_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _peer(row: tuple[Any, ...], values: Values) -> PeerKey:
    """``added`` as ISO 8601 UTC text (``PeerKey``'s), whatever form the backend keeps it in."""
    added = time_text(values.read_time(row[5]))
    return PeerKey(Rcc(row[0], row[1], row[2]), row[3], row[4], added, row[6])


__all__ = ["Trust"]
