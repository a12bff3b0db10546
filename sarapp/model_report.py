"""The rows the annual report reads from the desk: plain values of the cases a period
counts, nothing computed (``sarapp.report`` makes the figures). Frozen dataclasses with no
I/O (``sarapp.model``'s rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

REPORT_LOG_KINDS = ("phase", "status")  # the entries that tell the phases and the closings


@dataclass(frozen=True)
class ReportPeriod:
    """The period [start, end) (UTC) whose cases the report queries read (from
    ``Desk.reports.period``)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class ReportCaseRow:
    """A case as it stands now; ``lat``/``lon`` its last known position (None if none)."""

    id: str
    number: str
    created: datetime
    phase: str
    status: str
    nature: str
    vessel_type: str
    flag: str
    pob: int | None
    rcc: str
    lat: float | None
    lon: float | None
    outcome: str = ""  # how the case ended, chosen at closing ("": not given, or open)


@dataclass(frozen=True)
class ReportRegisterRow:
    """A case's persons register: the counts' totals (category → total, None: not known),
    each ``persons`` entry's time and the records it left (person id → status), in the order
    logged, and each record's time of recovery (None: not given)."""

    case_id: str
    totals: dict[str, int | None]
    statuses: tuple[tuple[datetime, dict[str, str]], ...]
    recovered: dict[str, datetime | None]


@dataclass(frozen=True)
class ReportEventRow:
    """A ``phase`` or ``status`` log entry: its time and structured data (old, new)."""

    case_id: str
    kind: str
    time: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class ReportAlertRow:
    """A received alert linked to a case (``kind``: sit185, ais, dsc…) and its log entry's
    structured data (device, test flag, DSC call kind…)."""

    case_id: str
    kind: str
    received: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class ReportPlanRow:
    """A search plan: its unit (``unit_type`` empty for a unit not in the registry),
    pattern parameters, waypoints ((lat, lon) degrees), window and status, and when it was
    tasked (``created``)."""

    id: str
    case_id: str
    unit_id: str | None
    unit_name: str
    unit_type: str
    pattern: str
    params: dict[str, Any]
    waypoints: tuple[tuple[float, float], ...]
    start: datetime | None
    end: datetime | None
    status: str
    created: datetime


@dataclass(frozen=True)
class PlanAreaQuery:
    """Where and when to look for a plan's unit: a (south, west, north, east) box in degrees
    and a time window (UTC)."""

    plan_id: str
    unit_id: str
    south: float
    west: float
    north: float
    east: float
    since: datetime
    until: datetime


@dataclass(frozen=True)
class ReportFixRow:
    """A position of a plan's unit inside the plan's query box and window."""

    plan_id: str
    lat: float
    lon: float
    time: datetime


@dataclass(frozen=True)
class ReportCoordinationRow:
    case_id: str
    event: str  # coordinating, proposed, accepted, declined
    rcc_id: str
    package_id: str | None
    time: datetime


@dataclass(frozen=True)
class ReportPackageRow:
    """A package sent or received; ``outbox`` its delivery state when it went through the
    outbox (prepared, delivered, failed), else "" (written to a file, or received)."""

    case_id: str
    direction: str  # sent, received
    purpose: str
    peer_rcc: str
    time: datetime
    outbox: str = ""


@dataclass(frozen=True)
class ReportRccRow:
    """An RCC the desk knows: itself (``own``) or a trusted peer, with its ISO country."""

    rcc_id: str
    name: str
    country: str
    own: bool


__all__ = [
    "REPORT_LOG_KINDS",
    "PlanAreaQuery",
    "ReportAlertRow",
    "ReportCaseRow",
    "ReportCoordinationRow",
    "ReportEventRow",
    "ReportFixRow",
    "ReportPackageRow",
    "ReportPeriod",
    "ReportPlanRow",
    "ReportRccRow",
]
