"""Take one case's sync delta into a desk: the handover import's merge, written in one
transaction together with the marks that say how far this desk now holds the other's log.

The merge is the handover's (``sarapp.exchange.merge.plan_import``, written by
``sarapp.exchange.apply.write_plan``): entries, positions, drift runs, units, unit positions
and plans by UUID; a case field changed on one side only since the last sync is taken, one
changed on both is a conflict logged with both values and who changed each, and held on both
desks until an officer decides. What "changed here since the last sync" means is this desk's
entries the other desk had not seen when the sync was cut (``ack_at_cut``), not every entry
the delta lacks: a delta carries only what is new.

The case is locked first, so an officer's edit on another desk of the centre waits for the
sync or comes before it, never between its plan and its writing. Nothing is written when the
delta holds nothing new but the marks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.exchange.apply import plan_conflicts, validated_case, write_plan
from sarapp.exchange.errors import SyncError
from sarapp.exchange.merge import MergePlan, plan_import
from sarapp.exchange.persons_body import commitments
from sarapp.exchange.sync_delta import Delta
from sarapp.model import CaseId, utc_now
from sarapp.model_exchange import ImportResult, PackageRecord
from sarapp.model_sync import CaseSync, SyncMark, SyncPeer
from sarapp.personfields import PersonError
from sarapp.privacy import PrivacyError
from sarapp.store import CaseError, Desk
from sarapp.store.packages import conflict_key
from sarapp.store.register_replay import RegisterDataError
from sarapp.store.sync import later_time

SYNC_PURPOSE = "sync"  # the packages table's purpose of a case taken in by a sync


@dataclass(frozen=True)
class Carrier:
    """How the delta came: ``record_id`` names this case's import (the packages table),
    ``how`` is said in the import's log line, ``signature``/``fingerprint`` as a package's."""

    record_id: str
    how: str
    signature: str = "database link"
    fingerprint: str = ""


def take_delta(
    store: Desk,
    delta: Delta,
    *,
    peer: SyncPeer,
    own_desk: str,
    ack_at_cut: int,
    peer_holds: tuple[int, datetime | None] | None,
    author: str,
    carrier: Carrier,
) -> CaseSync:
    """Merge ``delta`` from ``peer`` into ``store`` and move the marks, in one transaction.

    ``ack_at_cut``: how far the peer held this desk's log of the case when it cut the delta
    (this desk's entries after it, less those that came from the peer, are this desk's own
    changes the peer had not seen). ``peer_holds``: how far the peer holds this desk's log
    now, and the cut that says so, when known (it becomes the acknowledged mark).
    """
    case_id = delta.case_id
    with store.transaction():
        store.sync.note_peer(dataclasses.replace(peer, last_sync=utc_now()))
        if store.sync.head(case_id):
            store.chain.lock_case(case_id)
        mark = store.sync.mark(peer.desk_id, case_id)
        if delta.base_seq > mark.received_seq:
            raise SyncError(
                f"the sync of case {case_id} from {peer.name} continues from entry "
                f"{delta.base_seq} of its log, but this desk holds it only up to entry "
                f"{mark.received_seq}: ask {peer.name} for a full sync file "
                "(sarapp sync export --full)"
            )
        result = None
        if delta.has_content:
            result = _merge(store, delta, peer, own_desk, mark, ack_at_cut, author, carrier)
        added = store.sync.seqs(case_id, result.added_entries) if result else []
        moved = _moved(mark, delta, peer_holds, added, took=result is not None)
        if moved != mark:
            store.sync.save_mark(moved)
        number = store.cases.get(case_id).number if store.sync.head(case_id) else ""
    return _summary(case_id, number, result)


def _merge(store: Desk, delta: Delta, peer: SyncPeer, own_desk: str, mark: SyncMark,
           ack_at_cut: int, author: str, carrier: Carrier) -> ImportResult | None:  # fmt: skip
    body = delta.body
    sent = {e["id"] for e in body["log"]}
    seen = dataclasses.replace(mark, acked_seq=ack_at_cut)
    mine = {e.id for e in store.sync.pending(seen, own_desk=own_desk)} - sent
    plan = plan_import(store, body, local_only=mine)
    case = validated_case(plan)
    if plan.new_case and not case.origin_rcc:
        case = dataclasses.replace(case, origin_rcc=peer.name, origin_number=plan.case.number)
    _check_references(store, plan, body)
    if _nothing_new(store, plan):
        return None
    record = PackageRecord(
        id=carrier.record_id,
        direction="received",
        case_id=plan.case_id,
        purpose=SYNC_PURPOSE,
        peer_rcc=peer.name,
        signer_fingerprint=carrier.fingerprint,
        signature_status=carrier.signature,
        digest=_digest(body),
        time=utc_now(),
        created=None,  # not a package: the handover's replay check never counts it
    )
    with store.transaction():
        result = write_plan(
            store,
            plan,
            body,
            case=case,
            package=record,
            author=author,
            summary=f"Sync with {peer.name} ({carrier.how})",
            receipt={"desk": own_desk, "peer": peer.desk_id},
        )
        if not result.already_imported:
            _take_register(store, body, result)
    return result


def _take_register(store: Desk, body: dict[str, Any], result: ImportResult) -> None:
    """Inside the merge's transaction, as a package import does: the personal content of the
    entries that came is held when the delta carries it (checked against each entry's
    commitment), else withheld, and the persons register is rebuilt from the merged log."""
    note_id = result.changes.entries[len(result.added_entries)]
    provided = {item["entry_id"]: item for item in body.get("personal", [])}
    try:
        store.privacy.receive(result.case_id, commitments(body), provided, note_id)
        store.persons.rebuild(result.case_id)
    except (PersonError, PrivacyError, RegisterDataError) as exc:
        raise SyncError(f"sync refused: persons register: {exc}") from None


def _nothing_new(store: Desk, plan: MergePlan) -> bool:
    """Whether writing the plan would only log again conflicts already logged (a unit's
    position sent once more, say): then nothing is written."""
    if not plan.tasking.is_empty or plan.new_case or plan.field_updates:
        return False
    if plan.new_entries or plan.new_positions or plan.new_drift_runs:
        return False
    keys = {conflict_key(c) for c in plan_conflicts(plan)}
    return keys <= store.packages.logged_conflicts(plan.case_id)


def _check_references(store: Desk, plan: MergePlan, body: dict[str, Any]) -> None:
    """A correction must correct an entry this desk holds or takes now, a plan's drift run a
    run it holds or takes now: a delta never points at what the receiver lacks."""
    ids = {e["id"] for e in body["log"]}
    wanted = {e.corrects for e in plan.new_entries if e.corrects and e.corrects not in ids}
    missing = wanted - store.log.known_ids(wanted)
    runs = {p.drift_run_id for p in plan.tasking.plans if p.drift_run_id}
    runs -= {r["id"] for r in body["drift_runs"]}
    if runs and not plan.new_case:
        runs -= {r.id for r in store.drift.runs(plan.case_id)}
    if missing or runs:
        what = f"log entry {sorted(missing)[0]}" if missing else f"drift run {sorted(runs)[0]}"
        raise SyncError(
            f"the sync of case {plan.case_id} refers to {what}, which this desk does not hold: "
            "ask the other desk for a full sync file (sarapp sync export --full)"
        )


def _moved(mark: SyncMark, delta: Delta, peer_holds: tuple[int, datetime | None] | None,
           added: list[int], *, took: bool) -> SyncMark:  # fmt: skip
    """The mark after taking ``delta`` (whose entries went to this desk's seqs ``added``;
    ``took``: whether anything was written). A delta that brought nothing new and no later
    entry leaves the mark as it was: a sync run twice writes nothing."""
    acked, acked_cut = mark.acked_seq, mark.acked_cut
    if peer_holds is not None and peer_holds[0] > acked:
        acked, acked_cut = peer_holds[0], later_time(acked_cut, peer_holds[1])
    received, received_cut = mark.received_seq, mark.received_cut
    if took or delta.cut_seq > received:
        received = max(received, delta.cut_seq)
        received_cut = later_time(received_cut, delta.cut_time)
    moved = dataclasses.replace(
        mark,
        received_seq=received,
        received_cut=received_cut,
        acked_seq=acked,
        acked_cut=acked_cut,
    )
    return dataclasses.replace(moved, ranges=moved.with_ranges(_spans(added)))


def _spans(seqs: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for seq in sorted(seqs):
        if spans and seq == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], seq)
        else:
            spans.append((seq, seq))
    return spans


def _digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _summary(case_id: CaseId, number: str, result: ImportResult | None) -> CaseSync:
    if result is None or result.already_imported:
        return CaseSync(case_id, number)
    counts = result.changes
    return CaseSync(
        case_id,
        number,
        created=result.created,
        entries=len(result.added_entries),
        positions=len(result.added_positions),
        drift_runs=len(counts.drift_runs),
        units=len(result.added_units),
        unit_positions=result.added_unit_positions,
        plans=len(result.added_plans),
        updated_plans=len(result.updated_plans),
        updated_fields=tuple(result.updated_fields),
        conflicts=tuple(dataclasses.asdict(c) for c in result.conflicts),
    )


def known_case(store: Desk, case_id: str) -> bool:
    """Whether the desk holds the case (by its UUID)."""
    try:
        return store.cases.resolve(case_id) == case_id
    except CaseError:
        return False


__all__ = ["SYNC_PURPOSE", "Carrier", "known_case", "take_delta"]
