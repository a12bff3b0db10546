"""What importing a package would change on this desk — computed, never written.

Merging is by UUID: a case the desk does not know is new; for a known case, the log entries
and positions it lacks are listed to add; a case field whose value differs is taken from the
package when only the package's log changed it, else kept and listed as a conflict with both
values (``sarapp.exchange.field_merge``); nothing local is ever deleted. Units and search
plans follow the rules of ``sarapp.exchange.tasking_merge``. The store applies a plan; this
module only reads the desk through the store's read methods.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sarapp.exchange.body import (
    case_from_json,
    drift_runs_from_json,
    entries_from_json,
    positions_from_json,
)
from sarapp.exchange.field_merge import FieldDecision, decide_fields, differing_entries
from sarapp.exchange.tasking_merge import plan_tasking
from sarapp.exchange.wire import CASE_VALUES
from sarapp.model import Case, CaseId, DriftRecord, LogEntry, Position
from sarapp.model_exchange import COORDINATION_KEY, KEPT_LOCAL, NO_TASKING, TaskingImport
from sarapp.store import CaseError, Desk

# Case fields compared between the two desks (the sender's case number is local to it).
COMPARED_FIELDS = (*CASE_VALUES, "phase", "status", "lkp_id", "outcome")


@dataclass(frozen=True)
class FieldConflict:
    """A case, unit or plan field both desks hold with different values (enum values as
    text), and the decision: the local value is kept, but for a plan's status."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL
    local_by: str = ""  # who last changed it on each side, and when (case fields)
    incoming_by: str = ""


@dataclass(frozen=True)
class EntryConflict:
    """A log entry or position with the same UUID on both desks but different content."""

    id: str
    what: str  # "log entry" or "position"
    reason: str


@dataclass(frozen=True)
class MergePlan:
    """The changes an import would make; ``is_empty`` when importing again changes nothing."""

    case_id: CaseId
    new_case: bool
    case: Case  # the case as the package has it
    new_entries: tuple[LogEntry, ...]  # in the sender's log order
    new_positions: tuple[Position, ...]
    conflicts: tuple[FieldConflict, ...]
    entry_conflicts: tuple[EntryConflict, ...]
    new_drift_runs: tuple[DriftRecord, ...] = ()
    tasking: TaskingImport = NO_TASKING  # units, unit positions, plans, plan statuses
    field_updates: tuple[FieldDecision, ...] = ()  # fields taken from the package

    @property
    def is_empty(self) -> bool:
        return self.tasking.is_empty and not (
            self.new_case
            or self.new_entries
            or self.new_positions
            or self.conflicts
            or self.entry_conflicts
            or self.new_drift_runs
            or self.field_updates
        )


def plan_import(
    store: Desk, body: dict[str, Any], *, local_only: Collection[str] | None = None
) -> MergePlan:
    """The merge plan for a verified package ``body`` against the desk ``store``.

    A package brings the sender's whole log, so this desk's entries it lacks are this desk's
    changes the sender has not seen. A sync brings only what the other desk lacked: it names
    this desk's entries the other desk had not seen (``local_only``, entry ids) instead, and
    a conflict it brings holds on this desk too (``field_merge.decide_fields``)."""
    positions = positions_from_json(body["positions"])
    incoming = case_from_json(body["case"], positions)
    entries = entries_from_json(incoming.id, body["log"])
    runs = drift_runs_from_json(incoming.id, body.get("drift_runs", []))
    try:
        local = store.cases.get(incoming.id)
    except CaseError:
        local = None
    known = local is not None and local.id == incoming.id
    tasking, unit_conflicts = plan_tasking(store, body, case_id=incoming.id, known_case=known)
    more = tuple(FieldConflict(c.field, c.local, c.incoming, c.decision) for c in unit_conflicts)
    if local is None or not known:
        return MergePlan(
            incoming.id, True, incoming, tuple(entries), tuple(positions), more, (), tuple(runs),
            tasking,
        )  # fmt: skip
    local_runs = {r.id for r in store.drift.runs(local.id)}
    local_log = store.log.entries(local.id)
    local_entries = {e.id: e for e in local_log}
    local_positions = {p.id: p for p in store.cases.positions(local.id)}
    kinds = {e["id"]: e["kind"] for e in body["log"]}
    clashes = [
        EntryConflict(e.id, "log entry", "same entry id, but what it says differs")
        for e in differing_entries(entries, local_entries, kinds)
    ]
    for position in positions:
        mine_p = local_positions.get(position.id)
        if mine_p is not None and mine_p != position:
            clashes.append(EntryConflict(position.id, "position", "reports differ"))
    new_entries = tuple(e for e in entries if e.id not in local_entries)
    in_package = {e.id for e in entries}
    if local_only is None:
        mine = [e for e in local_log if e.id not in in_package]
    else:
        mine = [e for e in local_log if e.id in local_only and e.id not in in_package]
    decisions = decide_fields(
        local,
        incoming,
        names=COMPARED_FIELDS,
        new_entries=new_entries,
        local_only=mine,
        accepted_by=_acceptance(new_entries),
        local_log=local_log,
        hold_conflicts=local_only is not None,
    )
    return MergePlan(
        case_id=local.id,
        new_case=False,
        case=incoming,
        new_entries=new_entries,
        new_positions=tuple(p for p in positions if p.id not in local_positions),
        conflicts=tuple(
            FieldConflict(d.field, d.local, d.incoming, d.decision, d.local_by, d.incoming_by)
            for d in decisions
            if not d.takes_incoming
        )
        + more,
        entry_conflicts=tuple(clashes),
        new_drift_runs=tuple(r for r in runs if r.id not in local_runs),
        tasking=tasking,
        field_updates=tuple(d for d in decisions if d.takes_incoming),
    )


def _acceptance(entries: tuple[LogEntry, ...]) -> str | None:
    """The RCC whose acceptance of coordination is among ``entries``, if any."""
    for entry in reversed(entries):
        event = entry.data.get(COORDINATION_KEY)
        if isinstance(event, dict) and event.get("event") == "accepted":
            return str(event.get("rcc_id") or "") or None
    return None
