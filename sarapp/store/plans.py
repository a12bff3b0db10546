"""Search plans: a unit tasked with a pattern and time window in a case, and what became of it.

A plan is stored with its pattern parameters (course ° true, spacing and sizes NM), its
waypoints (WGS84 degrees), its time window (UTC) and its POD (0–1); the case log says what was
tasked in words a coordinator reads aloud, and again when the search is reported done or is
cancelled. The store knows pattern kinds only by name (it sits below ``sarapp.planning``).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.errors import SarappError
from sarapp.geo import format_ddm, format_dtg
from sarapp.limits import check_text
from sarapp.model import CaseId, Changes, EntryKind, UnitId, new_id
from sarapp.store import rows
from sarapp.store.units import UnitError
from sarapp.times import check_not_before_1970

# The kinds of sarapp.planning.patterns.PATTERN_KINDS (a test keeps the two lists equal).
PLAN_PATTERNS = (
    "expanding-square",
    "sector",
    "parallel-track",
    "creeping-line",
    "coordinated-creeping-line",
    "track-line",
)
PLAN_STATUSES = ("planned", "done", "cancelled")


class PlanError(SarappError, ValueError):
    """A search plan that cannot be stored or changed; the message names the field."""


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
    """What ``add_search_plan`` changed, and the new plan's id."""

    plan_id: str
    changes: Changes


class PlanStore:
    """Mixed into Store: needs ``conn``, ``transaction()``, ``resolve_case``, ``unit`` and
    ``_append``."""

    conn: sqlite3.Connection
    clock: Callable[[], datetime]  # the Store's

    def add_search_plan(
        self,
        case_ref: str,
        *,
        unit: str,
        pattern: str,
        params: Mapping[str, Any],
        waypoints: Sequence[Any],
        start: datetime | None,
        end: datetime | None,
        pod: float | None,
        drift_run_id: str | None,
        author: str,
    ) -> PlanTasked:
        """Task ``unit`` (a registry unit by id, name or MMSI, or a free name) with a pattern.

        ``waypoints`` are objects with ``name``, ``lat``, ``lon`` (or such mappings, or
        ``(name, lat, lon)`` tuples), CSP first.
        """
        author = _required(author, "every change needs an author: set the operator name")
        case_id: CaseId = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        unit_id, unit_name = self._plan_unit(unit)
        if pattern not in PLAN_PATTERNS:
            raise PlanError(f"pattern {pattern!r} is not one of {', '.join(PLAN_PATTERNS)}")
        points = _checked_waypoints(waypoints)
        _check_texts(unit_name=unit_name, author=author, points=points)
        _check_window(start, end)
        if pod is not None and not 0.0 <= pod <= 1.0:
            raise PlanError(f"POD {pod!r} must be between 0 and 1")
        if drift_run_id is not None:
            found = self.conn.execute(
                "SELECT 1 FROM drift_runs WHERE id = ? AND case_id = ?", (drift_run_id, case_id)
            ).fetchone()
            if not found:
                raise PlanError(f"drift run {drift_run_id!r} is not kept with this case")
        try:
            params_text = json.dumps(dict(params), sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise PlanError(f"plan parameters cannot be stored as JSON ({exc})") from None
        plan_id = new_id()
        text = tasking_text(
            unit_name=unit_name,
            pattern=pattern,
            params=params,
            csp=points[0],
            start=start,
            end=end,
            pod=pod,
        )
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.execute(
                "INSERT INTO search_plans (id, case_id, unit_id, unit_name, pattern, params,"
                " waypoints, start, end, pod, drift_run_id, status, created, author)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)",
                (
                    plan_id,
                    case_id,
                    unit_id,
                    unit_name,
                    pattern,
                    params_text,
                    json.dumps([[p.name, p.lat, p.lon] for p in points]),
                    rows.time_to_text(start) if start else None,
                    rows.time_to_text(end) if end else None,
                    pod,
                    drift_run_id,
                    rows.time_to_text(self.clock()),
                    author,
                ),
            )
            changes = self._append(  # type: ignore[attr-defined]
                case_id,
                kind=EntryKind.NOTE,
                text=text,
                author=author,
                data={"search_plan": plan_id, "status": "planned"},
            )
        return PlanTasked(plan_id, changes | Changes(plans=(plan_id,)))

    def search_plans(self, case_ref: str) -> list[SearchPlanRecord]:
        """The case's plans, oldest first."""
        case_id = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        cursor = self.conn.execute(
            "SELECT * FROM search_plans WHERE case_id = ? ORDER BY created, rowid", (case_id,)
        )
        columns = [d[0] for d in cursor.description]
        return [_plan_from_row(dict(zip(columns, r, strict=True))) for r in cursor]

    def search_plan(self, plan_ref: str) -> SearchPlanRecord:
        """A plan by its id or a unique prefix of it."""
        ref = plan_ref.strip().lower()
        if not ref:
            raise PlanError("no search plan given")
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        cursor = self.conn.execute(
            "SELECT * FROM search_plans WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",)
        )
        columns = [d[0] for d in cursor.description]
        found = [_plan_from_row(dict(zip(columns, r, strict=True))) for r in cursor]
        if not found:
            raise PlanError(f"no search plan {plan_ref!r} on this desk (see 'sarapp plan pos')")
        if len(found) > 1:
            raise PlanError(f"search plan reference {plan_ref!r} is ambiguous; give more of it")
        return found[0]

    def set_plan_status(self, plan_ref: str, status: str, author: str) -> Changes:
        """Report a planned search ``done`` (nothing found) or ``cancelled``; logged."""
        author = _required(author, "every change needs an author: set the operator name")
        if status not in ("done", "cancelled"):
            raise PlanError(f"plan status {status!r} is not 'done' or 'cancelled'")
        plan = self.search_plan(plan_ref)
        if plan.status != "planned":
            raise PlanError(
                f"the search by {plan.unit_name} is already {plan.status}; only a planned "
                "search can be reported done or cancelled"
            )
        name = plan.pattern.replace("-", " ")
        pod = f", POD {plan.pod:.0%}" if plan.pod is not None else ""
        outcome = "reported done, nothing found" if status == "done" else "cancelled"
        text = f"Search by {plan.unit_name} ({name}{pod}) {outcome}."
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.execute("UPDATE search_plans SET status = ? WHERE id = ?", (status, plan.id))
            changes = self._append(  # type: ignore[attr-defined]
                plan.case_id,
                kind=EntryKind.NOTE,
                text=text,
                author=author,
                data={"search_plan": plan.id, "status": status},
            )
        return changes | Changes(plans=(plan.id,))

    def _plan_unit(self, unit: str) -> tuple[UnitId | None, str]:
        ref = _required(unit, "a search plan needs a unit (a registered unit or a name)")
        try:
            registered = self.unit(ref)  # type: ignore[attr-defined]
        except UnitError:
            return None, ref
        return registered.id, registered.name


def tasking_text(
    *,
    unit_name: str,
    pattern: str,
    params: Mapping[str, Any],
    csp: PlanWaypoint,
    start: datetime | None,
    end: datetime | None,
    pod: float | None,
) -> str:
    """The log line of a tasking: unit, pattern, CSP (DDM), first course, spacing, DTGs, POD."""
    parts = [
        f"{unit_name} tasked: {pattern.replace('-', ' ')} search",
        f"CSP {format_ddm(*_ll(csp))}",
    ]
    course = params.get("course_deg")
    if course is not None:
        parts.append(f"first course {float(course):03.0f}°T")
    spacing = params.get("spacing_nm")
    if spacing:
        parts.append(f"track spacing {float(spacing):g} NM")
    if start and end:
        parts.append(f"from {format_dtg(start)} to {format_dtg(end)}")
    elif start:
        parts.append(f"from {format_dtg(start)}")
    elif end:
        parts.append(f"until {format_dtg(end)}")
    if pod is not None:
        parts.append(f"POD {pod:.0%}")
    return ", ".join(parts) + "."


def _ll(point: PlanWaypoint) -> tuple[float, float]:
    return point.lat, point.lon


def _check_texts(*, unit_name: str, author: str, points: Sequence[PlanWaypoint]) -> None:
    """The handover format's limits, and no hidden characters in these names."""
    checks = [("unit name", unit_name, "plan", "unit_name"), ("author", author, "plan", "author")]
    checks += [(f"waypoint {i + 1} name", p.name, "waypoint", "name") for i, p in enumerate(points)]
    for label, text, definition, member in checks:
        try:
            check_text(text, definition, member)
        except ValueError as exc:
            raise PlanError(f"plan {label}: {exc}") from None


def _required(text: str, why: str) -> str:
    text = (text or "").strip()
    if not text:
        raise PlanError(why)
    return text


def _checked_waypoints(waypoints: Sequence[Any]) -> list[PlanWaypoint]:
    points = []
    for i, wp in enumerate(waypoints):
        if isinstance(wp, Mapping):
            name, lat, lon = wp.get("name", ""), wp.get("lat"), wp.get("lon")
        elif isinstance(wp, tuple | list):
            name, lat, lon = wp if len(wp) == 3 else ("", None, None)
        else:
            name, lat, lon = (
                getattr(wp, "name", ""),
                getattr(wp, "lat", None),
                getattr(wp, "lon", None),
            )
        try:
            lat, lon = float(lat), float(lon)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise PlanError(f"waypoint {i + 1}: needs a latitude and a longitude") from None
        if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
            raise PlanError(f"waypoint {i + 1} ({lat}, {lon}) is off the globe")
        points.append(PlanWaypoint(str(name) or f"WP{i}", lat, lon))
    if not points:
        raise PlanError("a search plan needs at least its commence-search point")
    return points


def _check_window(start: datetime | None, end: datetime | None) -> None:
    for label, moment in (("start", start), ("end", end)):
        if moment is not None and (moment.tzinfo is None or moment.utcoffset()):
            raise PlanError(f"plan {label} {moment.isoformat()} must be given in UTC")
        if moment is not None:
            check_not_before_1970(moment, what=f"plan {label}")
    if start and end and not end > start:
        raise PlanError(f"plan end {format_dtg(end)} is not after its start {format_dtg(start)}")


def _plan_from_row(r: dict[str, Any]) -> SearchPlanRecord:
    return SearchPlanRecord(
        id=r["id"],
        case_id=CaseId(r["case_id"]),
        unit_id=UnitId(r["unit_id"]) if r["unit_id"] else None,
        unit_name=r["unit_name"],
        pattern=r["pattern"],
        params=json.loads(r["params"]),
        waypoints=tuple(PlanWaypoint(n, lat, lon) for n, lat, lon in json.loads(r["waypoints"])),
        start=rows.time_from_text(r["start"]) if r["start"] else None,
        end=rows.time_from_text(r["end"]) if r["end"] else None,
        pod=r["pod"],
        drift_run_id=r["drift_run_id"],
        status=r["status"],
        created=rows.time_from_text(r["created"]),
        author=r["author"],
    )
