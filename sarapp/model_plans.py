"""Search plans as the desk keeps them: a unit tasked with a pattern, its turn points, its
time window and what became of it. Frozen dataclasses with no I/O (``sarapp.model``'s rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.model import CaseId, Changes, UnitId


@dataclass(frozen=True)
class PlanWaypoint:
    """A turn point of a stored plan, WGS84 degrees."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class SearchPlanRecord:
    """A stored plan: pattern parameters (° true, NM), waypoints, window (UTC), POD (0–1)."""

    id: str
    case_id: CaseId
    unit_id: UnitId | None
    unit_name: str
    pattern: str
    params: dict[str, Any]
    waypoints: tuple[PlanWaypoint, ...]
    start: datetime | None
    end: datetime | None
    pod: float | None
    drift_run_id: str | None
    status: str
    created: datetime
    author: str


@dataclass(frozen=True)
class PlanTasked:
    """What tasking a unit changed, and the new plan's id."""

    plan_id: str
    changes: Changes


__all__ = ["PlanTasked", "PlanWaypoint", "SearchPlanRecord"]
