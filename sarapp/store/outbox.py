"""The outbox (``desk.outbox``): packages prepared for a peer's inbox, kept until they are
delivered.

Sending over the network never runs inside a transaction: the package is built, recorded as
sent and queued here as ``prepared`` in one transaction (its SITREP number is then taken);
a worker delivers it afterwards and records ``delivered``, or ``failed`` (it will be tried
again). The bytes are kept, so a retry sends the very same package, which the receiver
recognises by its id and files once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sarapp.model import CaseId, Changes, EntryKind, utc_now
from sarapp.model_exchange import OutboxItem

if TYPE_CHECKING:
    from sarapp.store.desk import Desk


class Outbox:
    """Held by the desk as ``desk.outbox``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def queue(
        self, *, package_id: str, case_id: CaseId, peer_rcc: str, url: str, content: bytes
    ) -> Changes:
        """Queue a package recorded as sent (inside the sending transaction)."""
        now = self._desk.values.time(utc_now())
        with self._desk.transaction():
            self._desk.backend.execute(
                "INSERT INTO outbox (package_id, case_id, peer_rcc, url, content, state,"
                " attempts, last_error, prepared, updated)"
                " VALUES (?, ?, ?, ?, ?, 'prepared', 0, '', ?, ?)",
                (package_id, case_id, peer_rcc, url, content, now, now),
            )
        return Changes(packages=(package_id,))

    def items(self, case_ref: str | None = None, *, pending: bool = False) -> list[OutboxItem]:
        """Queued packages, oldest first (only those not yet delivered with ``pending``)."""
        sql = (
            "SELECT package_id, case_id, peer_rcc, url, state, attempts, last_error, prepared,"
            " updated, length(content) FROM outbox WHERE 1 = 1"
        )
        params: list[str] = []
        if case_ref is not None:
            sql += " AND case_id = ?"
            params.append(self._desk.cases.resolve(case_ref))
        if pending:
            sql += " AND state <> 'delivered'"
        values = self._desk.values
        return [
            OutboxItem(
                values.read_id(r[0]),
                CaseId(values.read_id(r[1])),
                *r[2:7],
                values.read_time(r[7]),
                values.read_time(r[8]),
                r[9],
            )
            for r in self._desk.backend.execute(sql + " ORDER BY prepared, rowid", params)
        ]

    def item(self, package_id: str) -> OutboxItem | None:
        found = [i for i in self.items() if i.package_id == package_id]
        return found[0] if found else None

    def content(self, package_id: str) -> bytes:
        row = self._desk.backend.execute(
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
        item = self.item(package_id)
        if item is None:
            raise KeyError(package_id)
        state = "delivered" if delivered else "failed"
        now = self._desk.values.time(utc_now())
        with self._desk.transaction():
            self._desk.backend.execute(
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
                changes |= self._desk.chain.append(
                    item.case_id,
                    kind=EntryKind.HANDOVER,
                    text=text,
                    author=author,
                    data={
                        "handover": {"package_id": package_id, "delivery": state, "url": item.url}
                    },
                )
        return changes


__all__ = ["Outbox"]
