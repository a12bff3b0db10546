"""Live updates between the windows and processes that have one SQLite desk file open.

Each transaction writes its change notices (``sarapp.store.notices``) into ``change_notices``
with the writing desk's origin (a random id per opened ``Desk``), in the same transaction, so
a notice exists exactly when its change was committed. A feed reads the file on a connection
of its own: ``PRAGMA data_version`` (which changes when another connection commits) every
``POLL_S``, and the notices after the last one it read when it did. The table is pruned as it
grows (``announce``); a feed that fell behind the pruning reloads everything.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sarapp.model import CaseId, Changes, UnitId
from sarapp.store.errors import StoreError
from sarapp.store.notices import changes_from_payload, payloads
from sarapp.store.watch import ChangeFeed

KEEP = 2000  # notices kept; older ones are pruned every PRUNE_EVERY
PRUNE_EVERY = 200


def announce(conn: sqlite3.Connection, changes: Changes, origin: str) -> None:
    """Record ``changes`` for the other desks on this file (inside the transaction)."""
    seq = 0
    for payload in payloads(changes):
        seq = conn.execute(
            "INSERT INTO change_notices (origin, payload) VALUES (?, ?)", (origin, payload)
        ).lastrowid
    if seq and seq % PRUNE_EVERY == 0:
        conn.execute("DELETE FROM change_notices WHERE seq <= ?", (seq - KEEP,))


class SqliteFeed(ChangeFeed):
    """``Desk.watch()`` on a SQLite desk."""

    def __init__(self, path: Path, origin: str) -> None:
        super().__init__()
        self._origin = origin
        try:
            self._conn = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
            self._version = self._data_version()
            self._last = self._conn.execute(
                "SELECT coalesce(max(seq), 0) FROM change_notices"
            ).fetchone()[0]
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: live updates cannot be read ({exc})") from None

    def _data_version(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _next(self, within_s: float) -> Changes:
        deadline = time.monotonic() + within_s
        while True:
            try:
                version = self._data_version()
                if version != self._version:
                    self._version = version
                    found = self._read()
                    if found:
                        return found
            except sqlite3.Error as exc:
                raise StoreError(f"live updates stopped: {exc}") from None
            left = deadline - time.monotonic()
            if left <= 0:
                return Changes()
            time.sleep(min(self.POLL_S, left))

    def _read(self) -> Changes:
        rows = self._conn.execute(
            "SELECT seq, origin, payload FROM change_notices WHERE seq > ? ORDER BY seq",
            (self._last,),
        ).fetchall()
        if not rows:
            return Changes()
        merged = Changes()
        if rows[0][0] > self._last + 1:  # pruned before this feed read them (the seqs of an
            merged = self._everything()  # AUTOINCREMENT table have no gaps otherwise)
        for _, origin, payload in rows:
            if origin != self._origin:
                merged |= changes_from_payload(payload)
        self._last = rows[-1][0]
        return merged

    def _everything(self) -> Changes:
        cases = frozenset(CaseId(i) for (i,) in self._conn.execute("SELECT id FROM cases"))
        units = frozenset(UnitId(i) for (i,) in self._conn.execute("SELECT id FROM units"))
        return Changes(cases=cases, units=units, created=True, trust=True)

    def _release(self) -> None:
        self._conn.close()


__all__ = ["SqliteFeed", "announce"]
