"""Domain values of the case desk: cases, positions and the case log.

Frozen dataclasses with no I/O. Inside sarapp, positions are WGS84 degrees, distances metres,
times timezone-aware UTC ``datetime``; knots, nautical miles and DTGs only at the edges.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NewType

CaseId = NewType("CaseId", str)
EntryId = NewType("EntryId", str)
PositionId = NewType("PositionId", str)
UnitId = NewType("UnitId", str)


def new_id() -> str:
    """A fresh random UUID as text: identity that travels between RCCs without collisions."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    """Now, in UTC, to the microsecond."""
    return datetime.now(UTC)


class AlertPhase(StrEnum):
    """The three emergency phases of the IAMSAR Manual, in increasing gravity."""

    INCERFA = "INCERFA"  # uncertainty
    ALERFA = "ALERFA"  # alert
    DETRESFA = "DETRESFA"  # distress

    @property
    def meaning(self) -> str:
        return {"INCERFA": "uncertainty", "ALERFA": "alert", "DETRESFA": "distress"}[self.value]


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EntryKind(StrEnum):
    """What a log entry records. Everything but ``note`` is written by the desk itself."""

    NOTE = "note"  # typed by an operator
    CREATED = "created"  # the case was opened
    PHASE = "phase"  # alert phase changed
    STATUS = "status"  # case closed or reopened
    FIELD = "field"  # a case field was edited (old and new value in ``data``)
    POSITION = "position"  # a position report
    CORRECTION = "correction"  # corrects an earlier entry (``corrects``)
    ALERT = "alert"  # a received alert message, verbatim
    HANDOVER = "handover"  # between RCCs: a package sent or received, coordination, a SITREP
    PERSONS = "persons"  # the persons register: records, counts, statuses (``data.register``)
    PRIVACY = "privacy"  # personal data purged, or disclosed outside a package


@dataclass(frozen=True)
class Position:
    """A reported position of the search object: where, when, from what source, how good.

    ``accuracy_m`` is the radius of the reported uncertainty in metres (None if unknown);
    ``source`` says where it came from (``reported``, ``doppler-A``, ``ais``, ``sru``…).
    """

    lat: float
    lon: float
    time: datetime | None = None
    source: str = "reported"
    accuracy_m: float | None = None
    id: PositionId = field(default_factory=lambda: PositionId(new_id()))


@dataclass(frozen=True)
class Case:
    """A distress case as the desk holds it now. Its history is in the case log."""

    id: CaseId
    number: str  # for people: "2026-0007"; unique per desk, not across RCCs
    title: str
    phase: AlertPhase
    status: CaseStatus
    created: datetime
    updated: datetime
    nature: str = ""  # nature of distress: "fire", "taking water", "man overboard"…
    pob: int | None = None  # persons on board
    vessel_name: str = ""
    mmsi: str = ""
    imo: str = ""
    call_sign: str = ""
    flag: str = ""  # ISO 3166-1 alpha-2
    vessel_type: str = ""
    vessel_description: str = ""
    rcc: str = ""  # responsible RCC
    smc: str = ""  # SAR mission coordinator
    lkp: Position | None = None  # last known position
    is_demo: bool = False
    # Where an imported case was opened: that RCC's id and its case number (for people, and
    # to find the case by the number the other RCC quotes); empty for a case opened here.
    origin_rcc: str = ""
    origin_number: str = ""
    # Place of safety and disembarkation (times as the desk stores them, or None).
    port_requested: str = ""
    port_requested_at: str | None = None
    port_assigned: str = ""
    port_authority: str = ""  # the authority that assigned the place of safety
    port_assigned_at: str | None = None
    disembark_unit: str = ""  # the unit carrying the persons
    disembark_eta: str | None = None
    disembarked_at: str | None = None
    # How the case ended, chosen when it was closed (sarapp.outcomes); "" while open or
    # when not given.
    outcome: str = ""

    @property
    def origin_text(self) -> str:
        """``MRCC-ETEL 2026-0001`` for an imported case, else empty."""
        return f"{self.origin_rcc} {self.origin_number}".strip() if self.origin_rcc else ""

    @property
    def is_open(self) -> bool:
        return self.status is CaseStatus.OPEN


@dataclass(frozen=True)
class LogEntry:
    """One append-only line of a case's log.

    ``hash`` is the SHA-256 of the entry's content chained to ``prev_hash`` (the hash of the
    case's previous entry), so an edit made behind the desk's back breaks the chain.
    ``written_by`` is the database login that stored it on a PostgreSQL desk, set by the
    database itself (so an entry cannot claim another officer's login; ``author`` is the name
    the officer gave); None on a desk file. It is not part of the hash: it is this database's
    record, not the entry's content.
    """

    id: EntryId
    case_id: CaseId
    seq: int  # 1, 2, 3… within the case
    time: datetime
    author: str
    kind: EntryKind
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    corrects: EntryId | None = None
    prev_hash: str = ""
    hash: str = ""
    written_by: str | None = None


class UnitType(StrEnum):
    """Kinds of search and rescue unit (SRU), as the chart draws them."""

    LIFEBOAT = "lifeboat"
    PATROL_VESSEL = "patrol_vessel"
    HELICOPTER = "helicopter"
    FIXED_WING = "fixed_wing"
    MERCHANT_VESSEL = "merchant_vessel"

    @property
    def label(self) -> str:
        """For people: "fixed-wing aircraft", "patrol vessel"…"""
        return (
            "fixed-wing aircraft" if self is UnitType.FIXED_WING else self.value.replace("_", " ")
        )


@dataclass(frozen=True)
class Unit:
    """A rescue unit in the desk's registry. Speeds in knots and endurance in hours, as
    units report them (they are planning figures at the edge, not physics inside)."""

    id: UnitId
    name: str
    unit_type: UnitType
    call_sign: str = ""
    mmsi: str = ""
    speed_kt: float | None = None
    endurance_h: float | None = None
    home_base: str = ""


@dataclass(frozen=True)
class UnitPosition:
    """Where a unit was: by hand, or from its AIS reports (``source`` says which)."""

    unit_id: UnitId
    lat: float
    lon: float
    time: datetime
    source: str = "reported"
    sog_kt: float | None = None
    cog_deg: float | None = None
    heading_deg: float | None = None
    altitude_m: float | None = None


@dataclass(frozen=True)
class DriftRecord:
    """A drift run kept with its case: what was asked (``params``, ``forcing``, ``seed``,
    enough to run it again bit for bit) and what came out (``summary``: datum track,
    areas, spread), each as the plain JSON dicts of ``sarapp.drift``."""

    id: str
    case_id: CaseId
    created: datetime
    author: str
    label: str
    seed: int
    params: dict[str, Any]
    forcing: dict[str, Any]
    summary: dict[str, Any]


@dataclass(frozen=True)
class Rcc:
    """An RCC as packages name it: a short id (``MRCC-ETEL``), its name and ISO 3166 country."""

    id: str
    name: str = ""
    country: str = ""


@dataclass(frozen=True)
class PeerKey:
    """A peer RCC's public key as the desk's trust list holds it: ``public_key`` is base64 of
    the 32 raw Ed25519 bytes, ``added`` ISO 8601 UTC, ``added_by`` the operator who trusted it
    (or where it was adopted from)."""

    rcc: Rcc
    public_key: str
    fingerprint: str
    added: str = ""
    added_by: str = ""


@dataclass(frozen=True)
class SearchHit:
    """A log entry found by a full-text search of the desk, with its case number and the
    matching words between ``[`` and ``]`` in ``snippet``."""

    entry: LogEntry
    case_number: str
    snippet: str


@dataclass(frozen=True)
class CheckReport:
    """What ``db check`` found: one line per problem (a change made behind the desk's back),
    and notices of what could not be checked (no key to extend the checkpoints, say)."""

    problems: tuple[str, ...]
    cases: int
    entries: int
    notices: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Changes:
    """What a store operation changed, so views refresh just that (never from SQL of their own).

    ``plans``: search plans added or changed; ``packages``: handover packages sent, queued,
    delivered or received; ``coordination``: cases whose coordinating RCC history changed;
    ``trust``: the desk's RCC identity, key or trust list.
    """

    cases: frozenset[CaseId] = frozenset()
    entries: tuple[EntryId, ...] = ()
    positions: tuple[PositionId, ...] = ()
    created: bool = False
    units: frozenset[UnitId] = frozenset()
    drift_runs: tuple[str, ...] = ()
    trust: bool = False  # the desk's RCC identity, key or trust list changed
    plans: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    coordination: frozenset[CaseId] = frozenset()
    persons: tuple[str, ...] = ()  # person records added or changed (their ids)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            cases=self.cases | other.cases,
            entries=self.entries + other.entries,
            positions=self.positions + other.positions,
            created=self.created or other.created,
            units=self.units | other.units,
            drift_runs=self.drift_runs + other.drift_runs,
            trust=self.trust or other.trust,
            plans=self.plans + other.plans,
            packages=self.packages + other.packages,
            coordination=self.coordination | other.coordination,
            persons=self.persons + other.persons,
        )

    def __bool__(self) -> bool:
        """Whether anything changed at all."""
        return self != Changes()
