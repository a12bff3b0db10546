"""Units and their tasks in the package body (since format version 3), and back.

``units`` are the registry units the case's search plans task, each with its unit positions
within the case's time span (case created … package built); ``plans`` are the case's search
plans with every field, status included. Numbers keep the store's units: speeds in knots,
endurance in hours, courses in degrees true, sizes in NM, positions in WGS84 degrees, POD 0–1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sarapp import identity
from sarapp.exchange.errors import PackageError
from sarapp.exchange.wire import (
    id_to_wire,
    optional_id_to_wire,
    optional_time_from_wire,
    optional_time_to_wire,
    time_from_wire,
    time_to_wire,
)
from sarapp.model import Case, CaseId, Unit, UnitId, UnitPosition, UnitType, utc_now
from sarapp.model_plans import PlanWaypoint, SearchPlanRecord
from sarapp.store import Desk

UNIT_FIELDS = ("name", "unit_type", "call_sign", "mmsi", "speed_kt", "endurance_h", "home_base")
# Plan fields compared between two desks (``unit_id`` is compared after matching, ``status``
# by its own rule: see ``sarapp.exchange.tasking_merge``).
PLAN_FIELDS = ("unit_name", "pattern", "params", "waypoints", "start", "end", "pod",
               "drift_run_id", "created", "author")  # fmt: skip


def tasking_body(store: Desk, case: Case, *, until: datetime | None = None) -> dict[str, Any]:
    """The body's ``units`` and ``plans`` for ``case``: unit positions from the case's
    creation to ``until`` (default now, UTC). Read through the store's read methods only."""
    until = until or utc_now()
    plans = store.plans.for_case(case.id)
    unit_ids = list(dict.fromkeys(p.unit_id for p in plans if p.unit_id is not None))
    units = []
    for unit_id in unit_ids:
        track = [p for p in store.units.track(unit_id, since=case.created) if p.time <= until]
        units.append(unit_to_json(store.units.get(unit_id), track))
    return {"units": units, "plans": [plan_to_json(p) for p in plans]}


def unit_to_json(unit: Unit, track: list[UnitPosition]) -> dict[str, Any]:
    return {
        **unit_fields_json(unit),
        "id": id_to_wire(unit.id),
        "positions": [unit_position_to_json(p) for p in track],
    }


def unit_fields_json(unit: Unit) -> dict[str, Any]:
    """The unit's own fields (``UNIT_FIELDS``), enum values as text."""
    return {name: getattr(getattr(unit, name), "value", getattr(unit, name))
            for name in UNIT_FIELDS}  # fmt: skip


def unit_position_to_json(p: UnitPosition) -> dict[str, Any]:
    return {
        "time": time_to_wire(p.time),
        "lat": p.lat,
        "lon": p.lon,
        "source": p.source,
        "sog_kt": p.sog_kt,
        "cog_deg": p.cog_deg,
        "heading_deg": p.heading_deg,
        "altitude_m": p.altitude_m,
    }


def plan_to_json(plan: SearchPlanRecord) -> dict[str, Any]:
    return {
        "id": id_to_wire(plan.id),
        "unit_id": optional_id_to_wire(plan.unit_id),
        "status": plan.status,
        **plan_fields_json(plan),
    }


def plan_fields_json(plan: SearchPlanRecord) -> dict[str, Any]:
    """The plan's compared fields (``PLAN_FIELDS``) as the body writes them."""
    return {
        "unit_name": plan.unit_name,
        "pattern": plan.pattern,
        "params": plan.params,
        "waypoints": [{"name": w.name, "lat": w.lat, "lon": w.lon} for w in plan.waypoints],
        "start": optional_time_to_wire(plan.start),
        "end": optional_time_to_wire(plan.end),
        "pod": plan.pod,
        "drift_run_id": optional_id_to_wire(plan.drift_run_id),
        "created": time_to_wire(plan.created),
        "author": plan.author,
    }


def units_from_json(items: list[dict[str, Any]]) -> list[tuple[Unit, list[UnitPosition]]]:
    """The body's units, each checked as this desk's registry checks a unit (PackageError
    names the unit and field), with its positions."""
    return [(_checked_unit(u), _track(u)) for u in items]


def _checked_unit(u: dict[str, Any]) -> Unit:
    name = u["name"].strip()
    label = f"package refused: unit {u['name']!r}"
    if not name:
        raise PackageError("package refused: a unit has an empty name")
    try:
        mmsi = identity.validate_mmsi(u["mmsi"]) if u["mmsi"].strip() else ""
        call_sign = identity.validate_call_sign(u["call_sign"]) if u["call_sign"].strip() else ""
    except identity.IdentityError as exc:
        raise PackageError(f"{label}: {exc}") from None
    for key in ("speed_kt", "endurance_h"):
        if u[key] is not None and not u[key] > 0:
            raise PackageError(f"{label}: {key} must be positive")
    return Unit(
        id=UnitId(u["id"]),
        name=name,
        unit_type=UnitType(u["unit_type"]),
        call_sign=call_sign,
        mmsi=mmsi,
        speed_kt=None if u["speed_kt"] is None else float(u["speed_kt"]),
        endurance_h=None if u["endurance_h"] is None else float(u["endurance_h"]),
        home_base=u["home_base"].strip(),
    )


def _track(u: dict[str, Any]) -> list[UnitPosition]:
    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    return [
        UnitPosition(
            unit_id=UnitId(u["id"]),
            lat=float(p["lat"]),
            lon=float(p["lon"]),
            time=time_from_wire(p["time"]),
            source=p["source"],
            sog_kt=number(p["sog_kt"]),
            cog_deg=number(p["cog_deg"]),
            heading_deg=number(p["heading_deg"]),
            altitude_m=number(p["altitude_m"]),
        )
        for p in u["positions"]
    ]


def plans_from_json(case_id: str, items: list[dict[str, Any]]) -> list[SearchPlanRecord]:
    """The body's plans as records of ``case_id`` (ids as the sender has them)."""
    plans = []
    for p in items:
        start = optional_time_from_wire(p["start"])
        end = optional_time_from_wire(p["end"])
        if start and end and not end > start:
            raise PackageError(f"package refused: search plan {p['id']} ends before it starts")
        plans.append(
            SearchPlanRecord(
                id=p["id"],
                case_id=CaseId(case_id),
                unit_id=UnitId(p["unit_id"]) if p["unit_id"] else None,
                unit_name=p["unit_name"],
                pattern=p["pattern"],
                params=p["params"],
                waypoints=tuple(
                    PlanWaypoint(w["name"], float(w["lat"]), float(w["lon"]))
                    for w in p["waypoints"]
                ),
                start=start,
                end=end,
                pod=None if p["pod"] is None else float(p["pod"]),
                drift_run_id=p["drift_run_id"],
                status=p["status"],
                created=time_from_wire(p["created"]),
                author=p["author"],
            )
        )
    return plans


def check_tasking_references(body: dict[str, Any]) -> None:
    """Unit ids, names (any case) and MMSIs unique; plan ids unique, each plan with a
    waypoint, its unit among ``units`` and its drift run among ``drift_runs``."""
    units, plans = body.get("units", []), body.get("plans", [])
    unit_ids = {u["id"] for u in units}
    for what, keys in (
        ("id", [u["id"] for u in units]),
        ("name", [u["name"].strip().casefold() for u in units]),
        ("MMSI", [u["mmsi"].replace(" ", "") for u in units if u["mmsi"].strip()]),
    ):
        if len(set(keys)) != len(keys):
            raise PackageError(f"units: the same unit {what} appears twice")
    if len({p["id"] for p in plans}) != len(plans):
        raise PackageError("plans: the same search plan id appears twice")
    run_ids = {r["id"] for r in body.get("drift_runs", [])}
    for p in plans:
        if not p["waypoints"]:
            raise PackageError(f"search plan {p['id']}: has no commence-search point")
        if p["unit_id"] is not None and p["unit_id"] not in unit_ids:
            raise PackageError(f"search plan {p['id']}: its unit is not among the units")
        if p["drift_run_id"] is not None and p["drift_run_id"] not in run_ids:
            raise PackageError(f"search plan {p['id']}: its drift run is not in the package")


__all__ = [
    "PLAN_FIELDS",
    "UNIT_FIELDS",
    "check_tasking_references",
    "plan_fields_json",
    "plan_to_json",
    "plans_from_json",
    "tasking_body",
    "unit_fields_json",
    "units_from_json",
]
