"""Rows ↔ domain values: the one place where the desk's column names meet the dataclasses.

Times and JSON come and go in the backend's storage forms through its ``Values``
(``sarapp.store.backend``); everything else is the same on every backend.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sarapp.chain import time_text
from sarapp.model import (
    AlertPhase,
    Case,
    CaseId,
    CaseStatus,
    DriftRecord,
    EntryId,
    EntryKind,
    LogEntry,
    Position,
    PositionId,
    Unit,
    UnitId,
    UnitPosition,
    UnitType,
)
from sarapp.model_plans import PlanWaypoint, SearchPlanRecord
from sarapp.store.backend import Values

# Case columns an operator edits as plain values (phase, status and LKP have their own
# operations because each is logged in its own way).
CASE_VALUE_COLUMNS = (
    "title",
    "nature",
    "pob",
    "vessel_name",
    "mmsi",
    "imo",
    "call_sign",
    "flag",
    "vessel_type",
    "vessel_description",
    "rcc",
    "smc",
    "port_requested",
    "port_requested_at",
    "port_assigned",
    "port_authority",
    "port_assigned_at",
    "disembark_unit",
    "disembark_eta",
    "disembarked_at",
)
# Value columns that hold a time (desk form) or NULL, rather than text.
CASE_TIME_COLUMNS = ("port_requested_at", "port_assigned_at", "disembark_eta", "disembarked_at")


def position_from_row(row: dict[str, Any], values: Values) -> Position:
    return Position(
        lat=row["lat"],
        lon=row["lon"],
        time=values.read_time(row["time"]) if row["time"] else None,
        source=row["source"],
        accuracy_m=row["accuracy_m"],
        id=PositionId(values.read_id(row["id"])),
    )


def position_to_row(
    position: Position, *, case_id: CaseId, recorded: datetime, values: Values
) -> dict[str, Any]:
    return {
        "id": position.id,
        "case_id": case_id,
        "lat": position.lat,
        "lon": position.lon,
        "time": values.time(position.time) if position.time else None,
        "source": position.source,
        "accuracy_m": position.accuracy_m,
        "recorded": values.time(recorded),
    }


def case_from_row(row: dict[str, Any], lkp: Position | None, values: Values) -> Case:
    return Case(
        id=CaseId(values.read_id(row["id"])),
        number=row["number"],
        phase=AlertPhase(row["phase"]),
        status=CaseStatus(row["status"]),
        created=values.read_time(row["created"]),
        updated=values.read_time(row["updated"]),
        lkp=lkp,
        is_demo=bool(row["is_demo"]),
        origin_rcc=row.get("origin_rcc") or "",
        origin_number=row.get("origin_number") or "",
        outcome=row.get("outcome") or "",
        **{name: _case_value(row, name, values) for name in CASE_VALUE_COLUMNS},
    )


def _case_value(row: dict[str, Any], name: str, values: Values) -> Any:
    """A case value column; a time column as the chain's text form (or None)."""
    if name in CASE_TIME_COLUMNS:
        return time_text(values.read_time(row[name])) if row[name] else None
    return row[name]


def entry_from_row(row: dict[str, Any], values: Values) -> LogEntry:
    return LogEntry(
        id=EntryId(values.read_id(row["id"])),
        case_id=CaseId(values.read_id(row["case_id"])),
        seq=row["seq"],
        time=values.read_time(row["time"]),
        author=row["author"],
        kind=EntryKind(row["kind"]),
        text=row["text"],
        data=values.read_json(row["data"]),
        corrects=EntryId(values.read_id(row["corrects"])) if row["corrects"] else None,
        prev_hash=row["prev_hash"],
        hash=row["hash"],
        written_by=row.get("written_by"),
    )


def unit_from_row(row: dict[str, Any], values: Values) -> Unit:
    return Unit(
        id=UnitId(values.read_id(row["id"])),
        name=row["name"],
        unit_type=UnitType(row["unit_type"]),
        call_sign=row["call_sign"],
        mmsi=row["mmsi"],
        speed_kt=row["speed_kt"],
        endurance_h=row["endurance_h"],
        home_base=row["home_base"],
    )


def unit_position_from_row(row: dict[str, Any], values: Values) -> UnitPosition:
    return UnitPosition(
        unit_id=UnitId(values.read_id(row["unit_id"])),
        lat=row["lat"],
        lon=row["lon"],
        time=values.read_time(row["time"]),
        source=row["source"],
        sog_kt=row["sog_kt"],
        cog_deg=row["cog_deg"],
        heading_deg=row["heading_deg"],
        altitude_m=row["altitude_m"],
    )


def plan_from_row(row: dict[str, Any], values: Values) -> SearchPlanRecord:
    unit_id = row["unit_id"]
    drift_run_id = row["drift_run_id"]
    return SearchPlanRecord(
        id=values.read_id(row["id"]),
        case_id=CaseId(values.read_id(row["case_id"])),
        unit_id=UnitId(values.read_id(unit_id)) if unit_id else None,
        unit_name=row["unit_name"],
        pattern=row["pattern"],
        params=values.read_json(row["params"]),
        waypoints=tuple(
            PlanWaypoint(name, lat, lon) for name, lat, lon in values.read_json(row["waypoints"])
        ),
        start=values.read_time(row["start"]) if row["start"] else None,
        end=values.read_time(row["end"]) if row["end"] else None,
        pod=row["pod"],
        drift_run_id=values.read_id(drift_run_id) if drift_run_id else None,
        status=row["status"],
        created=values.read_time(row["created"]),
        author=row["author"],
    )


def drift_from_row(row: dict[str, Any], values: Values) -> DriftRecord:
    return DriftRecord(
        id=values.read_id(row["id"]),
        case_id=CaseId(values.read_id(row["case_id"])),
        created=values.read_time(row["created"]),
        author=row["author"],
        label=row["label"],
        seed=row["seed"],
        params=values.read_json(row["params"]),
        forcing=values.read_json(row["forcing"]),
        summary=values.read_json(row["summary"]),
    )


__all__ = [
    "CASE_VALUE_COLUMNS",
    "case_from_row",
    "drift_from_row",
    "entry_from_row",
    "plan_from_row",
    "position_from_row",
    "position_to_row",
    "unit_from_row",
    "unit_position_from_row",
]
