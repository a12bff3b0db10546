"""The desk's own identity and its trust list: who this desk is, and whose packages it takes.

``desk_meta`` holds the desk id (a UUID, made the first time it is needed), the RCC the desk
signs as and its public key. The private key never enters the database: a thief of the desk
file must not get the key with it (``sarapp.exchange.keyring`` keeps it in the user's folder,
keyed by the desk id). ``trusted_keys`` is the trust list: one key per peer RCC, with who
trusted it and when. Both travel with the desk file, so a copy of the desk keeps its trust.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sarapp.errors import SarappError
from sarapp.model import Changes, PeerKey, Rcc, new_id, utc_now
from sarapp.store import rows

DESK_ID = "desk_id"
RCC_ID = "rcc_id"
RCC_NAME = "rcc_name"
RCC_COUNTRY = "rcc_country"
PUBLIC_KEY = "public_key"  # base64 of the desk's 32-byte Ed25519 public key


class TrustError(SarappError, ValueError):
    """The desk's identity or trust list cannot be changed as asked; the message says why."""


@dataclass(frozen=True)
class DeskIdentity:
    """Who this desk is: its id, the RCC it signs as (None until set) and its public key
    (base64; None until the desk first needs a key)."""

    desk_id: str
    rcc: Rcc | None
    public_key: str | None


@dataclass(frozen=True)
class LastPackage:
    """The newest package received from a peer for a case (``created`` as its header says)."""

    package_id: str
    created: datetime


class TrustStore:
    """Mixed into Store: needs ``conn`` and ``transaction()``."""

    conn: sqlite3.Connection

    # --- this desk ---------------------------------------------------------------------

    def desk_id(self) -> str:
        """The desk's stable id, made (and kept) on first use."""
        found = self._meta(DESK_ID)
        if found:
            return found
        with self.transaction():  # type: ignore[attr-defined]
            found = self._meta(DESK_ID)
            if not found:
                found = new_id()
                self._set_meta(DESK_ID, found)
        return found

    def desk_identity(self) -> DeskIdentity:
        rcc_id = self._meta(RCC_ID)
        rcc = (
            Rcc(rcc_id, self._meta(RCC_NAME) or "", self._meta(RCC_COUNTRY) or "")
            if rcc_id
            else None
        )
        return DeskIdentity(self.desk_id(), rcc, self._meta(PUBLIC_KEY))

    def set_desk_rcc(self, rcc: Rcc) -> Changes:
        """Name the RCC this desk signs as (its id is what packages and peers know it by)."""
        if not rcc.id.strip():
            raise TrustError("an RCC needs an id (e.g. MRCC-ETEL)")
        with self.transaction():  # type: ignore[attr-defined]
            self._set_meta(RCC_ID, rcc.id.strip())
            self._set_meta(RCC_NAME, rcc.name.strip())
            self._set_meta(RCC_COUNTRY, rcc.country.strip().upper())
        return Changes(trust=True)

    def set_desk_public_key(self, public_key: str, *, replace: bool = False) -> Changes:
        """Record the desk's public key, once: a desk that has one never silently gets another
        (a lost private key is restored from a backup; ``replace`` only on explicit request)."""
        with self.transaction():  # type: ignore[attr-defined]
            known = self._meta(PUBLIC_KEY)
            if known and known != public_key and not replace:
                raise TrustError("this desk already has a signing key; it is not replaced")
            self._set_meta(PUBLIC_KEY, public_key)
        return Changes(trust=True)

    # --- the trust list ----------------------------------------------------------------

    def trusted_keys(self) -> list[PeerKey]:
        """The trust list, in the order keys were added."""
        cursor = self.conn.execute(
            "SELECT rcc_id, rcc_name, rcc_country, public_key, fingerprint, added, added_by"
            " FROM trusted_keys ORDER BY added, rowid"
        )
        return [_peer(row) for row in cursor]

    def trusted_key(self, public_key: str) -> PeerKey | None:
        """The trust list's record of this key (base64), or None when it is not trusted."""
        row = self.conn.execute(
            "SELECT rcc_id, rcc_name, rcc_country, public_key, fingerprint, added, added_by"
            " FROM trusted_keys WHERE public_key = ?",
            (public_key,),
        ).fetchone()
        return _peer(row) if row else None

    def trust_key(
        self, peer: PeerKey, *, author: str, time: datetime | None = None
    ) -> tuple[PeerKey, Changes]:
        """Add a peer's key to the trust list; it replaces the key held for the same RCC id
        (a peer's new key) and any record of the same key under another RCC."""
        if not peer.rcc.id.strip():
            raise TrustError("a trusted key needs the id of its RCC")
        if not author.strip():
            raise TrustError("say who trusts the key (the operator's name)")
        added = PeerKey(
            peer.rcc,
            peer.public_key,
            peer.fingerprint,
            rows.time_to_text(time or utc_now()),
            author.strip(),
        )
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.execute(
                "DELETE FROM trusted_keys WHERE rcc_id = ? OR public_key = ? OR fingerprint = ?",
                (peer.rcc.id, peer.public_key, peer.fingerprint),
            )
            self.conn.execute(
                "INSERT INTO trusted_keys (fingerprint, public_key, rcc_id, rcc_name,"
                " rcc_country, added, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (added.fingerprint, added.public_key, added.rcc.id, added.rcc.name,
                 added.rcc.country, added.added, added.added_by),
            )  # fmt: skip
        return added, Changes(trust=True)

    # --- replay ------------------------------------------------------------------------

    def last_package_from(self, case_id: str, peer_rcc: str) -> LastPackage | None:
        """The newest package (by its header's creation time) received from ``peer_rcc``
        for the case; None if none was, or none recorded its creation time."""
        row = self.conn.execute(
            "SELECT id, created FROM packages WHERE direction = 'received' AND case_id = ?"
            " AND peer_rcc = ? AND created IS NOT NULL ORDER BY created DESC LIMIT 1",
            (case_id, peer_rcc),
        ).fetchone()
        return LastPackage(row[0], rows.time_from_text(row[1])) if row else None

    def known_entry_ids(self, ids: list[str]) -> set[str]:
        """Which of these log entry ids this desk already holds (in any case)."""
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            cursor = self.conn.execute(f"SELECT id FROM log_entries WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in cursor)
        return found

    # --- desk_meta ---------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM desk_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO desk_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _peer(row: tuple) -> PeerKey:
    return PeerKey(Rcc(row[0], row[1], row[2]), row[3], row[4], row[5], row[6])


__all__ = ["DeskIdentity", "LastPackage", "TrustError", "TrustStore"]
