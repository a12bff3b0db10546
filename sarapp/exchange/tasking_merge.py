"""What importing a package's units and plans would change on this desk — computed, never
written (``sarapp.store.handover_tasking`` writes it).

- **Units** are matched to this desk's registry by UUID, else by MMSI, else by name (any
  case). A unit not found is registered with its UUID. A unit found keeps its local fields;
  each field that differs is a conflict with both values ("kept local value").
- **Unit positions** are keyed by (unit on this desk, time, source), the table's own key:
  only those this desk lacks are added.
- **Plans** are merged by UUID. A new plan points to the matched local unit and keeps its
  drift run (which the package carries and this desk holds or imports with it). A known plan
  keeps its local fields (differences are conflicts), but ``done``/``cancelled`` on either
  side wins over ``planned``: a search reported done is a fact. Each decision is listed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from sarapp.exchange.tasking import (
    PLAN_FIELDS,
    UNIT_FIELDS,
    plan_fields_json,
    plans_from_json,
    unit_fields_json,
    units_from_json,
)
from sarapp.model import CaseId, Unit, UnitId, UnitPosition
from sarapp.model_exchange import KEPT_LOCAL, TaskingImport
from sarapp.model_plans import SearchPlanRecord
from sarapp.store import Desk

OUTRANKS = "(a search reported done or cancelled outranks planned)"
TOOK_INCOMING = f"took incoming value {OUTRANKS}"
KEPT_FINAL = f"{KEPT_LOCAL} {OUTRANKS}"


@dataclasses.dataclass(frozen=True)
class TaskingConflictItem:
    """A unit or plan field both desks hold with different values, and what was decided."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL


def plan_tasking(
    store: Desk, body: dict[str, Any], *, case_id: CaseId, known_case: bool
) -> tuple[TaskingImport, tuple[TaskingConflictItem, ...]]:
    """The units, unit positions, plans and plan statuses to write, and the conflicts."""
    incoming_units = units_from_json(body.get("units", []))
    mapping, new_units, conflicts = _match_units(store, [u for u, _ in incoming_units])
    positions = _new_positions(store, incoming_units, mapping, {u.id for u in new_units})
    plans = plans_from_json(case_id, body.get("plans", []))
    local_plans = {p.id: p for p in store.plans.for_case(case_id)} if known_case else {}
    new_plans, statuses = [], []
    for plan in plans:
        local_unit = mapping.get(plan.unit_id) if plan.unit_id else None
        mine = local_plans.get(plan.id)
        if mine is None:
            new_plans.append(dataclasses.replace(plan, unit_id=local_unit))
            continue
        conflicts += _plan_conflicts(mine, dataclasses.replace(plan, unit_id=local_unit))
        status = _status_decision(mine, plan)
        if status is not None:
            conflicts.append(status)
            if status.decision == TOOK_INCOMING:
                statuses.append((plan.id, plan.status))
    tasking = TaskingImport(tuple(new_units), tuple(positions), tuple(new_plans), tuple(statuses))
    return tasking, tuple(conflicts)


def _match_units(
    store: Desk, incoming: list[Unit]
) -> tuple[dict[UnitId, UnitId], list[Unit], list[TaskingConflictItem]]:
    """Package unit id → this desk's unit id; the units to register; field conflicts."""
    local = store.units.all()
    by_id = {u.id: u for u in local}
    by_mmsi = {u.mmsi: u for u in local if u.mmsi}
    by_name = {u.name.casefold(): u for u in local}
    mapping: dict[UnitId, UnitId] = {}
    new_units: list[Unit] = []
    conflicts: list[TaskingConflictItem] = []
    for unit in incoming:
        mine = (
            by_id.get(unit.id)
            or (by_mmsi.get(unit.mmsi) if unit.mmsi else None)
            or by_name.get(unit.name.casefold())
        )
        if mine is None:
            new_units.append(unit)  # registered with its own UUID (not in use here)
            mapping[unit.id] = unit.id
            continue
        mapping[unit.id] = mine.id
        theirs, ours = unit_fields_json(unit), unit_fields_json(mine)
        conflicts += [
            TaskingConflictItem(f"unit {mine.name} {name}", ours[name], theirs[name])
            for name in UNIT_FIELDS
            if ours[name] != theirs[name]
        ]
    return mapping, new_units, conflicts


def _new_positions(
    store: Desk,
    incoming: Iterable[tuple[Unit, list[UnitPosition]]],
    mapping: dict[UnitId, UnitId],
    new_unit_ids: set[UnitId],
) -> list[UnitPosition]:
    """The unit positions this desk lacks, keyed (unit here, time, source), none twice."""
    seen: set[tuple[str, Any, str]] = set()
    for local_id in set(mapping.values()) - new_unit_ids:
        seen |= {(local_id, p.time, p.source) for p in store.units.track(local_id)}
    found = []
    for unit, track in incoming:
        local_id = mapping[unit.id]
        for p in track:
            key = (local_id, p.time, p.source)
            if key not in seen:
                seen.add(key)
                found.append(dataclasses.replace(p, unit_id=local_id))
    return found


def _plan_conflicts(mine: SearchPlanRecord, theirs: SearchPlanRecord) -> list[TaskingConflictItem]:
    """Fields of a known plan that differ (``unit_id`` after matching); local values kept."""
    ours, other = plan_fields_json(mine), plan_fields_json(theirs)
    found = [
        TaskingConflictItem(f"search plan {mine.id} {name}", ours[name], other[name])
        for name in PLAN_FIELDS
        if ours[name] != other[name]
    ]
    if mine.unit_id != theirs.unit_id:
        found.append(
            TaskingConflictItem(f"search plan {mine.id} unit_id", mine.unit_id, theirs.unit_id)
        )
    return found


def _status_decision(
    mine: SearchPlanRecord, theirs: SearchPlanRecord
) -> TaskingConflictItem | None:
    """Done or cancelled outranks planned, whichever side holds it; two different final
    statuses keep the local one."""
    if mine.status == theirs.status:
        return None
    field = f"search plan {mine.id} status"
    if mine.status == "planned":
        return TaskingConflictItem(field, mine.status, theirs.status, TOOK_INCOMING)
    decision = KEPT_FINAL if theirs.status == "planned" else KEPT_LOCAL
    return TaskingConflictItem(field, mine.status, theirs.status, decision)


__all__ = ["KEPT_FINAL", "TOOK_INCOMING", "TaskingConflictItem", "plan_tasking"]
