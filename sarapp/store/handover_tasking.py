"""Importing a case's units and their tasks: the rows ``HandoverStore.import_case`` writes for
them, inside its one transaction (split from ``sarapp.store.handover`` to keep both short).

Units are registered with the UUID the package gives them (the exchange family has already
matched the package's units to this desk's and kept only new ones); unit positions are keyed
by (unit, time, source) as the table is; plans keep their UUID and every field; the only
change to a row this desk already holds is a plan's status going from ``planned`` to ``done``
or ``cancelled`` (a search reported done is a fact). Nothing is deleted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from sarapp.model import CaseId, Unit, UnitPosition, new_id, utc_now
from sarapp.model_exchange import NO_TASKING, TaskingImport
from sarapp.store import rows
from sarapp.store.plans import SearchPlanRecord


class TaskingConflict(Exception):
    """Raised inside the import transaction (the caller turns it into a HandoverError)."""


def write_tasking(conn: sqlite3.Connection, case_id: CaseId, tasking: TaskingImport) -> None:
    """Insert the units, unit positions and plans, set the plan statuses (in the caller's
    transaction). A plan id this desk holds in another case is refused."""
    now = rows.time_to_text(utc_now())
    _refuse_foreign_plans(conn, case_id, tasking.plans)
    conn.executemany(
        "INSERT INTO units (id, name, unit_type, call_sign, mmsi, speed_kt, endurance_h,"
        " home_base, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_unit_row(u, now) for u in tasking.units],
    )
    conn.executemany(
        "INSERT INTO unit_positions (id, unit_id, lat, lon, time, source, sog_kt, cog_deg,"
        " heading_deg, altitude_m, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_unit_position_row(p, now) for p in tasking.unit_positions],
    )
    conn.executemany(
        "INSERT INTO search_plans (id, case_id, unit_id, unit_name, pattern, params, waypoints,"
        " start, end, pod, drift_run_id, status, created, author)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_plan_row(case_id, p) for p in tasking.plans],
    )
    for plan_id, status in tasking.plan_statuses:
        conn.execute(
            "UPDATE search_plans SET status = ?"
            " WHERE id = ? AND case_id = ? AND status = 'planned'",
            (status, plan_id, case_id),
        )


def _refuse_foreign_plans(
    conn: sqlite3.Connection, case_id: CaseId, plans: Sequence[SearchPlanRecord]
) -> None:
    for plan in plans:
        row = conn.execute("SELECT case_id FROM search_plans WHERE id = ?", (plan.id,)).fetchone()
        if row is not None:
            raise TaskingConflict(
                f"search plan {plan.id} already exists here in another case ({row[0]}); "
                f"the package cannot be merged into case {case_id}"
            )


def _unit_row(u: Unit, now: str) -> tuple[object, ...]:
    return (u.id, u.name, u.unit_type.value, u.call_sign, u.mmsi, u.speed_kt, u.endurance_h,
            u.home_base, now, now)  # fmt: skip


def _unit_position_row(p: UnitPosition, now: str) -> tuple[object, ...]:
    return (new_id(), p.unit_id, p.lat, p.lon, rows.time_to_text(p.time), p.source, p.sog_kt,
            p.cog_deg, p.heading_deg, p.altitude_m, now)  # fmt: skip


def _plan_row(case_id: CaseId, p: SearchPlanRecord) -> tuple[object, ...]:
    return (
        p.id,
        case_id,
        p.unit_id,
        p.unit_name,
        p.pattern,
        json.dumps(p.params, sort_keys=True, allow_nan=False),
        json.dumps([[w.name, w.lat, w.lon] for w in p.waypoints]),
        rows.time_to_text(p.start) if p.start else None,
        rows.time_to_text(p.end) if p.end else None,
        p.pod,
        p.drift_run_id,
        p.status,
        rows.time_to_text(p.created),
        p.author,
    )


__all__ = ["NO_TASKING", "TaskingConflict", "TaskingImport", "write_tasking"]
