"""Who coordinates a case: the append-only ``coordination`` history, written with a log line
for each event, and mirrored from imported log entries that record one (so both desks of a
handover hold the same history)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sarapp.model import Changes, EntryId, EntryKind, LogEntry
from sarapp.model import new_id as _new_id
from sarapp.safetext import plain_line
from sarapp.store import rows
from sarapp.store.handover import HandoverError
from sarapp.times import check_report_time

COORDINATION_KEY = "coordination"  # data member of a log entry that records a coordination event
COORDINATION_EVENTS = ("coordinating", "proposed", "accepted", "declined")


class Coordinator(NamedTuple):
    """Who coordinates a case and since when (UTC): ``rcc_id, rcc_name, since``."""

    rcc_id: str
    rcc_name: str
    since: datetime


@dataclass(frozen=True)
class CoordinationEvent:
    """One line of a case's coordination history."""

    event: str  # coordinating, proposed, accepted, declined
    rcc_id: str
    rcc_name: str
    package_id: str | None
    time: datetime
    entry_id: EntryId


class CoordinationStore:
    """Mixed into Store: needs ``conn``, ``transaction()``, ``resolve_case`` and ``_append``."""

    conn: sqlite3.Connection
    clock: Callable[[], datetime]  # the Store's

    def record_coordination(
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
        case_id = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        when = time or self.clock()
        payload = {
            "event": event,
            "rcc_id": rcc_id,
            "rcc_name": rcc_name,
            "package_id": package_id,
            "time": rows.time_to_text(when),
        }
        with self.transaction():  # type: ignore[attr-defined]
            changes = self._append(  # type: ignore[attr-defined]
                case_id,
                kind=EntryKind.HANDOVER,
                text=text,
                author=author,
                data={COORDINATION_KEY: payload},
            )
            self._insert_coordination(case_id, payload, changes.entries[0])
        return changes | Changes(coordination=frozenset({case_id}))

    def coordinator(self, case_ref: str) -> Coordinator | None:
        """The RCC coordinating the case: the latest ``coordinating`` or ``accepted`` event
        (a proposal or a refusal changes nothing). None when no event is recorded."""
        case_id = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        row = self.conn.execute(
            "SELECT rcc_id, rcc_name, time FROM coordination WHERE case_id = ?"
            " AND event IN ('coordinating', 'accepted') ORDER BY time DESC, rowid DESC LIMIT 1",
            (case_id,),
        ).fetchone()
        return Coordinator(row[0], row[1], rows.time_from_text(row[2])) if row else None

    def coordination_history(self, case_ref: str) -> list[CoordinationEvent]:
        """Every coordination event of the case, oldest first."""
        case_id = self.resolve_case(case_ref)  # type: ignore[attr-defined]
        cursor = self.conn.execute(
            "SELECT event, rcc_id, rcc_name, package_id, time, entry_id FROM coordination"
            " WHERE case_id = ? ORDER BY time, rowid",
            (case_id,),
        )
        return [
            CoordinationEvent(r[0], r[1], r[2], r[3], rows.time_from_text(r[4]), EntryId(r[5]))
            for r in cursor
        ]

    def _mirror_coordination(self, entry: LogEntry) -> bool:
        """An imported entry recording a coordination event joins this desk's history too
        (True when it did)."""
        payload = entry.data.get(COORDINATION_KEY)
        if not isinstance(payload, dict) or payload.get("event") not in COORDINATION_EVENTS:
            return False
        try:
            when = check_report_time(rows.time_from_text(payload["time"]))
            clean = {
                "event": payload["event"],
                # names another desk wrote, shown on one line (the entry keeps them as sent)
                "rcc_id": plain_line(str(payload["rcc_id"])),
                "rcc_name": plain_line(str(payload.get("rcc_name") or "")),
                "package_id": payload.get("package_id"),
                "time": rows.time_to_text(when),  # the desk's one form of a time
            }
        except (KeyError, TypeError, ValueError):
            return False  # not one of ours: the entry stays in the log as text
        if clean["package_id"] is not None:
            clean["package_id"] = str(clean["package_id"])
        self._insert_coordination(entry.case_id, clean, entry.id)
        return True

    def _insert_coordination(self, case_id: str, payload: dict[str, Any], entry_id: str) -> None:
        self.conn.execute(
            "INSERT INTO coordination (id, case_id, event, rcc_id, rcc_name, package_id, time,"
            " entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _new_id(),
                case_id,
                payload["event"],
                payload["rcc_id"],
                payload["rcc_name"],
                payload["package_id"],
                rows.time_to_text(rows.time_from_text(payload["time"])),
                entry_id,
            ),
        )
