"""What importing a package would change on this desk — computed, never written.

Merging is by UUID: a case the desk does not know is new; for a known case, the log entries
and positions it lacks are listed to add; case fields whose values differ between the two
desks are listed as conflicts with both values, for the coordinator to decide (nothing is
overwritten silently, nothing local is ever deleted). Units and search plans follow the rules
of ``sarapp.exchange.tasking_merge``. The store applies a plan; this module only reads the
desk through the store's read methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sarapp.exchange.body import (
    case_from_json,
    drift_runs_from_json,
    entries_from_json,
    positions_from_json,
)
from sarapp.exchange.tasking_merge import plan_tasking
from sarapp.model import Case, CaseId, DriftRecord, LogEntry, Position
from sarapp.store import CaseError, Store
from sarapp.store.handover import KEPT_LOCAL
from sarapp.store.handover_tasking import NO_TASKING, TaskingImport
from sarapp.store.rows import CASE_VALUE_COLUMNS

# Case fields compared between the two desks (the sender's case number is local to it).
COMPARED_FIELDS = (*CASE_VALUE_COLUMNS, "phase", "status", "lkp_id")


@dataclass(frozen=True)
class FieldConflict:
    """A case, unit or plan field both desks hold with different values (enum values as
    text), and the decision: the local value is kept, but for a plan's status."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL


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

    @property
    def is_empty(self) -> bool:
        return self.tasking.is_empty and not (
            self.new_case
            or self.new_entries
            or self.new_positions
            or self.conflicts
            or self.entry_conflicts
            or self.new_drift_runs
        )


def plan_import(store: Store, body: dict[str, Any]) -> MergePlan:
    """The merge plan for a verified package ``body`` against the desk ``store``."""
    positions = positions_from_json(body["positions"])
    incoming = case_from_json(body["case"], positions)
    entries = entries_from_json(incoming.id, body["log"])
    runs = drift_runs_from_json(incoming.id, body.get("drift_runs", []))
    try:
        local = store.get_case(incoming.id)
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
    local_runs = {r.id for r in store.drift_runs(local.id)}
    local_entries = {e.id: e for e in store.log(local.id)}
    local_positions = {p.id: p for p in store.positions(local.id)}
    clashes: list[EntryConflict] = []
    for entry in entries:
        mine = local_entries.get(entry.id)
        if mine is not None and mine.hash != entry.hash:
            reason = f"seq {mine.seq} here, seq {entry.seq} in the package: contents differ"
            clashes.append(EntryConflict(entry.id, "log entry", reason))
    for position in positions:
        mine_p = local_positions.get(position.id)
        if mine_p is not None and mine_p != position:
            clashes.append(EntryConflict(position.id, "position", "reports differ"))
    return MergePlan(
        case_id=local.id,
        new_case=False,
        case=incoming,
        new_entries=tuple(e for e in entries if e.id not in local_entries),
        new_positions=tuple(p for p in positions if p.id not in local_positions),
        conflicts=field_conflicts(local, incoming) + more,
        entry_conflicts=tuple(clashes),
        new_drift_runs=tuple(r for r in runs if r.id not in local_runs),
        tasking=tasking,
    )


def field_conflicts(local: Case, incoming: Case) -> tuple[FieldConflict, ...]:
    """The compared case fields whose values differ, with both values."""
    found = []
    for name in COMPARED_FIELDS:
        mine, theirs = _value(local, name), _value(incoming, name)
        if mine != theirs:
            found.append(FieldConflict(name, mine, theirs))
    return tuple(found)


def _value(case: Case, name: str) -> Any:
    if name == "lkp_id":
        return case.lkp.id if case.lkp else None
    value = getattr(case, name)
    return getattr(value, "value", value)
