"""What a desk records of its syncs with a field laptop or its centre: the cases the centre
gave each laptop, the peers it syncs with, and how far each side holds the other's case logs.
Frozen dataclasses with no I/O (``sarapp.model``'s rules).

A case log's entries are filed in each desk's own order (``seq``). Per peer and case a desk
keeps ``received_seq``: it holds the peer's chain up to that seq (everything the peer would
send of it: the peer's own sync receipts never travel, nor entries that came from here);
``acked_seq``: the peer said it holds this desk's chain up to there; ``ranges``: this desk's
seqs above that filled with entries that came from the peer (the peer holds them too). What
the peer lacks is then this desk's entries after ``acked_seq`` outside ``ranges``, less this
desk's own sync receipts: nothing is sent twice, and the marks are written in the same
transaction as what they describe, so an interrupted sync leaves them true.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sarapp.model import CaseId

SYNC_KEY = "sync"  # member of an import note's ``data.handover``: a sync receipt (desk, peer)
GIVEN_KEY = "sync_given"  # data member of the entry that gives or withdraws a case


@dataclass(frozen=True)
class Grant:
    """A case the centre gave a field laptop (``laptop``: its name, i.e. RCC id)."""

    laptop: str
    case_id: CaseId
    granted: datetime
    granted_by: str


@dataclass(frozen=True)
class SyncPeer:
    """A desk this one syncs with: its desk id, its name (RCC id), where it was last reached."""

    desk_id: str
    name: str
    location: str = ""
    last_sync: datetime | None = None


@dataclass(frozen=True)
class SyncMark:
    """How far this desk and ``peer`` hold each other's log of ``case_id`` (see the module
    docstring); ``*_cut`` are the sending desk's clock when it cut what it sent (UTC)."""

    peer: str
    case_id: CaseId
    received_seq: int = 0
    received_cut: datetime | None = None
    acked_seq: int = 0
    acked_cut: datetime | None = None
    sent_seq: int = 0
    ranges: tuple[tuple[int, int], ...] = field(default=())

    def holds(self, seq: int) -> bool:
        """Whether the peer holds this desk's entry ``seq`` (acknowledged, or came from it)."""
        return seq <= self.acked_seq or any(a <= seq <= b for a, b in self.ranges)

    def with_ranges(self, added: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        """``ranges`` with ``added``, merged, those at or below ``acked_seq`` dropped."""
        spans = sorted([*self.ranges, *added])
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if b <= self.acked_seq:
                continue
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return tuple(merged)


@dataclass(frozen=True)
class CaseSync:
    """What one case's sync did on one desk: entries and the rest it took in, the conflicts
    it listed (both values, who changed each), the fields it took from the other side."""

    case_id: CaseId
    number: str
    created: bool = False
    entries: int = 0
    positions: int = 0
    drift_runs: int = 0
    units: int = 0
    unit_positions: int = 0
    plans: int = 0
    updated_plans: int = 0
    updated_fields: tuple[str, ...] = ()
    conflicts: tuple[dict, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.created
            or self.entries
            or self.positions
            or self.drift_runs
            or self.units
            or self.unit_positions
            or self.plans
            or self.updated_plans
            or self.updated_fields
            or self.conflicts
        )


__all__ = ["GIVEN_KEY", "SYNC_KEY", "CaseSync", "Grant", "SyncMark", "SyncPeer"]
