"""Received alerts: which case each beacon or distress device belongs to, and each message
kept once (its digest), so importing the same message twice changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sarapp.model import CaseId, CaseStatus, Changes, EntryKind, LogEntry, new_id
from sarapp.store import rows

ALERT_LINK_KEY = "alert_link"  # data member of an alert entry: digest, source key, kind
ALERT_KINDS = ("sit185", "ais", "dsc")  # what the alerts table admits (schema v7)


class AlertStore:
    """Mixed into Store: needs ``conn``, ``transaction()`` and ``_append``."""

    conn: sqlite3.Connection
    clock: Callable[[], datetime]  # the Store's

    def alert_seen(self, digest: str) -> CaseId | None:
        """The case a message with this digest was filed under, if it was received before."""
        row = self.conn.execute("SELECT case_id FROM alerts WHERE digest = ?", (digest,)).fetchone()
        return CaseId(row[0]) if row else None

    def alert_case(self, source_key: str) -> tuple[CaseId, CaseStatus] | None:
        """The most recent case opened or updated by alerts from this beacon or device."""
        row = self.conn.execute(
            "SELECT a.case_id, c.status FROM alerts a JOIN cases c ON c.id = a.case_id"
            " WHERE a.source_key = ? ORDER BY a.received DESC LIMIT 1",
            (source_key,),
        ).fetchone()
        return (CaseId(row[0]), CaseStatus(row[1])) if row else None

    def record_alert(
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
        case by handover links the same beacon or device to it (``_mirror_alert``).
        """
        data = {**data, ALERT_LINK_KEY: {"digest": digest, "source_key": source_key, "kind": kind}}
        with self.transaction():  # type: ignore[attr-defined]
            changes = self._append(  # type: ignore[attr-defined]
                case_id, kind=EntryKind.ALERT, text=text, author=author, data=data
            )
            self.conn.execute(
                "INSERT INTO alerts (id, digest, source_key, kind, case_id, entry_id, received)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    new_id(),
                    digest,
                    source_key,
                    kind,
                    case_id,
                    changes.entries[0],
                    rows.time_to_text(self.clock()),
                ),
            )
        return changes

    def _mirror_alert(self, entry: LogEntry) -> None:
        """An imported alert entry links its beacon or device to the case on this desk too:
        a later alert for the same beacon then updates the imported case, and the same
        message is not filed twice. Entries without a usable link stay plain log text."""
        link = entry.data.get(ALERT_LINK_KEY)
        if entry.kind is not EntryKind.ALERT or not isinstance(link, dict):
            return
        digest, source, kind = link.get("digest"), link.get("source_key"), link.get("kind")
        if not (isinstance(digest, str) and isinstance(source, str) and kind in ALERT_KINDS):
            return
        self.conn.execute(
            "INSERT OR IGNORE INTO alerts (id, digest, source_key, kind, case_id, entry_id,"
            " received) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                new_id(),
                digest,
                source,
                kind,
                entry.case_id,
                entry.id,
                rows.time_to_text(entry.time),
            ),
        )
