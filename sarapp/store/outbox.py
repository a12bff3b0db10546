"""The outbox: packages prepared for a peer's inbox, kept until they are delivered.

Sending over the network never runs inside a transaction: the package is built, recorded as
sent and queued here as ``prepared`` in one transaction (its SITREP number is then taken);
a worker delivers it afterwards and records ``delivered``, or ``failed`` (it will be tried
again). The bytes are kept, so a retry sends the very same package, which the receiver
recognises by its id and files once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sarapp.model import CaseId, Changes, EntryKind, utc_now
from sarapp.store import rows

OUTBOX_STATES = ("prepared", "delivered", "failed")


@dataclass(frozen=True)
class OutboxItem:
    """A queued package (without its bytes): where it goes, and how delivery went."""

    package_id: str
    case_id: CaseId
    peer_rcc: str
    url: str
    state: str  # prepared, delivered, failed
    attempts: int
    last_error: str
    prepared: datetime
    updated: datetime
    size: int

    @property
    def pending(self) -> bool:
        return self.state != "delivered"


class OutboxStore:
    """Mixed into Store: needs ``conn``, ``transaction()``, ``resolve_case`` and ``_append``."""

    conn: sqlite3.Connection

    def queue_package(
        self, *, package_id: str, case_id: CaseId, peer_rcc: str, url: str, content: bytes
    ) -> Changes:
        """Queue a package recorded as sent (inside the sending transaction)."""
        now = rows.time_to_text(utc_now())
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.execute(
                "INSERT INTO outbox (package_id, case_id, peer_rcc, url, content, state,"
                " attempts, last_error, prepared, updated)"
                " VALUES (?, ?, ?, ?, ?, 'prepared', 0, '', ?, ?)",
                (package_id, case_id, peer_rcc, url, content, now, now),
            )
        return Changes(packages=(package_id,))

    def outbox(self, case_ref: str | None = None, *, pending: bool = False) -> list[OutboxItem]:
        """Queued packages, oldest first (only those not yet delivered with ``pending``)."""
        sql = (
            "SELECT package_id, case_id, peer_rcc, url, state, attempts, last_error, prepared,"
            " updated, length(content) FROM outbox WHERE 1"
        )
        params: list[str] = []
        if case_ref is not None:
            sql += " AND case_id = ?"
            params.append(self.resolve_case(case_ref))  # type: ignore[attr-defined]
        if pending:
            sql += " AND state <> 'delivered'"
        rows_ = self.conn.execute(sql + " ORDER BY prepared, rowid", params).fetchall()
        return [
            OutboxItem(*r[:7], rows.time_from_text(r[7]), rows.time_from_text(r[8]), r[9])
            for r in rows_
        ]

    def outbox_item(self, package_id: str) -> OutboxItem | None:
        found = [i for i in self.outbox() if i.package_id == package_id]
        return found[0] if found else None

    def outbox_content(self, package_id: str) -> bytes:
        row = self.conn.execute(
            "SELECT content FROM outbox WHERE package_id = ?", (package_id,)
        ).fetchone()
        if row is None:
            raise KeyError(package_id)
        return bytes(row[0])

    def record_delivery(
        self, package_id: str, *, delivered: bool, detail: str, author: str
    ) -> Changes:
        """Note one delivery attempt. Logged: the delivery, and the first failure ("will
        retry"); later failures only count attempts, so a peer down for hours does not
        fill the case log."""
        item = self.outbox_item(package_id)
        if item is None:
            raise KeyError(package_id)
        state = "delivered" if delivered else "failed"
        now = rows.time_to_text(utc_now())
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?,"
                " updated = ? WHERE package_id = ?",
                (state, "" if delivered else detail, now, package_id),
            )
            changes = Changes(packages=(package_id,))
            if delivered or item.state == "prepared":
                text = (
                    f"Package {package_id} delivered to {item.peer_rcc} at {item.url}: {detail}"
                    if delivered
                    else f"Package {package_id} not delivered to {item.peer_rcc} at "
                    f"{item.url} ({detail}); will retry"
                )
                changes |= self._append(  # type: ignore[attr-defined]
                    item.case_id,
                    kind=EntryKind.HANDOVER,
                    text=text,
                    author=author,
                    data={
                        "handover": {"package_id": package_id, "delivery": state, "url": item.url}
                    },
                )
        return changes


__all__ = ["OUTBOX_STATES", "OutboxItem", "OutboxStore"]
