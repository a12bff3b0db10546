"""The reads behind the annual report: plain rows of the cases a period counts, and nothing
computed. The figures are made from these rows by ``sarapp.report`` (no SQL there).

Portable SQL only (SELECT, JOIN, IN, a temporary table; times compared as the stored UTC
text, which sorts in time order), so the PostgreSQL backend ports each query as it stands.
A period's cases are those opened in it and those whose case log records a change of status
in it (a case opened earlier and closed in the period counts as closed there); demo cases
never count.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.store import rows
from sarapp.store.trust import RCC_COUNTRY, RCC_ID, RCC_NAME

# The cases of a period, chosen once into a temporary table the queries join (two parameters
# each for the opening and the status-change window).
_CHOOSE_CASES = (
    "CREATE TEMPORARY TABLE report_period_cases AS SELECT c.id FROM cases c WHERE c.is_demo = 0"
    " AND ((c.created >= ? AND c.created < ?) OR c.id IN (SELECT s.case_id FROM log_entries s"
    " WHERE s.kind = 'status' AND s.time >= ? AND s.time < ?))"
)
_PERIOD_CASES = "SELECT id FROM report_period_cases"
REPORT_LOG_KINDS = ("phase", "status")  # the entries that tell the phases and the closings


@dataclass(frozen=True)
class ReportPeriod:
    """The period [start, end) (UTC) whose cases the report queries read (from
    ``ReportQueries.report_period``)."""

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


class ReportQueries:
    """Mixed into Store: needs ``conn``. Each method reads the rows of the cases of a period
    opened with ``report_period``."""

    conn: sqlite3.Connection

    @contextmanager
    def report_period(self, start: datetime, end: datetime) -> Iterator[ReportPeriod]:
        """Choose the cases of [start, end) (UTC) for the queries below, until the end of
        the ``with`` block; one period at a time per desk connection."""
        self.conn.execute("DROP TABLE IF EXISTS temp.report_period_cases")
        self.conn.execute(_CHOOSE_CASES, _period(start, end))
        try:
            yield ReportPeriod(start, end)
        finally:
            self.conn.execute("DROP TABLE IF EXISTS temp.report_period_cases")

    def report_cases(self, period: ReportPeriod) -> list[ReportCaseRow]:
        sql = (
            "SELECT c.id, c.number, c.created, c.phase, c.status, c.nature, c.vessel_type,"
            " c.flag, c.pob, c.rcc, p.lat, p.lon FROM cases c"
            " LEFT JOIN positions p ON p.id = c.lkp_id"
            f" WHERE c.id IN ({_PERIOD_CASES}) ORDER BY c.created, c.number"
        )
        return [
            ReportCaseRow(r[0], r[1], rows.time_from_text(r[2]), *r[3:])
            for r in self.conn.execute(sql)
        ]

    def report_events(self, period: ReportPeriod) -> list[ReportEventRow]:
        marks = ", ".join("?" * len(REPORT_LOG_KINDS))
        sql = (
            "SELECT e.case_id, e.kind, e.time, e.data FROM log_entries e"
            f" WHERE e.kind IN ({marks}) AND e.case_id IN ({_PERIOD_CASES})"
            " ORDER BY e.case_id, e.time, e.seq"
        )
        return [
            ReportEventRow(r[0], r[1], rows.time_from_text(r[2]), _data(r[3]))
            for r in self.conn.execute(sql, REPORT_LOG_KINDS)
        ]

    def report_alerts(self, period: ReportPeriod) -> list[ReportAlertRow]:
        sql = (
            "SELECT a.case_id, a.kind, a.received, e.data FROM alerts a"
            " JOIN log_entries e ON e.id = a.entry_id"
            f" WHERE a.case_id IN ({_PERIOD_CASES}) ORDER BY a.case_id, a.received"
        )
        return [
            ReportAlertRow(r[0], r[1], rows.time_from_text(r[2]), _data(r[3]))
            for r in self.conn.execute(sql)
        ]

    def report_plans(self, period: ReportPeriod) -> list[ReportPlanRow]:
        sql = (
            "SELECT sp.id, sp.case_id, sp.unit_id, sp.unit_name, u.unit_type, sp.pattern,"
            ' sp.params, sp.waypoints, sp.start, sp."end", sp.status, sp.created'
            " FROM search_plans sp LEFT JOIN units u ON u.id = sp.unit_id"
            f" WHERE sp.case_id IN ({_PERIOD_CASES}) ORDER BY sp.case_id, sp.created"
        )
        out = []
        for r in self.conn.execute(sql):
            out.append(
                ReportPlanRow(
                    id=r[0],
                    case_id=r[1],
                    unit_id=r[2],
                    unit_name=r[3],
                    unit_type=r[4] or "",
                    pattern=r[5],
                    params=_data(r[6]),
                    waypoints=tuple([(w[1], w[2]) for w in json.loads(r[7])]),
                    start=_time(r[8]),
                    end=_time(r[9]),
                    status=r[10],
                    created=rows.time_from_text(r[11]),
                )
            )
        return out

    def report_unit_fixes(self, areas: Iterable[PlanAreaQuery]) -> list[ReportFixRow]:
        """Positions of each plan's unit inside its box and window, oldest first."""
        values = [
            (
                a.plan_id,
                a.unit_id,
                a.south,
                a.west,
                a.north,
                a.east,
                rows.time_to_text(a.since),
                rows.time_to_text(a.until),
            )
            for a in areas
        ]
        self.conn.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS report_areas (plan_id TEXT, unit_id TEXT,"
            " south REAL, west REAL, north REAL, east REAL, since TEXT, until TEXT)"
        )
        try:
            self.conn.execute("DELETE FROM report_areas")
            self.conn.executemany(
                "INSERT INTO report_areas VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values
            )
            found = self.conn.execute(
                "SELECT a.plan_id, up.lat, up.lon, up.time FROM report_areas a"
                " JOIN unit_positions up ON up.unit_id = a.unit_id"
                " AND up.time >= a.since AND up.time <= a.until"
                " AND up.lat >= a.south AND up.lat <= a.north"
                " AND up.lon >= a.west AND up.lon <= a.east"
                " ORDER BY a.plan_id, up.time"
            ).fetchall()
        finally:
            self.conn.execute("DROP TABLE IF EXISTS temp.report_areas")
        return [ReportFixRow(r[0], r[1], r[2], rows.time_from_text(r[3])) for r in found]

    def report_coordination(self, period: ReportPeriod) -> list[ReportCoordinationRow]:
        sql = (
            "SELECT k.case_id, k.event, k.rcc_id, k.package_id, k.time FROM coordination k"
            f" WHERE k.case_id IN ({_PERIOD_CASES}) ORDER BY k.case_id, k.time"
        )
        return [
            ReportCoordinationRow(r[0], r[1], r[2], r[3], rows.time_from_text(r[4]))
            for r in self.conn.execute(sql)
        ]

    def report_packages(self, period: ReportPeriod) -> list[ReportPackageRow]:
        sql = (
            "SELECT k.case_id, k.direction, k.purpose, k.peer_rcc, k.time, o.state"
            " FROM packages k LEFT JOIN outbox o ON o.package_id = k.id"
            f" WHERE k.case_id IN ({_PERIOD_CASES}) ORDER BY k.case_id, k.time"
        )
        return [
            ReportPackageRow(r[0], r[1], r[2], r[3], rows.time_from_text(r[4]), r[5] or "")
            for r in self.conn.execute(sql)
        ]

    def report_rccs(self) -> list[ReportRccRow]:
        """This desk's RCC (if it has an identity) and every trusted peer, with countries."""
        meta = dict(
            self.conn.execute(
                "SELECT key, value FROM desk_meta WHERE key IN (?, ?, ?)",
                (RCC_ID, RCC_NAME, RCC_COUNTRY),
            ).fetchall()
        )
        out = []
        if meta.get(RCC_ID):
            own = ReportRccRow(
                meta[RCC_ID], meta.get(RCC_NAME, ""), meta.get(RCC_COUNTRY, ""), True
            )
            out.append(own)
        for r in self.conn.execute(
            "SELECT rcc_id, rcc_name, rcc_country FROM trusted_keys ORDER BY rcc_id"
        ):
            out.append(ReportRccRow(r[0], r[1], r[2], False))
        return out


def _period(start: datetime, end: datetime) -> tuple[str, str, str, str]:
    first, last = rows.time_to_text(start), rows.time_to_text(end)
    return first, last, first, last


def _time(text: str | None) -> datetime | None:
    return rows.time_from_text(text) if text else None


def _data(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
