"""Case fields and log entries of a known case, merged by what each desk's log says.

Every change of a case field is logged (``field``, ``phase``, ``status``, a ``position``
made the LKP), and the package carries the sender's whole log. So when a field differs:

- only the package holds changes of it this desk lacks → this desk takes the incoming value
  (the sender changed it later; its change comes with the package);
- only this desk holds changes of it the package lacks → the local value stands, silently
  (this desk is ahead; the sender will get the change with this desk's next package);
- both, or neither → a conflict: the local value is kept and the difference listed.

Between two RCCs the desk that meets both changes first keeps its value, and the other follows
that decision when the first desk's log reaches it (issue 11). Between a field laptop and its
centre (``hold_conflicts``) neither gives way until an officer sets the field again: when the
incoming entries hold the other desk's own record of that very conflict (it kept its value
against this desk's, and nothing after it changes the field), this desk keeps its value too.

Each decision names who last changed the field on either side, and when (the entry's author
and time), so the officer resolving a conflict knows whom to ask.

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

from sarapp.geo import format_dtg
from sarapp.model import Case, EntryKind, LogEntry
from sarapp.model_exchange import KEPT_LOCAL, ORIGIN_KEY
from sarapp.store.packages import IMPORT_CONFLICT

TOOK_CHANGE = "took incoming value (changed on the sending desk only)"
COORDINATION_FIELDS = ("rcc", "smc")


@dataclass(frozen=True)
class FieldDecision:
    """A compared case field whose values differ, and what the import does with it."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL
    local_by: str = ""  # who last changed the field here, and when ("opA, 041230Z NOV 26")
    incoming_by: str = ""  # … and on the other desk, as far as its entries say

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
    local_log: Iterable[LogEntry] = (),
    hold_conflicts: bool = False,
) -> tuple[FieldDecision, ...]:
    """The fields whose values differ, each with its decision (see the module docstring).

    ``new_entries``: the package's entries this desk lacks; ``local_only``: this desk's
    entries the package lacks; ``accepted_by``: the RCC whose acceptance of coordination
    the package brings (None when it brings none); ``local_log``: this desk's whole log of
    the case, to name who last changed a field here when ``local_only`` does not;
    ``hold_conflicts``: a conflict the other desk logged holds here too (a sync).
    """
    theirs, mine, log = list(new_entries), list(local_only), list(local_log)
    found = []
    for name in names:
        here, there = field_value(local, name), field_value(incoming, name)
        if here == there:
            continue
        they_changed = any(changes_field(e, name) for e in theirs)
        we_changed = any(changes_field(e, name) for e in mine)
        standing = standing_conflict(theirs, name, here) if hold_conflicts else None
        if accepted_by and name in COORDINATION_FIELDS:
            decision = f"took incoming value (coordination accepted by {accepted_by})"
        elif standing is not None:
            decision = KEPT_LOCAL
        elif they_changed and not we_changed:
            decision = TOOK_CHANGE
        elif we_changed and not they_changed:
            continue  # this desk is ahead: nothing to say
        else:
            decision = KEPT_LOCAL
        by_them = _last_change(theirs, name)
        incoming_by = changed_by(by_them) if by_them else _conflict_by(standing, "local_by")
        local_by = changed_by(_last_change(mine, name) or _last_change(log, name))
        found.append(FieldDecision(name, here, there, decision, local_by, incoming_by))
    return tuple(found)


def standing_conflict(entries: Iterable[LogEntry], name: str, here: Any) -> LogEntry | None:
    """The other desk's logged conflict on field ``name`` that still stands: it kept its value
    against ``here`` (this desk's value), and none of ``entries`` after it changes the field."""
    found = None
    for entry in entries:
        item = entry.data.get(IMPORT_CONFLICT)
        if (
            isinstance(item, dict)
            and item.get("field") == name
            and item.get("decision") == KEPT_LOCAL
            and item.get("incoming") == here
        ):
            found = entry
        elif found is not None and changes_field(entry, name):
            found = None
    return found


def changed_by(entry: LogEntry | None) -> str:
    """``author, DTG`` of an entry, as a conflict names who changed a field."""
    return f"{entry.author}, {format_dtg(entry.time)}" if entry is not None else ""


def _last_change(entries: list[LogEntry], name: str) -> LogEntry | None:
    return next((e for e in reversed(entries) if changes_field(e, name)), None)


def _conflict_by(entry: LogEntry | None, member: str) -> str:
    item = entry.data.get(IMPORT_CONFLICT) if entry is not None else None
    value = item.get(member) if isinstance(item, dict) else None
    return value if isinstance(value, str) else ""


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
    "changed_by",
    "changes_field",
    "decide_fields",
    "differing_entries",
    "entry_essence",
    "field_value",
    "standing_conflict",
]
