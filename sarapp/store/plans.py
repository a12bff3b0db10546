"""Search plans: a unit tasked with a pattern and time window in a case, and what became of it.

A plan is stored with its pattern parameters (course ° true, spacing and sizes NM), its
waypoints (WGS84 degrees), its time window (UTC) and its POD (0–1); the case log says what was
tasked in words a coordinator reads aloud, and again when the search is reported done or is
cancelled (``desk.plans``). The store knows pattern kinds only by name (it sits below
``sarapp.planning``).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.geo import format_ddm, format_dtg
from sarapp.limits import check_text
from sarapp.model import CaseId, Changes, EntryKind, UnitId, new_id
from sarapp.model_plans import PlanTasked, PlanWaypoint, SearchPlanRecord
from sarapp.store import rows
from sarapp.store.errors import HandoverError, PlanError, UnitError
from sarapp.store.text_query import like_prefix
from sarapp.times import check_not_before_1970

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

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


class Plans:
    """Held by the desk as ``desk.plans``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def add(
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
        case_id = self._desk.cases.resolve(case_ref)
        unit_id, unit_name = self._plan_unit(unit)
        if pattern not in PLAN_PATTERNS:
            raise PlanError(f"pattern {pattern!r} is not one of {', '.join(PLAN_PATTERNS)}")
        points = _checked_waypoints(waypoints)
        _check_texts(unit_name=unit_name, author=author, points=points)
        _check_window(start, end)
        if pod is not None and not 0.0 <= pod <= 1.0:
            raise PlanError(f"POD {pod!r} must be between 0 and 1")
        if drift_run_id is not None:
            found = self._desk.backend.execute(
                "SELECT 1 FROM drift_runs WHERE id = ? AND case_id = ?", (drift_run_id, case_id)
            ).fetchone()
            if not found:
                raise PlanError(f"drift run {drift_run_id!r} is not kept with this case")
        try:
            json.dumps(dict(params), allow_nan=False)
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
        plan = SearchPlanRecord(
            id=plan_id,
            case_id=case_id,
            unit_id=unit_id,
            unit_name=unit_name,
            pattern=pattern,
            params=dict(params),
            waypoints=tuple(points),
            start=start,
            end=end,
            pod=pod,
            drift_run_id=drift_run_id,
            status="planned",
            created=self._desk.clock(),
            author=author,
        )
        with self._desk.transaction():
            self._insert([plan])
            changes = self._desk.chain.append(
                case_id,
                kind=EntryKind.NOTE,
                text=text,
                author=author,
                data={"search_plan": plan_id, "status": "planned"},
            )
            return PlanTasked(plan_id, self._desk.announce(changes | Changes(plans=(plan_id,))))

    def for_case(self, case_ref: str) -> list[SearchPlanRecord]:
        """The case's plans, oldest first."""
        case_id = self._desk.cases.resolve(case_ref)
        return self._read(
            "SELECT * FROM search_plans WHERE case_id = ? ORDER BY created, rowid", (case_id,)
        )

    def get(self, plan_ref: str) -> SearchPlanRecord:
        """A plan by its id or a unique prefix of it."""
        ref = plan_ref.strip().lower()
        if not ref:
            raise PlanError("no search plan given")
        found = self._read(
            "SELECT * FROM search_plans WHERE CAST(id AS TEXT) LIKE ? ESCAPE '\\' LIMIT 2",
            (like_prefix(ref),),
        )
        if not found:
            raise PlanError(f"no search plan {plan_ref!r} on this desk (see 'sarapp plan pos')")
        if len(found) > 1:
            raise PlanError(f"search plan reference {plan_ref!r} is ambiguous; give more of it")
        return found[0]

    def set_status(self, plan_ref: str, status: str, author: str) -> Changes:
        """Report a planned search ``done`` (nothing found) or ``cancelled``; logged."""
        author = _required(author, "every change needs an author: set the operator name")
        if status not in ("done", "cancelled"):
            raise PlanError(f"plan status {status!r} is not 'done' or 'cancelled'")
        plan = self.get(plan_ref)
        if plan.status != "planned":
            raise PlanError(
                f"the search by {plan.unit_name} is already {plan.status}; only a planned "
                "search can be reported done or cancelled"
            )
        name = plan.pattern.replace("-", " ")
        pod = f", POD {plan.pod:.0%}" if plan.pod is not None else ""
        outcome = "reported done, nothing found" if status == "done" else "cancelled"
        text = f"Search by {plan.unit_name} ({name}{pod}) {outcome}."
        with self._desk.transaction():
            self._desk.backend.execute(
                "UPDATE search_plans SET status = ? WHERE id = ?", (status, plan.id)
            )
            changes = self._desk.chain.append(
                plan.case_id,
                kind=EntryKind.NOTE,
                text=text,
                author=author,
                data={"search_plan": plan.id, "status": status},
            )
            return self._desk.announce(changes | Changes(plans=(plan.id,)))

    def add_received(
        self,
        case_id: CaseId,
        plans: Sequence[SearchPlanRecord],
        statuses: Sequence[tuple[str, str]],
    ) -> None:
        """Add another desk's plans of the case as they are (their UUIDs, every field) and
        set the statuses it reported (a planned search done or cancelled), inside the
        caller's transaction. A plan id this desk holds in another case is refused."""
        for plan in plans:
            row = self._desk.backend.execute(
                "SELECT case_id FROM search_plans WHERE id = ?", (plan.id,)
            ).fetchone()
            if row is not None:
                raise HandoverError(
                    f"search plan {plan.id} already exists here in another case ({row[0]}); "
                    f"the package cannot be merged into case {case_id}"
                )
        self._insert([dataclasses.replace(plan, case_id=case_id) for plan in plans])
        for plan_id, status in statuses:
            self._desk.backend.execute(
                "UPDATE search_plans SET status = ?"
                " WHERE id = ? AND case_id = ? AND status = 'planned'",
                (status, plan_id, case_id),
            )

    def _insert(self, plans: Sequence[SearchPlanRecord]) -> None:
        stored = self._desk.values
        self._desk.backend.executemany(
            "INSERT INTO search_plans (id, case_id, unit_id, unit_name, pattern, params,"
            ' waypoints, start, "end", pod, drift_run_id, status, created, author)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    p.id,
                    p.case_id,
                    p.unit_id,
                    p.unit_name,
                    p.pattern,
                    stored.json(p.params),
                    stored.json([[w.name, w.lat, w.lon] for w in p.waypoints]),
                    stored.time(p.start) if p.start else None,
                    stored.time(p.end) if p.end else None,
                    p.pod,
                    p.drift_run_id,
                    p.status,
                    stored.time(p.created),
                    p.author,
                )
                for p in plans
            ],
        )

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[SearchPlanRecord]:
        values = self._desk.values
        return [rows.plan_from_row(r, values) for r in self._desk.backend.rows(sql, params)]

    def _plan_unit(self, unit: str) -> tuple[UnitId | None, str]:
        ref = _required(unit, "a search plan needs a unit (a registered unit or a name)")
        try:
            registered = self._desk.units.get(ref)
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


__all__ = ["PLAN_PATTERNS", "PLAN_STATUSES", "Plans", "tasking_text"]
