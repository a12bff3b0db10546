"""Received alerts (``desk.alerts``): which case each beacon or distress device belongs to,
and each message kept once (its digest), so importing the same message twice changes
nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sarapp.model import CaseId, CaseStatus, Changes, EntryKind, LogEntry, new_id

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

ALERT_LINK_KEY = "alert_link"  # data member of an alert entry: digest, source key, kind
ALERT_KINDS = ("sit185", "ais", "dsc")  # what the alerts table admits (schema v7)


class Alerts:
    """Held by the desk as ``desk.alerts``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def seen(self, digest: str) -> CaseId | None:
        """The case a message with this digest was filed under, if it was received before."""
        row = self._desk.backend.execute(
            "SELECT case_id FROM alerts WHERE digest = ?", (digest,)
        ).fetchone()
        return CaseId(self._desk.values.read_id(row[0])) if row else None

    def case_of(self, source_key: str) -> tuple[CaseId, CaseStatus] | None:
        """The most recent case opened or updated by alerts from this beacon or device."""
        row = self._desk.backend.execute(
            "SELECT a.case_id, c.status FROM alerts a JOIN cases c ON c.id = a.case_id"
            " WHERE a.source_key = ? ORDER BY a.received DESC LIMIT 1",
            (source_key,),
        ).fetchone()
        return (CaseId(self._desk.values.read_id(row[0])), CaseStatus(row[1])) if row else None

    def record(
        self,
        case_id: CaseId,
        *,
        digest: str,
        source_key: str,
        kind: str,
        text: str,
        author: str,
        data: dict[str, Any],
    ) -> Changes:
        """Log a received message verbatim (kind ``alert``) and link it to its source.

        The digest and source key go into the entry's data too, so a desk that imports the
        case by handover links the same beacon or device to it (``mirror``).
        """
        data = {**data, ALERT_LINK_KEY: {"digest": digest, "source_key": source_key, "kind": kind}}
        with self._desk.transaction():
            changes = self._desk.chain.append(
                case_id, kind=EntryKind.ALERT, text=text, author=author, data=data
            )
            self._desk.backend.execute(
                "INSERT INTO alerts (id, digest, source_key, kind, case_id, entry_id, received)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    new_id(),
                    digest,
                    source_key,
                    kind,
                    case_id,
                    changes.entries[0],
                    self._desk.values.time(self._desk.clock()),
                ),
            )
        return changes

    def mirror(self, entry: LogEntry) -> None:
        """An imported alert entry links its beacon or device to the case on this desk too:
        a later alert for the same beacon then updates the imported case, and the same
        message is not filed twice. Entries without a usable link stay plain log text."""
        link = entry.data.get(ALERT_LINK_KEY)
        if entry.kind is not EntryKind.ALERT or not isinstance(link, dict):
            return
        digest, source, kind = link.get("digest"), link.get("source_key"), link.get("kind")
        if not (isinstance(digest, str) and isinstance(source, str) and kind in ALERT_KINDS):
            return
        self._desk.backend.execute(
            "INSERT INTO alerts (id, digest, source_key, kind, case_id, entry_id, received)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                new_id(),
                digest,
                source,
                kind,
                entry.case_id,
                entry.id,
                self._desk.values.time(entry.time),
            ),
        )


__all__ = ["ALERT_KINDS", "ALERT_LINK_KEY", "Alerts"]
