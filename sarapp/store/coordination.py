"""Who coordinates a case (``desk.coordination``): the append-only ``coordination`` history,
written with a log line for each event, and mirrored from imported log entries that record
one (so both desks of a handover hold the same history)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.chain import time_from_text, time_text
from sarapp.model import Changes, EntryId, EntryKind, LogEntry, new_id
from sarapp.model_exchange import (
    COORDINATION_EVENTS,
    COORDINATION_KEY,
    CoordinationEvent,
    Coordinator,
)
from sarapp.safetext import plain_line
from sarapp.store.errors import HandoverError
from sarapp.times import check_report_time

if TYPE_CHECKING:
    from sarapp.store.desk import Desk


class Coordination:
    """Held by the desk as ``desk.coordination``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def record(
        self,
        case_ref: str,
        *,
        event: str,
        rcc_id: str,
        rcc_name: str = "",
        package_id: str | None = None,
        time: datetime | None = None,
        author: str,
        text: str,
    ) -> Changes:
        """Log a coordination event (``text`` is its log line) and add it to the history."""
        if event not in COORDINATION_EVENTS:
            raise HandoverError(f"unknown coordination event {event!r}")
        if not rcc_id.strip():
            raise HandoverError("a coordination event needs the RCC's id")
        case_id = self._desk.cases.resolve(case_ref)
        when = time or self._desk.clock()
        payload = {
            "event": event,
            "rcc_id": rcc_id,
            "rcc_name": rcc_name,
            "package_id": package_id,
            "time": time_text(when),  # in the entry's data: the chain's form of a time
        }
        with self._desk.transaction():
            changes = self._desk.chain.append(
                case_id,
                kind=EntryKind.HANDOVER,
                text=text,
                author=author,
                data={COORDINATION_KEY: payload},
            )
            self._insert(case_id, payload, changes.entries[0])
            return self._desk.announce(changes | Changes(coordination=frozenset({case_id})))

    def coordinator(self, case_ref: str) -> Coordinator | None:
        """The RCC coordinating the case: the latest ``coordinating`` or ``accepted`` event
        (a proposal or a refusal changes nothing). None when no event is recorded."""
        case_id = self._desk.cases.resolve(case_ref)
        row = self._desk.backend.execute(
            "SELECT rcc_id, rcc_name, time FROM coordination WHERE case_id = ?"
            " AND event IN ('coordinating', 'accepted') ORDER BY time DESC, rowid DESC LIMIT 1",
            (case_id,),
        ).fetchone()
        return Coordinator(row[0], row[1], self._desk.values.read_time(row[2])) if row else None

    def history(self, case_ref: str) -> list[CoordinationEvent]:
        """Every coordination event of the case, oldest first."""
        case_id = self._desk.cases.resolve(case_ref)
        values = self._desk.values
        cursor = self._desk.backend.execute(
            "SELECT event, rcc_id, rcc_name, package_id, time, entry_id FROM coordination"
            " WHERE case_id = ? ORDER BY time, rowid",
            (case_id,),
        )
        return [
            CoordinationEvent(
                r[0],
                r[1],
                r[2],
                values.read_id(r[3]) if r[3] is not None else None,
                values.read_time(r[4]),
                EntryId(values.read_id(r[5])),
            )
            for r in cursor
        ]

    def mirror(self, entry: LogEntry) -> bool:
        """An imported entry recording a coordination event joins this desk's history too
        (True when it did)."""
        payload = entry.data.get(COORDINATION_KEY)
        if not isinstance(payload, dict) or payload.get("event") not in COORDINATION_EVENTS:
            return False
        try:
            when = check_report_time(time_from_text(payload["time"]))
            clean = {
                "event": payload["event"],
                # names another desk wrote, shown on one line (the entry keeps them as sent)
                "rcc_id": plain_line(str(payload["rcc_id"])),
                "rcc_name": plain_line(str(payload.get("rcc_name") or "")),
                "package_id": payload.get("package_id"),
                "time": time_text(when),  # the desk's one form of a time
            }
        except (KeyError, TypeError, ValueError):
            return False  # not one of ours: the entry stays in the log as text
        if clean["package_id"] is not None:
            clean["package_id"] = str(clean["package_id"])
        self._insert(entry.case_id, clean, entry.id)
        return True

    def _insert(self, case_id: str, payload: dict[str, Any], entry_id: str) -> None:
        self._desk.backend.execute(
            "INSERT INTO coordination (id, case_id, event, rcc_id, rcc_name, package_id, time,"
            " entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_id(),
                case_id,
                payload["event"],
                payload["rcc_id"],
                payload["rcc_name"],
                payload["package_id"],
                self._desk.values.time(time_from_text(payload["time"])),
                entry_id,
            ),
        )


__all__ = ["Coordination"]
