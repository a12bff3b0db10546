"""Who may write to this desk: the checks a package passes before its merge is planned.

``admit`` runs at the entry of every import (``handover import``, the watched folder, the HTTP
inbox, the app), in this order:

1. the signature verifies (``ReadPackage.require_valid``);
2. the signing key is in this desk's trust list, or is the desk's own key — otherwise
   ``UntrustedSigner``: the caller keeps the package aside in quarantine and writes nothing;
3. the header's sender is the RCC the key is trusted for (a trusted key of RCC A signing a
   package "from RCC B" is refused);
4. every coordination record the package adds to this desk was made by the RCC that signed
   it (``coordinating``/``accepted``/``declined`` name it; a ``proposed`` one is made by
   whoever coordinated at that point of the log);
5. the package is not older than one already imported from the same peer for the same case
   (a replay: it changes nothing, and says so).

The trust list is read from the desk here, whatever status the reader printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.exchange.case_checkpoint import genuine
from sarapp.exchange.errors import PackageError
from sarapp.exchange.keys import decode_public_key, fingerprint
from sarapp.exchange.reader import ReadPackage
from sarapp.exchange.wire import time_from_wire
from sarapp.model import PeerKey, Rcc
from sarapp.model_exchange import COORDINATION_EVENTS, COORDINATION_KEY, LastPackage
from sarapp.store import Desk


class UntrustedSigner(PackageError):
    """A package whose signature verifies, by a key this desk does not trust: quarantined."""

    def __init__(self, read: ReadPackage) -> None:
        self.package_id: str = read.header["package_id"]
        self.fingerprint: str = read.signature.fingerprint
        self.public_key: str = read.public_key
        self.claimed: Rcc = read.claimed_sender
        super().__init__(
            f"package {self.package_id} is signed by a key this desk does not trust "
            f"(fingerprint {self.fingerprint}), claiming to come from {self.claimed.id}"
        )


@dataclass(frozen=True)
class Admission:
    """A package this desk takes: who signed it, and the newer package it would replay."""

    signer: Rcc
    own: bool  # signed by this desk's own key (its package coming back)
    replay_of: LastPackage | None = None


def admit(store: Desk, read: ReadPackage) -> Admission:
    """Check a read package against this desk (see the module docstring); raises
    ``UntrustedSigner`` (quarantine it) or ``PackageError`` (refused), writes nothing; a
    trust list changed outside sarapp admits nothing (``TrustError``)."""
    read.require_valid()
    store.trust.check_intact()
    peer, own = _trusted(store, read.public_key)
    if peer is None:
        raise UntrustedSigner(read)
    claimed = read.claimed_sender
    if claimed.id != peer.rcc.id:
        raise PackageError(
            f"package refused: it says it is from {claimed.id}, but it is signed by the key "
            f"this desk trusts as {peer.rcc.id} (fingerprint {peer.fingerprint})"
        )
    _check_coordination(store, read.body["log"], peer.rcc.id)
    header = read.header
    last = store.packages.last_from(header["case_id"], peer.rcc.id)
    created = time_from_wire(header["created"])
    replay = last if last and last.package_id != header["package_id"] else None
    if replay is not None and created >= replay.created:
        replay = None
    return Admission(peer.rcc, own, replay or _newer_in_the_log(store, read))


def _newer_in_the_log(store: Desk, read: ReadPackage) -> LastPackage | None:
    """A package from the same key for the case that the signed log's import notes kept,
    whose checkpoint is newer than this package's: the replay check of the packages table
    again, from what an intruder cannot empty without it showing (the table can be)."""
    checkpoint = read.body.get("checkpoint")
    if not isinstance(checkpoint, dict):
        return None
    mine = time_from_wire(checkpoint["time"])  # verified with the package
    later: tuple[datetime, str] | None = None
    for package_id, kept in store.packages.kept_checkpoints(
        read.header["case_id"], read.public_key
    ):
        if package_id == read.header["package_id"] or not genuine([kept]):
            continue
        try:
            when = time_from_wire(kept["time"])
        except (PackageError, KeyError, TypeError, ValueError):
            continue  # not a time: it vouches for nothing
        if when > mine and (later is None or when > later[0]):
            later = (when, package_id)
    return LastPackage(later[1], later[0]) if later else None


def _trusted(store: Desk, public_key: str) -> tuple[PeerKey | None, bool]:
    identity = store.trust.identity()
    if identity.public_key == public_key and identity.rcc is not None:
        print_ = fingerprint(decode_public_key(public_key))
        return PeerKey(identity.rcc, public_key, print_), True
    return store.trust.peer(public_key), False


def _check_coordination(store: Desk, log: list[dict[str, Any]], signer: str) -> None:
    records = [
        (entry, entry["data"][COORDINATION_KEY])
        for entry in log
        if isinstance(entry.get("data"), dict)
        and isinstance(entry["data"].get(COORDINATION_KEY), dict)
        and entry["data"][COORDINATION_KEY].get("event") in COORDINATION_EVENTS
    ]
    if not records:
        return
    known = store.log.known_ids([entry["id"] for entry, _ in records])
    coordinating = None  # who coordinates, as the package's own records say, entry by entry
    for entry, record in records:
        event, rcc = record["event"], record.get("rcc_id")
        made_by = coordinating if event == "proposed" else rcc
        if entry["id"] not in known and made_by != signer:
            raise PackageError(
                f"package refused: log entry {entry['id']} records coordination {event} "
                f"naming {rcc}, but the package is signed by {signer}, who cannot make that "
                "record"
            )
        if event in ("coordinating", "accepted"):
            coordinating = rcc


__all__ = ["Admission", "UntrustedSigner", "admit"]
