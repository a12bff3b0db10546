"""Live change notices between the desks of a PostgreSQL desk database (LISTEN/NOTIFY).

Every transaction that changes something sends, before its COMMIT, the notices of what it
changed (``sarapp.store.notices``: one per case touched) on the channel ``sarapp_changes``;
PostgreSQL delivers them at the commit, and a rolled-back transaction sends nothing. A
listener on a connection of its own turns them back into the ``Changes`` value the faces
already apply; the desk's feed (``PgFeed``, what ``Desk.watch`` gives) skips its own.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable

import psycopg

from sarapp.model import CaseId, Changes, UnitId
from sarapp.store.notices import CHANNEL, MAX_PAYLOAD, changes_from_payload, payloads
from sarapp.store.pg.location import PgConnectionLost, PgStoreError, connect, first_line
from sarapp.store.watch import ChangeFeed


def notify(conn: psycopg.Connection, changes: Changes) -> None:
    """Queue the notices for ``changes`` in the current transaction (sent at commit)."""
    for payload in payloads(changes):
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


class ChangeListener:
    """Listens on its own connection; ``wait`` returns what other desks changed.

    ``ignore_pids``: server process ids of this desk's own connections, whose changes the
    desk has applied already. Meant for a worker thread (or ``log follow``); close it to stop.
    """

    def __init__(self, location: str, *, ignore_pids: Iterable[int] = ()) -> None:
        self.conn = connect(location)
        self.ignore_pids = set(ignore_pids)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout_s: float) -> Changes:
        """The union of the changes noticed within ``timeout_s`` seconds (returns as soon as
        one notice arrives, with every notice already queued); empty if none came."""
        deadline = time.monotonic() + timeout_s
        merged = Changes()
        try:
            while not merged:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                for notice in self.conn.notifies(timeout=remaining, stop_after=1):
                    merged |= self._read(notice)
                for notice in self._queued():
                    merged |= self._read(notice)
        except psycopg.OperationalError as exc:
            raise PgConnectionLost(
                f"live updates stopped: the server connection was lost ({first_line(exc)})"
            ) from None
        return merged

    def _queued(self) -> list[psycopg.Notify]:
        """Notices that already arrived, without waiting."""
        return list(self.conn.notifies(timeout=0))

    def _read(self, notice: psycopg.Notify) -> Changes:
        if notice.channel != CHANNEL or notice.pid in self.ignore_pids:
            return Changes()
        return changes_from_payload(notice.payload)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ChangeListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PgFeed(ChangeFeed):
    """``Desk.watch()`` on a PostgreSQL desk: a listener that skips the notices of the desk's
    own connections (``own_pids``, the server process ids the desk has had, kept up to date
    by the desk as it reconnects) and reconnects after a lost connection, then reports
    everything as changed (notices sent meanwhile are lost)."""

    def __init__(self, location: str, own_pids: Callable[[], Iterable[int]]) -> None:
        super().__init__()
        self._location = location
        self._own_pids = own_pids
        self._listener: ChangeListener | None = ChangeListener(location)

    def _next(self, within_s: float) -> Changes:
        if self._listener is None:
            self._listener = ChangeListener(self._location)  # PgStoreError while unreachable
            self.connected = True
            return self._everything()
        self._listener.ignore_pids = set(self._own_pids())
        try:
            return self._listener.wait(within_s)
        except PgStoreError:
            self._drop()
            self.connected = False
            raise

    def _everything(self) -> Changes:
        assert self._listener is not None
        conn = self._listener.conn
        cases = frozenset(CaseId(str(i)) for (i,) in conn.execute("SELECT id FROM cases"))
        units = frozenset(UnitId(str(i)) for (i,) in conn.execute("SELECT id FROM units"))
        return Changes(cases=cases, units=units, created=True, trust=True)

    def _drop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(psycopg.Error):
                self._listener.close()
            self._listener = None

    def _release(self) -> None:
        self._drop()


__all__ = ["MAX_PAYLOAD", "ChangeListener", "PgFeed", "changes_from_payload", "notify", "payloads"]
