"""Conflicts a sync left open, and an officer's decision on one.

A case field changed on both the laptop and the centre since their last sync is logged as a
conflict on both (``import_conflict``: field, both values, who changed each) and neither
desk gives way (``sarapp.exchange.field_merge``). It stays open until the field is set again
on either desk after the conflict: then that change is the one only one side made, and the
next sync carries it to the other. An officer who keeps the value the desk already shows
still decides: ``resolve`` logs the decision as a change of the field (old and new the same),
which the other desk then takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sarapp.exchange.errors import SyncError
from sarapp.exchange.field_merge import changed_by, changes_field, field_value
from sarapp.exchange.merge import COMPARED_FIELDS
from sarapp.exchange.wire import CASE_VALUES
from sarapp.model import CaseId, Changes, LogEntry
from sarapp.model_exchange import KEPT_LOCAL
from sarapp.store import Desk
from sarapp.store.packages import IMPORT_CONFLICT

RESOLVABLE = (*CASE_VALUES, "phase", "status")  # the last known position: report a position


@dataclass(frozen=True)
class OpenConflict:
    """A case field the two desks hold with different values since a sync logged it: ``here``
    this desk's value, ``there`` the other desk's, and who last changed each (and when)."""

    case_id: CaseId
    field: str
    here: Any
    there: Any
    here_by: str
    there_by: str
    entry_id: str  # the conflict's log entry (the latest, if both desks logged it)


def open_conflicts(store: Desk, case_id: str) -> list[OpenConflict]:
    """The case's conflicts no later change of the field has settled, by field."""
    log = store.log.entries(case_id)
    if not any(IMPORT_CONFLICT in e.data for e in log):
        return []
    case = store.cases.get(case_id)
    found = []
    for name in COMPARED_FIELDS:
        entry = _standing(log, name)
        if entry is None:
            continue
        item = entry.data[IMPORT_CONFLICT]
        here = field_value(case, name)
        if here == item.get("local"):  # this desk's record (or the other's, turned round)
            there, here_by, there_by = item.get("incoming"), "local_by", "incoming_by"
        elif here == item.get("incoming"):
            there, here_by, there_by = item.get("local"), "incoming_by", "local_by"
        else:
            continue
        if there == here:
            continue
        last_here = next((e for e in reversed(log) if changes_field(e, name)), None)
        found.append(
            OpenConflict(
                CaseId(case.id),
                name,
                here,
                there,
                str(item.get(here_by) or changed_by(last_here)),
                str(item.get(there_by) or ""),
                entry.id,
            )
        )
    return found


def resolve(store: Desk, case_ref: str, name: str, value: Any, *, author: str) -> Changes:
    """An officer's decision on an open conflict: the field is set to ``value`` (this desk's
    own, the other desk's, or another) and the decision logged as a change of the field."""
    case_id = store.cases.resolve(case_ref)
    conflicts = {c.field: c for c in open_conflicts(store, case_id)}
    conflict = conflicts.get(name)
    if conflict is None:
        open_ = ", ".join(conflicts) or "none"
        raise SyncError(f"no open conflict on {name!r} in this case (open: {open_})")
    if name not in RESOLVABLE:
        raise SyncError(f"{name}: settle it by reporting the position that is the LKP")
    return store.cases.settle_field(
        case_id,
        name,
        value,
        author=author,
        reason=f"conflict resolved (here {conflict.here!r}, the other desk {conflict.there!r})",
    )


def _standing(log: list[LogEntry], name: str) -> LogEntry | None:
    """The latest conflict logged on field ``name`` with no change of the field after it."""
    found = None
    for entry in log:
        item = entry.data.get(IMPORT_CONFLICT)
        if (
            isinstance(item, dict)
            and item.get("field") == name
            and item.get("decision") == KEPT_LOCAL
        ):
            found = entry
        elif found is not None and changes_field(entry, name):
            found = None
    return found


__all__ = ["RESOLVABLE", "OpenConflict", "open_conflicts", "resolve"]
