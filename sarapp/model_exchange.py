"""What RCCs exchange, as the desk records it: packages sent and received, what an import
wrote, who coordinates a case, the outbox, the desk's identity. Frozen dataclasses with no
I/O (``sarapp.model``'s rules); the names of the log entry ``data`` members that carry an
exchange fact are here too, for both the store and ``sarapp.exchange`` read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sarapp.model import CaseId, Changes, EntryId, Rcc, Unit, UnitPosition
from sarapp.model_plans import SearchPlanRecord

KEPT_LOCAL = "kept local value"  # a field conflict's decision: this desk's value stays
ORIGIN_KEY = "_origin"  # data member of an imported entry chained afresh: the sender's place
COORDINATION_KEY = "coordination"  # data member of a log entry that records a coordination event
COORDINATION_EVENTS = ("coordinating", "proposed", "accepted", "declined")
OUTBOX_STATES = ("prepared", "delivered", "failed")


@dataclass(frozen=True)
class PackageRecord:
    """A package this desk sent or received (``digest``: SHA-256 hex of its signed content)."""

    id: str
    direction: str  # "sent" or "received"
    case_id: CaseId | None
    purpose: str
    peer_rcc: str
    signer_fingerprint: str
    signature_status: str
    digest: str
    time: datetime
    created: datetime | None = None  # the package header's creation time (replay check)


@dataclass(frozen=True)
class FieldDifference:
    """A case field both desks hold with different values; the local one is kept."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL
    local_by: str = ""  # who last changed it on each desk, and when ("opA, 041230Z NOV 26")
    incoming_by: str = ""


@dataclass(frozen=True)
class TaskingImport:
    """What an import adds to the unit registry and the case's plans, in this desk's ids:
    ``units`` to register, ``unit_positions`` to add (none already stored), ``plans`` to add
    (unit and drift run ids of this desk), ``plan_statuses`` (plan id, new status) to set."""

    units: tuple[Unit, ...] = ()
    unit_positions: tuple[UnitPosition, ...] = ()
    plans: tuple[SearchPlanRecord, ...] = ()
    plan_statuses: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.units or self.unit_positions or self.plans or self.plan_statuses)

    def counts(self) -> dict[str, int]:
        """For the import's log entry (``data.handover``)."""
        return {
            "added_units": len(self.units),
            "added_unit_positions": len(self.unit_positions),
            "added_plans": len(self.plans),
            "updated_plans": len(self.plan_statuses),
        }

    def summary_text(self) -> str:
        """The import line's words for units and plans (none when there are none)."""
        if self.is_empty:
            return ""
        return (
            f"; {len(self.units)} units registered, {len(self.unit_positions)} unit positions"
            f" and {len(self.plans)} search plans added, {len(self.plan_statuses)} plan"
            " statuses updated"
        )


NO_TASKING = TaskingImport()


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: the case, whether it is new, the entries and positions added,
    the conflicts logged (local values kept), how many entries had to be re-chained, and the
    units registered, unit positions added, search plans added and plans whose status changed."""

    case_id: CaseId
    created: bool
    added_entries: tuple[EntryId, ...]
    added_positions: tuple[str, ...]
    conflicts: tuple[FieldDifference, ...]
    rechained: int
    already_imported: bool
    changes: Changes
    added_units: tuple[str, ...] = ()
    added_unit_positions: int = 0
    added_plans: tuple[str, ...] = ()
    updated_plans: tuple[str, ...] = ()
    replay_of: str | None = None  # a newer package from the same peer was imported: nothing done
    warnings: tuple[str, ...] = ()  # logged for the officer (a sender's copy cut, say)
    updated_fields: tuple[str, ...] = ()  # case fields taken from the package


class Coordinator(NamedTuple):
    """Who coordinates a case and since when (UTC): ``rcc_id, rcc_name, since``."""

    rcc_id: str
    rcc_name: str
    since: datetime


@dataclass(frozen=True)
class CoordinationEvent:
    """One line of a case's coordination history."""

    event: str  # coordinating, proposed, accepted, declined
    rcc_id: str
    rcc_name: str
    package_id: str | None
    time: datetime
    entry_id: EntryId


@dataclass(frozen=True)
class OutboxItem:
    """A queued package (without its bytes): where it goes, and how delivery went."""

    package_id: str
    case_id: CaseId
    peer_rcc: str
    url: str
    state: str  # prepared, delivered, failed
    attempts: int
    last_error: str
    prepared: datetime
    updated: datetime
    size: int

    @property
    def pending(self) -> bool:
        return self.state != "delivered"


@dataclass(frozen=True)
class DeskIdentity:
    """Who this desk is: its id, the RCC it signs as (None until set) and its public key
    (base64; None until the desk first needs a key)."""

    desk_id: str
    rcc: Rcc | None
    public_key: str | None


@dataclass(frozen=True)
class LastPackage:
    """The newest package received from a peer for a case (``created`` as its header says)."""

    package_id: str
    created: datetime


__all__ = [
    "COORDINATION_EVENTS",
    "COORDINATION_KEY",
    "KEPT_LOCAL",
    "NO_TASKING",
    "ORIGIN_KEY",
    "OUTBOX_STATES",
    "CoordinationEvent",
    "Coordinator",
    "DeskIdentity",
    "FieldDifference",
    "ImportResult",
    "LastPackage",
    "OutboxItem",
    "PackageRecord",
    "TaskingImport",
]
