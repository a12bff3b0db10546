"""The reads behind the annual report (``desk.reports``): plain rows of the cases a period
counts, and nothing computed. The figures are made from these rows by ``sarapp.report`` (no
SQL there).

Portable SQL (SELECT, JOIN, IN, a temporary table; times compared in their stored form, which
sorts in time order on both backends); only the temporary tables are named and typed by the
backend's subclass. A period's cases are those opened in it and those whose case log records
a change of status in it (a case opened earlier and closed in the period counts as closed
there); demo cases never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.model_report import (
    REPORT_LOG_KINDS,
    PlanAreaQuery,
    ReportAlertRow,
    ReportCaseRow,
    ReportCoordinationRow,
    ReportEventRow,
    ReportFixRow,
    ReportPackageRow,
    ReportPeriod,
    ReportPlanRow,
    ReportRccRow,
    ReportRegisterRow,
)

if TYPE_CHECKING:
    from sarapp.store.backend import Values
    from sarapp.store.desk import Desk

# The cases of a period, chosen once into a temporary table the queries join (the demo mark,
# then two parameters each for the opening and the status-change window).
_CHOOSE_CASES = (
    "CREATE TEMPORARY TABLE report_period_cases AS SELECT c.id FROM cases c WHERE c.is_demo = ?"
    " AND ((c.created >= ? AND c.created < ?) OR c.id IN (SELECT s.case_id FROM log_entries s"
    " WHERE s.kind = 'status' AND s.time >= ? AND s.time < ?))"
)
_PERIOD_CASES = "SELECT id FROM report_period_cases"


class Reports:
    """Held by the desk as ``desk.reports``. Each method reads the rows of the cases of a
    period opened with ``period``; a backend's subclass names its temporary tables."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    @contextmanager
    def period(self, start: datetime, end: datetime) -> Iterator[ReportPeriod]:
        """Choose the cases of [start, end) (UTC) for the queries below, until the end of
        the ``with`` block; one period at a time per desk connection."""
        self._drop_temporary("report_period_cases")
        stored = self._desk.values
        first, last = stored.time(start), stored.time(end)
        self._execute(_CHOOSE_CASES, (stored.flag(False), first, last, first, last))
        try:
            yield ReportPeriod(start, end)
        finally:
            self._drop_temporary("report_period_cases")

    def cases(self, period: ReportPeriod) -> list[ReportCaseRow]:
        sql = (
            "SELECT c.id, c.number, c.created, c.phase, c.status, c.nature, c.vessel_type,"
            " c.flag, c.pob, c.rcc, p.lat, p.lon, c.outcome FROM cases c"
            " LEFT JOIN positions p ON p.id = c.lkp_id"
            f" WHERE c.id IN ({_PERIOD_CASES}) ORDER BY c.created, c.number"
        )
        return [
            ReportCaseRow(self._id(r[0]), r[1], self._time(r[2]), *r[3:])
            for r in self._execute(sql)
        ]

    def registers(self, period: ReportPeriod) -> list[ReportRegisterRow]:
        """The persons register of each case of the period that has one."""
        totals: dict[str, dict[str, int | None]] = {}
        for case_id, category, total in self._execute(
            f"SELECT case_id, category, total FROM person_counts WHERE case_id IN ({_PERIOD_CASES})"
        ):
            totals.setdefault(self._id(case_id), {})[category] = total
        statuses: dict[str, list[tuple[datetime, dict[str, str]]]] = {}
        for case_id, time, data in self._execute(
            "SELECT e.case_id, e.time, e.data FROM log_entries e WHERE e.kind = 'persons'"
            f" AND e.case_id IN ({_PERIOD_CASES}) ORDER BY e.case_id, e.seq"
        ):
            register = self._data(data).get("register")
            records = register.get("persons") if isinstance(register, dict) else None
            if isinstance(records, list):
                left = {
                    str(r.get("id")): str(r.get("status")) for r in records if isinstance(r, dict)
                }
                statuses.setdefault(self._id(case_id), []).append((self._time(time), left))
        recovered: dict[str, dict[str, datetime | None]] = {}
        for case_id, person_id, when in self._execute(
            f"SELECT case_id, id, recovered FROM persons WHERE case_id IN ({_PERIOD_CASES})"
        ):
            recovered.setdefault(self._id(case_id), {})[self._id(person_id)] = self._optional_time(
                when
            )
        return [
            ReportRegisterRow(case_id, counts, tuple(statuses.get(case_id, [])),
                              recovered.get(case_id, {}))
            for case_id, counts in sorted(totals.items())
        ]  # fmt: skip

    def events(self, period: ReportPeriod) -> list[ReportEventRow]:
        marks = ", ".join("?" * len(REPORT_LOG_KINDS))
        sql = (
            "SELECT e.case_id, e.kind, e.time, e.data FROM log_entries e"
            f" WHERE e.kind IN ({marks}) AND e.case_id IN ({_PERIOD_CASES})"
            " ORDER BY e.case_id, e.time, e.seq"
        )
        return [
            ReportEventRow(self._id(r[0]), r[1], self._time(r[2]), self._data(r[3]))
            for r in self._execute(sql, REPORT_LOG_KINDS)
        ]

    def alerts(self, period: ReportPeriod) -> list[ReportAlertRow]:
        sql = (
            "SELECT a.case_id, a.kind, a.received, e.data FROM alerts a"
            " JOIN log_entries e ON e.id = a.entry_id"
            f" WHERE a.case_id IN ({_PERIOD_CASES}) ORDER BY a.case_id, a.received"
        )
        return [
            ReportAlertRow(self._id(r[0]), r[1], self._time(r[2]), self._data(r[3]))
            for r in self._execute(sql)
        ]

    def plans(self, period: ReportPeriod) -> list[ReportPlanRow]:
        sql = (
            "SELECT sp.id, sp.case_id, sp.unit_id, sp.unit_name, u.unit_type, sp.pattern,"
            ' sp.params, sp.waypoints, sp.start, sp."end", sp.status, sp.created'
            " FROM search_plans sp LEFT JOIN units u ON u.id = sp.unit_id"
            f" WHERE sp.case_id IN ({_PERIOD_CASES}) ORDER BY sp.case_id, sp.created"
        )
        out = []
        for r in self._execute(sql):
            out.append(
                ReportPlanRow(
                    id=self._id(r[0]),
                    case_id=self._id(r[1]),
                    unit_id=self._id(r[2]),
                    unit_name=r[3],
                    unit_type=r[4] or "",
                    pattern=r[5],
                    params=self._data(r[6]),
                    waypoints=tuple([(w[1], w[2]) for w in self._desk.values.read_json(r[7])]),
                    start=self._optional_time(r[8]),
                    end=self._optional_time(r[9]),
                    status=r[10],
                    created=self._time(r[11]),
                )
            )
        return out

    def unit_fixes(self, areas: Iterable[PlanAreaQuery]) -> list[ReportFixRow]:
        """Positions of each plan's unit inside its box and window, oldest first."""
        values = [
            (
                a.plan_id,
                a.unit_id,
                a.south,
                a.west,
                a.north,
                a.east,
                self._desk.values.time(a.since),
                self._desk.values.time(a.until),
            )
            for a in areas
        ]
        self._create_areas()
        try:
            self._execute("DELETE FROM report_areas")
            self._desk.backend.executemany(
                "INSERT INTO report_areas VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values
            )
            found = self._execute(
                "SELECT a.plan_id, up.lat, up.lon, up.time FROM report_areas a"
                " JOIN unit_positions up ON up.unit_id = a.unit_id"
                " AND up.time >= a.since AND up.time <= a.until"
                " AND up.lat >= a.south AND up.lat <= a.north"
                " AND up.lon >= a.west AND up.lon <= a.east"
                " ORDER BY a.plan_id, up.time"
            ).fetchall()
        finally:
            self._drop_temporary("report_areas")
        return [ReportFixRow(self._id(r[0]), r[1], r[2], self._time(r[3])) for r in found]

    def coordination(self, period: ReportPeriod) -> list[ReportCoordinationRow]:
        sql = (
            "SELECT k.case_id, k.event, k.rcc_id, k.package_id, k.time FROM coordination k"
            f" WHERE k.case_id IN ({_PERIOD_CASES}) ORDER BY k.case_id, k.time"
        )
        return [
            ReportCoordinationRow(self._id(r[0]), r[1], r[2], self._id(r[3]), self._time(r[4]))
            for r in self._execute(sql)
        ]

    def packages(self, period: ReportPeriod) -> list[ReportPackageRow]:
        sql = (
            "SELECT k.case_id, k.direction, k.purpose, k.peer_rcc, k.time, o.state"
            " FROM packages k LEFT JOIN outbox o ON o.package_id = k.id"
            f" WHERE k.case_id IN ({_PERIOD_CASES}) ORDER BY k.case_id, k.time"
        )
        return [
            ReportPackageRow(self._id(r[0]), r[1], r[2], r[3], self._time(r[4]), r[5] or "")
            for r in self._execute(sql)
        ]

    def rccs(self) -> list[ReportRccRow]:
        """This desk's RCC (if it has an identity) and every trusted peer, with countries."""
        own = self._desk.trust.rcc()
        out = [ReportRccRow(own.id, own.name, own.country, True)] if own else []
        peers = sorted(self._desk.trust.peers(), key=lambda peer: peer.rcc.id)
        out += [ReportRccRow(p.rcc.id, p.rcc.name, p.rcc.country, False) for p in peers]
        return out

    # --- helpers ------------------------------------------------------------------------

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self._desk.backend.execute(sql, tuple(params))

    def _time(self, stored: Any) -> datetime:
        return self._desk.values.read_time(stored)

    def _optional_time(self, stored: Any) -> datetime | None:
        return self._desk.values.read_time(stored) if stored else None

    def _id(self, stored: Any) -> Any:
        return self._desk.values.read_id(stored) if stored is not None else None

    def _data(self, stored: Any) -> dict[str, Any]:
        return _data(stored, self._desk.values)

    # --- what the backend's SQL says its own way -----------------------------------------

    def _drop_temporary(self, table: str) -> None:
        """Drop this connection's temporary ``table`` if it exists."""
        raise NotImplementedError

    def _create_areas(self) -> None:
        """Create (if missing) this connection's temporary ``report_areas`` table: plan_id,
        unit_id, south, west, north, east (degrees), since, until (times as stored)."""
        raise NotImplementedError


def _data(stored: Any, values: Values) -> dict[str, Any]:
    try:
        value = values.read_json(stored)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


__all__ = ["Reports"]
