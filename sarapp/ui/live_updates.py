"""Live across the watch: what other desks change on this desk's database reaches the window
within a second, as the ``Changes`` it already applies.

The desk's ``ChangeFeed`` (``Desk.watch``) blocks in ``wait``; it runs in a job of
``sarapp.ui.worker`` (nothing of Qt lives in the job's thread), which yields what arrived, and
the window applies it on the GUI thread. The feed has a connection of its own, opened in the
job's thread (on a server that is network work); while the server cannot be reached the job
says so and keeps trying, and after a reconnection the feed names everything (reload).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from sarapp.model import Changes
from sarapp.store import Desk, StoreError
from sarapp.store.watch import ChangeFeed
from sarapp.ui.worker import JobWorker, start_job

WAIT_S = 0.5  # one wait: the job checks for cancel between waits (a change returns at once)
RETRY_S = 2.0  # between tries to reach a server that cannot be reached


@dataclass(frozen=True)
class Link:
    """The feed's connection changed: ``connected``, or not with the reason (one line)."""

    connected: bool
    reason: str = ""


class FeedJob:
    """The listener's job: plain Python, so nothing of Qt lives in its thread. ``stop()``
    from the GUI thread ends a wait under way within ``ChangeFeed.STOP_S``."""

    def __init__(self, open_feed: Callable[[], ChangeFeed]) -> None:
        self._open_feed = open_feed
        self._stop = threading.Event()
        self._feed: ChangeFeed | None = None

    def stop(self) -> None:
        self._stop.set()
        feed = self._feed
        if feed is not None:
            feed.close()

    def steps(self) -> Generator[Changes | Link | None, None, None]:
        """Yields ``Changes`` from other desks, a ``Link`` when the connection comes or goes,
        and None after each quiet wait (so the worker can see a cancel)."""
        connected = True
        try:
            while not self._stop.is_set():
                try:
                    if self._feed is None:
                        self._feed = self._open_feed()
                        if self._stop.is_set():
                            return
                    changes = self._feed.wait(WAIT_S)
                except StoreError as exc:
                    connected = False
                    yield Link(False, str(exc))
                    self._stop.wait(RETRY_S)
                    continue
                if not connected:
                    connected = True
                    yield Link(True)
                yield changes
        finally:
            if self._feed is not None:
                self._feed.close()


class AppliedEntries:
    """An operation of one of the window's workers (a connection of its own) reaches the
    window twice, as the job's result and through the live feed: whichever comes second
    names only log entries applied already (entry ids are unique to one operation)."""

    KEPT = 20_000

    def __init__(self) -> None:
        self._ids: set[str] = set()

    def first_time(self, changes: Changes) -> bool:
        """False for ``changes`` whose every entry was applied before; records them."""
        entries = set(changes.entries)
        if entries and entries <= self._ids:
            return False
        if len(self._ids) > self.KEPT:
            self._ids.clear()
        self._ids |= entries
        return True


class LiveUpdates(QObject):
    """Owned by the window: ``start(store)`` listens to that desk (stopping any earlier
    listener), ``stop()`` ends it. Emits ``changes_arrived(Changes)`` and
    ``link_changed(Link)`` on the GUI thread, only for the desk last started."""

    changes_arrived = Signal(object)
    link_changed = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.job: FeedJob | None = None
        self.worker: JobWorker | None = None
        self._generation = 0

    def start(self, store: Desk) -> None:
        self.stop()
        self._generation += 1
        generation = self._generation
        self.job = job = FeedJob(store.watch)  # the feed opens its own connection
        self.worker = start_job(
            self,
            job.steps,
            on_progress=lambda step: self._on_step(generation, step),
            on_failed=lambda message: self._on_step(generation, Link(False, message)),
        )

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()
        if self.worker is not None:
            self.worker.cancel()
        self.job = self.worker = None
        self._generation += 1  # whatever the old job still sends is dropped

    def _on_step(self, generation: int, step: Changes | Link | None) -> None:
        if generation != self._generation or step is None:
            return
        if isinstance(step, Link):
            self.link_changed.emit(step)
        elif step:
            self.changes_arrived.emit(step)


__all__ = ["AppliedEntries", "FeedJob", "Link", "LiveUpdates"]
