"""Sync files on the desk side: ``sarapp sync export`` writes what a sync over the link would
send to a peer, ``sarapp sync import`` takes one in. Only trusted desks' files change a desk.

Export sends, for each case the desk gave the peer (it is the peer's centre) or synced with it
before, the entries the peer has not acknowledged (``--full``: every entry), and says how far
this desk holds the peer's logs. Nothing the peer acknowledged is sent again, and a file that
never arrives is made good by the next one, which still carries what that one did.

Import checks the file (``sarapp.exchange.sync_bundle``), then who may write what: the signing
key must be in this desk's trust list under the RCC id the file names as its sender, the file
must be addressed to this desk, and each case must be one this desk gave the sender (the
sender is its laptop) or one the sender gives it (the sender is its centre); any other case of
the file is refused and named, the rest taken. Each case goes in one transaction with its
marks (``sarapp.exchange.sync_apply``), so an import cut short is completed by importing the
file again, and a file imported twice changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sarapp.exchange.apply import package_digest
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import ExchangeError, PackageError, SyncError
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import SignatureStatus, package_file_bytes
from sarapp.exchange.sync_apply import Carrier, known_case, take_delta
from sarapp.exchange.sync_bundle import Ack, Bundle, build_bundle, bundle_bytes, read_bundle
from sarapp.exchange.sync_delta import Delta, case_delta, record_disclosure
from sarapp.model import CaseId, new_id, utc_now
from sarapp.model_exchange import PackageRecord
from sarapp.model_sync import CaseSync, SyncMark, SyncPeer
from sarapp.store import CaseError, Desk

FILE_PURPOSE = "sync-file"  # the packages table's record of a sync file sent or received


@dataclass(frozen=True)
class SyncFileImport:
    """What importing a sync file did: per case, and the cases refused (not given)."""

    bundle: Bundle
    cases: tuple[CaseSync, ...] = ()
    refused: tuple[str, ...] = ()
    already_imported: bool = False


def export_sync(
    store: Desk,
    *,
    to: str,
    keys: DeskKeys,
    cases: Sequence[str] = (),
    full: bool = False,
    created: datetime | None = None,
    author: str = "desk",
) -> dict[str, Any]:
    """The signed sync file for peer ``to`` (its RCC id), recorded as sent (and the personal
    data it carries as disclosed by ``author``)."""
    rcc = keys.require_rcc()
    own = store.trust.desk_id()
    peer = store.sync.peer_named(to)
    given = store.sync.given(to)
    scope = _scope(store, to, peer, given, cases)
    deltas, acks = [], []
    for case_id in scope:
        mark = store.sync.mark(peer.desk_id, case_id) if peer else SyncMark("", case_id)
        acks.append(Ack(case_id, mark.received_seq, mark.received_cut))
        sent = SyncMark(mark.peer, case_id) if full else mark
        pending = store.sync.pending(sent, own_desk=own)
        delta = case_delta(store, case_id, pending, base_seq=sent.acked_seq,
                           cut_seq=store.sync.head(case_id), cut_time=store.clock(),
                           peer_cut=sent.acked_cut, sender=rcc)  # fmt: skip
        if delta is not None:
            deltas.append(delta)
    bundle_id = new_id()
    document = build_bundle(
        bundle_id=bundle_id, keys=keys, sender_desk=own, to=to,
        to_desk=peer.desk_id if peer else None, acks=acks, given=given, deltas=deltas,
        created=created or utc_now(),
    )  # fmt: skip
    _record_sent(store, document, peer, deltas, author)
    return document


def write_sync_file(path: Path, document: dict[str, Any]) -> int:
    """Write the sync file atomically, owner-only (0600); its size in bytes."""
    content = bundle_bytes(document)
    try:
        write_atomic(Path(path), content)
    except OSError as exc:
        raise ExchangeError(f"cannot write the sync file {path}: {exc.strerror or exc}") from None
    return len(content)


def read_sync_file(store: Desk, path: Path) -> Bundle:
    """Read and verify a sync file against this desk's trust list (PackageError if refused)."""
    return read_bundle(package_file_bytes(Path(path)), trust=desk_trust(store))


def import_sync_file(store: Desk, path: Path, *, author: str) -> SyncFileImport:
    """Take a sync file in (see the module docstring); nothing is written if it is refused."""
    bundle = read_sync_file(store, path)
    _admit(store, bundle)
    known = store.packages.get(bundle.bundle_id)
    digest = package_digest(bundle.document or {})
    if known is not None:
        if known.digest != digest:
            raise PackageError(f"another file with id {bundle.bundle_id} was taken in here")
        return SyncFileImport(bundle, already_imported=True)
    own = store.trust.desk_id()
    peer = SyncPeer(bundle.sender_desk, bundle.sender.id, Path(path).name)
    allowed = set(store.sync.given(bundle.sender.id)) | set(bundle.given)
    acks = {a.case_id: a for a in bundle.acks}
    taken, refused = [], []
    fingerprint = bundle.signature.fingerprint if bundle.signature else ""
    for delta in bundle.deltas:
        if delta.case_id not in allowed:
            refused.append(delta.case_id)
            continue
        ack = acks.get(delta.case_id)
        carrier = Carrier(
            str(uuid.uuid5(uuid.UUID(bundle.bundle_id), delta.case_id)),
            f"sync file {bundle.bundle_id}",
            SignatureStatus.VALID_TRUSTED.value,
            fingerprint,
        )
        taken.append(take_delta(
            store, delta, peer=peer, own_desk=own, ack_at_cut=ack.received_seq if ack else 0,
            peer_holds=(ack.received_seq, ack.received_cut) if ack else None, author=author,
            carrier=carrier))  # fmt: skip
    sent = {d.case_id for d in bundle.deltas}
    with store.transaction():
        store.sync.note_peer(replace(peer, last_sync=utc_now()))
        for ack in bundle.acks:
            if (
                ack.case_id not in sent
                and ack.case_id in allowed
                and known_case(store, ack.case_id)
            ):
                _acknowledge(store, peer.desk_id, ack)
        store.packages.record(_record(bundle, "received", bundle.sender.id, digest, fingerprint))
    return SyncFileImport(bundle, tuple(taken), tuple(refused))


def _admit(store: Desk, bundle: Bundle) -> None:
    """The file's signer must be trusted here under the RCC id it names, not this desk
    itself, and the file addressed to this desk."""
    signature = bundle.signature
    identity = store.trust.identity()
    if signature is None or signature.status is not SignatureStatus.VALID_TRUSTED:
        reason = signature.reason if signature else "unsigned"
        raise PackageError(
            f"sync file {bundle.bundle_id} from {bundle.sender.id} is not from a desk this desk "
            f"trusts ({reason}; fingerprint {signature.fingerprint if signature else '-'}): "
            "check the fingerprint with its team by another channel, then 'sarapp keys trust'"
        )
    if bundle.sender_desk == identity.desk_id:
        raise PackageError("this sync file was written by this desk: take it to the other desk")
    if signature.signer is None or signature.signer.id != bundle.sender.id:
        raise PackageError(
            f"sync file refused: it says it is from {bundle.sender.id}, but its key is trusted "
            f"here as {signature.signer.id if signature.signer else 'no one'}"
        )
    own_name = identity.rcc.id if identity.rcc else ""
    if bundle.to_desk is not None and bundle.to_desk != identity.desk_id:
        raise PackageError(
            f"sync file refused: it is for another desk ({bundle.to}, desk {bundle.to_desk})"
        )
    if bundle.to_desk is None and bundle.to != own_name:
        raise PackageError(f"sync file refused: it is for {bundle.to}, this desk is {own_name}")


def _scope(store: Desk, to: str, peer: SyncPeer | None, given: list[CaseId],
           refs: Sequence[str]) -> list[CaseId]:  # fmt: skip
    carried = [m.case_id for m in store.sync.marks(peer.desk_id)] if peer else []
    scope = list(dict.fromkeys([*given, *carried]))
    if not scope:
        raise SyncError(
            f"nothing to send to {to}: no case is given to it here (sarapp sync give), and "
            "none was synced with it"
        )
    if not refs:
        return scope
    chosen = []
    for ref in refs:
        try:
            case_id = store.cases.resolve(ref)
        except CaseError as exc:
            raise SyncError(str(exc)) from None
        if case_id not in scope:
            raise SyncError(f"case {ref} is neither given to {to} nor synced with it")
        chosen.append(case_id)
    return list(dict.fromkeys(chosen))


def _record_sent(store: Desk, document: dict[str, Any], peer: SyncPeer | None,
                 deltas: list[Delta], author: str) -> None:  # fmt: skip
    """Note the file as sent, and how far each case's log went in it."""
    header = document["header"]
    with store.transaction():
        if peer is not None:
            for delta in deltas:
                mark = store.sync.mark(peer.desk_id, delta.case_id)
                if delta.cut_seq > mark.sent_seq:
                    store.sync.save_mark(replace(mark, sent_seq=delta.cut_seq))
        store.packages.record(
            _record_header(header, "sent", header["to"]["id"], package_digest(document))
        )
        recipient = f"{header['to']['id']} (sync file {header['bundle_id']})"
        for delta in deltas:
            record_disclosure(store, delta, kind="export", recipient=recipient, author=author)


def _acknowledge(store: Desk, peer: str, ack: Ack) -> None:
    mark = store.sync.mark(peer, ack.case_id)
    if ack.received_seq > mark.acked_seq:
        moved = replace(mark, acked_seq=ack.received_seq, acked_cut=ack.received_cut)
        store.sync.save_mark(replace(moved, ranges=moved.with_ranges(())))


def _record(bundle: Bundle, direction: str, peer: str, digest: str, fingerprint: str
            ) -> PackageRecord:  # fmt: skip
    return PackageRecord(bundle.bundle_id, direction, None, FILE_PURPOSE, peer, fingerprint,
                         SignatureStatus.VALID_TRUSTED.value, digest, utc_now(),
                         created=None)  # fmt: skip


def _record_header(header: dict[str, Any], direction: str, peer: str, digest: str
                   ) -> PackageRecord:  # fmt: skip
    return PackageRecord(header["bundle_id"], direction, None, FILE_PURPOSE, peer, "",
                         "", digest, utc_now(), created=None)  # fmt: skip


__all__ = [
    "FILE_PURPOSE",
    "SyncFileImport",
    "export_sync",
    "import_sync_file",
    "read_sync_file",
    "write_sync_file",
]
