"""Sync a field laptop with its centre over a link to the centre's desk (``sarapp sync
--with LOCATION``): both ways, case by case, only what each side lacks.

The laptop's process opens both desks (its own file, and the centre's PostgreSQL database or
desk file) and, for each case the centre gave the laptop:

1. cuts both sides: each one's entries the other lacks (``desk.sync.pending``, by the marks
   of the last sync), and a delta of each (``sarapp.exchange.sync_delta``);
2. takes the centre's delta into the laptop, then the laptop's into the centre, each in one
   transaction with its marks (``sarapp.exchange.sync_apply``). Both merges count as "changed
   since the last sync" what each side had when the sync was cut, so a field changed on both
   is a conflict on both, logged on both, and neither gives way;
3. again, until neither side has anything the other lacks: the conflicts each side logged
   reach the other in the same run, so running the sync again changes nothing.

A sync stopped anywhere (the link drops, the laptop is closed, the process is killed) leaves
each case either synced or not on each side, with marks that say so: running it again sends
what is still missing and nothing twice. A long sync is a generator that yields progress
between cases (``sarapp.progress``'s convention), never inside a transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sarapp.exchange.errors import SyncError
from sarapp.exchange.sync_apply import Carrier, known_case, take_delta
from sarapp.exchange.sync_conflicts import OpenConflict, open_conflicts
from sarapp.exchange.sync_delta import Delta, case_delta, record_disclosure
from sarapp.exchange.wire import time_to_wire
from sarapp.model import CaseId, Changes, Rcc, new_id
from sarapp.model_sync import CaseSync, SyncMark, SyncPeer
from sarapp.store import CaseError, Desk

MAX_ROUNDS = 3  # a conflict logged in round 1 crosses in round 2; round 3 finds nothing


@dataclass(frozen=True)
class SyncProgress:
    """Cases done of ``total``; ``case`` is the number of the one being synced (empty at the
    end)."""

    done: int
    total: int
    case: str = ""


@dataclass(frozen=True)
class CaseReport:
    """One case: what came to the laptop, what went to the centre, conflicts still open."""

    case_id: CaseId
    number: str  # the laptop's number of the case
    came: CaseSync
    went: CaseSync
    open: tuple[OpenConflict, ...] = ()


@dataclass(frozen=True)
class SyncReport:
    laptop: str
    centre: str
    cases: tuple[CaseReport, ...] = ()
    withdrawn: tuple[str, ...] = ()  # carried here, but the centre took them back
    changes: Changes = field(default_factory=Changes)  # on the laptop, for its views


@dataclass(frozen=True)
class Side:
    """One desk of a sync: the desk, its id and the name it goes by (RCC id)."""

    desk: Desk
    desk_id: str
    name: str
    rcc: Rcc


def sync_with_centre(
    laptop: Desk,
    centre: Desk,
    *,
    location: str,
    author: str,
    cases: Sequence[str] = (),
) -> Generator[SyncProgress, None, SyncReport]:
    """Sync the laptop with the centre (``location``: how the centre was reached, as shown),
    every case the centre gave it, or only ``cases`` (numbers or ids, each given to it)."""
    me = laptop_side(laptop)
    them = centre_side(centre, location)
    login = centre.sync.login()
    if login is not None and login[1] and login[0] != me.name:
        raise SyncError(
            f"this laptop is {me.name}, but it logs in to the centre as {login[0]}, whose rows "
            f"the centre keeps for laptop {login[0]}: log in as {me.name}"
        )
    given = centre.sync.given(me.name)
    scope = _scope(laptop, centre, cases, given, me.name, them.name)
    withdrawn = tuple(m.case_id for m in laptop.sync.marks(them.desk_id) if m.case_id not in given)
    reports = []
    for index, case_id in enumerate(scope):
        yield SyncProgress(index, len(scope), _number(laptop, centre, case_id))
        reports.append(sync_case(me, them, case_id, author=author, location=location))
    yield SyncProgress(len(scope), len(scope))
    changes = Changes(cases=frozenset(r.case_id for r in reports if not r.came.is_empty))
    changes |= Changes(created=any(r.came.created for r in reports))
    return SyncReport(me.name, them.name, tuple(reports), withdrawn, changes)


def sync_case(me: Side, them: Side, case_id: CaseId, *, author: str, location: str) -> CaseReport:
    """Sync one case both ways until neither side lacks anything (at most ``MAX_ROUNDS``)."""
    came, went = CaseSync(case_id, ""), CaseSync(case_id, "")
    laptop, centre = me.desk, them.desk
    for _ in range(MAX_ROUNDS):
        mine = laptop.sync.mark(them.desk_id, case_id)  # what the laptop holds of the centre
        theirs = centre.sync.mark(me.desk_id, case_id)  # what the centre holds of the laptop
        to_centre = _cut(me, them, case_id, mine, theirs.received_seq, theirs.received_cut)
        to_laptop = _cut(them, me, case_id, theirs, mine.received_seq, mine.received_cut)
        if to_centre is None and to_laptop is None:
            break
        if to_laptop is not None:
            came = _add(came, take_delta(
                laptop, to_laptop, peer=SyncPeer(them.desk_id, them.name, location),
                own_desk=me.desk_id, ack_at_cut=theirs.received_seq,
                peer_holds=(theirs.received_seq, theirs.received_cut), author=author,
                carrier=Carrier(new_id(), f"from {location}")))  # fmt: skip
            record_disclosure(centre, to_laptop, recipient=f"laptop {me.name} (sync)",
                              kind="export", author=author)  # fmt: skip
        if to_centre is not None:
            went = _add(went, take_delta(
                centre, to_centre, peer=SyncPeer(me.desk_id, me.name),
                own_desk=them.desk_id, ack_at_cut=mine.received_seq,
                peer_holds=_held(mine, to_laptop), author=author,
                carrier=Carrier(new_id(), f"laptop {me.name}")))  # fmt: skip
            record_disclosure(laptop, to_centre, recipient=f"centre {them.name} (sync)",
                              kind="export", author=author)  # fmt: skip
            _acknowledged(laptop, them.desk_id, case_id, to_centre)
    number = laptop.cases.get(case_id).number if laptop.sync.head(case_id) else ""
    return CaseReport(case_id, number, came, went, tuple(open_conflicts(laptop, case_id)))


def laptop_side(laptop: Desk) -> Side:
    """The laptop as a side of a sync: it must have a name (its RCC id)."""
    rcc = laptop.trust.rcc()
    if rcc is None:
        raise SyncError(
            "this desk has no name yet: name the laptop with 'sarapp keys rcc FIELD-1 --name "
            '"SAR team 1"\' (on a server, the centre gives it a login of that name)'
        )
    return Side(laptop, laptop.trust.desk_id(), rcc.id, rcc)


def centre_side(centre: Desk, location: str) -> Side:
    """The centre as a side of a sync (named by its RCC id, else by where it is)."""
    rcc = centre.trust.rcc() or Rcc(location)
    return Side(centre, centre.trust.desk_id(), rcc.id, rcc)


def _cut(side: Side, other: Side, case_id: CaseId, mark: SyncMark, peer_received: int,
         peer_cut: datetime | None) -> Delta | None:  # fmt: skip
    """What ``side`` has of the case that ``other`` lacks: its entries after what the other
    holds (``peer_received``), outside those that came from it, and unit positions stored
    since the other's last cut of this side that the other does not hold."""
    desk = side.desk
    seen = dataclasses.replace(mark, acked_seq=peer_received)
    pending = desk.sync.pending(seen, own_desk=side.desk_id)
    delta = case_delta(desk, case_id, pending, base_seq=peer_received,
                       cut_seq=desk.sync.head(case_id), cut_time=desk.clock(),
                       peer_cut=peer_cut, sender=side.rcc)  # fmt: skip
    if delta is None or pending:
        return delta
    units = [u for u in _unseen_reports(delta.body["units"], other.desk) if u["positions"]]
    return dataclasses.replace(delta, body={**delta.body, "units": units}) if units else None


def _unseen_reports(units: list[dict], receiver: Desk) -> list[dict]:
    """The units with only the positions ``receiver`` lacks (a unit it knows by its UUID;
    those sent again within the margin of the last cut, say)."""
    out = []
    for unit in units:
        seen = {(time_to_wire(p.time), p.source) for p in receiver.units.track(unit["id"])}
        fresh = [p for p in unit["positions"] if (p["time"], p["source"]) not in seen]
        out.append({**unit, "positions": fresh})
    return out


def _held(mine: SyncMark, to_laptop: Delta | None) -> tuple[int, datetime | None]:
    """How far the laptop holds the centre's log once it took ``to_laptop``."""
    if to_laptop is None:
        return mine.received_seq, mine.received_cut
    return max(mine.received_seq, to_laptop.cut_seq), to_laptop.cut_time


def _acknowledged(laptop: Desk, centre_id: str, case_id: CaseId, sent: Delta) -> None:
    """The centre took ``sent``: the laptop notes how far the centre holds its log (what a
    sync file to the centre then leaves out)."""
    with laptop.transaction():
        mark = laptop.sync.mark(centre_id, case_id)
        if sent.cut_seq <= mark.acked_seq:
            return
        moved = dataclasses.replace(mark, acked_seq=sent.cut_seq, acked_cut=sent.cut_time,
                                    sent_seq=max(mark.sent_seq, sent.cut_seq))  # fmt: skip
        laptop.sync.save_mark(dataclasses.replace(moved, ranges=moved.with_ranges(())))


def _scope(laptop: Desk, centre: Desk, refs: Sequence[str], given: list[CaseId], name: str,
           centre_name: str) -> list[CaseId]:  # fmt: skip
    """The cases to sync: every case given to the laptop, or those named (each given)."""
    if not refs:
        return list(given)
    chosen = []
    for ref in refs:
        case_id = _resolve(laptop, ref) or _resolve(centre, ref)
        if case_id is None:
            raise SyncError(f"no case {ref!r} on this laptop or given to it by {centre_name}")
        if case_id not in given:
            raise SyncError(
                f"case {ref} is not given to laptop {name} by {centre_name}: a laptop syncs only "
                "the cases it was given (the centre gives them: Case → Take on a laptop)"
            )
        chosen.append(case_id)
    return list(dict.fromkeys(chosen))


def _resolve(desk: Desk, ref: str) -> CaseId | None:
    try:
        return desk.cases.resolve(ref)
    except CaseError:
        return None


def _number(laptop: Desk, centre: Desk, case_id: CaseId) -> str:
    desk = laptop if known_case(laptop, case_id) else centre
    return desk.cases.get(case_id).number


def _add(total: CaseSync, more: CaseSync) -> CaseSync:
    """Two merges of one case as one."""
    return CaseSync(
        total.case_id,
        more.number or total.number,
        total.created or more.created,
        *(getattr(total, f) + getattr(more, f) for f in _COUNTS),
        updated_fields=tuple(dict.fromkeys(total.updated_fields + more.updated_fields)),
        conflicts=total.conflicts + more.conflicts,
    )


_COUNTS = ("entries", "positions", "drift_runs", "units", "unit_positions", "plans",
           "updated_plans")  # fmt: skip


__all__ = [
    "MAX_ROUNDS",
    "CaseReport",
    "Side",
    "SyncProgress",
    "SyncReport",
    "centre_side",
    "laptop_side",
    "sync_case",
    "sync_with_centre",
]
