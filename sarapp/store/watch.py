"""Live updates: what other desks change on this desk's database, as it happens.

``Desk.watch()`` gives a ``ChangeFeed``, the one API both backends implement (the app's live
refresh and status bar, and ``sarapp log follow``, are built on it). Each backend says what
its transactions changed as they commit (``sarapp.store.notices``): a PostgreSQL desk with
NOTIFY, a SQLite desk in its ``change_notices`` table, which a feed on the same file polls
(``PRAGMA data_version``, every 50 ms). So two windows or processes on one SQLite file see each
other's changes as two computers on one server do.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from sarapp.model import Changes


class ChangeFeed:
    """What other desks change, as the ``Changes`` value the faces already apply.

    - ``wait(timeout_s)`` blocks for up to ``timeout_s`` seconds and returns as soon as
      something changed: the union of every change another desk committed since the previous
      call (another computer on a PostgreSQL desk; another window or process on the same
      SQLite file), or None when nothing changed in that time. Changes made through the desk
      that made this feed are left out: its own operations returned them already.
    - When the feed may have missed changes (the server connection was lost and is back; it
      fell behind a SQLite desk's journal), the ``Changes`` names every case and unit, with
      ``created`` and ``trust``: reload everything.
    - While the server cannot be reached, ``wait`` raises ``StoreError`` (one line, for the
      status bar) and ``connected`` is False; the next ``wait`` reconnects.
    - ``close()`` may be called from any thread: a ``wait`` under way returns None within
      ``STOP_S`` seconds. A feed has a connection of its own, so one thread may block in
      ``wait`` while the desk works in another; one thread at a time waits.

    A change is seen within ``POLL_S`` (SQLite) or at once (PostgreSQL) after its commit.
    """

    STOP_S = 0.25
    POLL_S = 0.05

    def __init__(self) -> None:
        self.connected = True
        self._closed = threading.Event()
        self._busy = threading.Lock()
        self._released = False

    def wait(self, timeout_s: float) -> Changes | None:
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._busy:
            try:
                while not self._closed.is_set():
                    remaining = deadline - time.monotonic()
                    found = self._next(max(0.0, min(self.STOP_S, remaining)))
                    if found:
                        return found
                    if remaining <= 0:
                        return None
                return None
            finally:
                if self._closed.is_set():
                    self._release_once()

    def close(self) -> None:
        self._closed.set()
        if self._busy.acquire(blocking=False):  # no wait under way: release at once
            try:
                self._release_once()
            finally:
                self._busy.release()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _release_once(self) -> None:
        if not self._released:
            self._released = True
            self._release()

    # --- what a backend's feed supplies ---------------------------------------------------

    def _next(self, within_s: float) -> Changes:
        """What changed within ``within_s`` seconds (empty if nothing); StoreError when the
        database cannot be reached."""
        raise NotImplementedError

    def _release(self) -> None:
        """Close the feed's own connection."""


__all__ = ["ChangeFeed"]
