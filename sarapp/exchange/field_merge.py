"""Case fields and log entries of a known case, merged by what each desk's log says.

Every change of a case field is logged (``field``, ``phase``, ``status``, a ``position``
made the LKP), and the package carries the sender's whole log. So when a field differs:

- only the package holds changes of it this desk lacks → this desk takes the incoming value
  (the sender changed it later; its change comes with the package);
- only this desk holds changes of it the package lacks → the local value stands, silently
  (this desk is ahead; the sender will get the change with this desk's next package);
- both, or neither → a conflict: the local value is kept and the difference listed.

An acceptance of coordination outranks the rest for the responsible RCC and the SMC: the RCC
that accepted sets them, and every desk follows.

Log entries are matched by UUID only. An entry both desks hold is the same entry whatever
its place (seq, previous hash) in either chain: it is a conflict only when what it says
differs (time, author, kind, text, corrects, data — re-chaining records aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sarapp.model import Case, EntryKind, LogEntry
from sarapp.model_exchange import KEPT_LOCAL, ORIGIN_KEY

TOOK_CHANGE = "took incoming value (changed on the sending desk only)"
COORDINATION_FIELDS = ("rcc", "smc")


@dataclass(frozen=True)
class FieldDecision:
    """A compared case field whose values differ, and what the import does with it."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL

    @property
    def takes_incoming(self) -> bool:
        return self.decision != KEPT_LOCAL


def decide_fields(
    local: Case,
    incoming: Case,
    *,
    names: Iterable[str],
    new_entries: Iterable[LogEntry],
    local_only: Iterable[LogEntry],
    accepted_by: str | None,
) -> tuple[FieldDecision, ...]:
    """The fields whose values differ, each with its decision (see the module docstring).

    ``new_entries``: the package's entries this desk lacks; ``local_only``: this desk's
    entries the package lacks; ``accepted_by``: the RCC whose acceptance of coordination
    the package brings (None when it brings none).
    """
    theirs, mine = list(new_entries), list(local_only)
    found = []
    for name in names:
        here, there = field_value(local, name), field_value(incoming, name)
        if here == there:
            continue
        they_changed = any(changes_field(e, name) for e in theirs)
        we_changed = any(changes_field(e, name) for e in mine)
        if accepted_by and name in COORDINATION_FIELDS:
            decision = f"took incoming value (coordination accepted by {accepted_by})"
        elif they_changed and not we_changed:
            decision = TOOK_CHANGE
        elif we_changed and not they_changed:
            continue  # this desk is ahead: nothing to say
        else:
            decision = KEPT_LOCAL
        found.append(FieldDecision(name, here, there, decision))
    return tuple(found)


def field_value(case: Case, name: str) -> Any:
    """A compared field's value (enum values as text, the LKP by its position id)."""
    if name == "lkp_id":
        return case.lkp.id if case.lkp else None
    value = getattr(case, name)
    return getattr(value, "value", value)


def changes_field(entry: LogEntry, name: str) -> bool:
    """Whether the log entry records a change of the case field ``name``."""
    if name == "phase":
        return entry.kind is EntryKind.PHASE
    if name in ("status", "outcome"):  # the outcome is chosen as the case is closed
        return entry.kind is EntryKind.STATUS
    if name == "lkp_id":
        return entry.kind is EntryKind.POSITION and bool(entry.data.get("lkp"))
    return entry.kind is EntryKind.FIELD and entry.data.get("field") == name


def entry_essence(entry: LogEntry, kind: str | None = None) -> tuple:
    """What an entry says, whatever chain it sits in: time, author, the kind it was written
    with, text, corrects and data without the re-chaining record (``_origin``)."""
    data = dict(entry.data)
    kind = kind or entry.kind.value
    origin = data.pop(ORIGIN_KEY, None)
    while isinstance(origin, dict):  # the innermost record holds the kind as first written
        kind = origin.get("kind", kind)
        origin = origin.get("previous")
    return (entry.time, entry.author, kind, entry.text, entry.corrects, data)


def differing_entries(
    incoming: Iterable[LogEntry], local: Mapping[str, LogEntry], kinds: Mapping[str, str]
) -> list[LogEntry]:
    """The incoming entries this desk holds by UUID but which say something else."""
    return [
        e
        for e in incoming
        if e.id in local and entry_essence(e, kinds.get(e.id)) != entry_essence(local[e.id])
    ]


__all__ = [
    "FieldDecision",
    "changes_field",
    "decide_fields",
    "differing_entries",
    "entry_essence",
    "field_value",
]
