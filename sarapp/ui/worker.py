"""Run a core generator off the GUI thread, with progress and cancel.

Core long jobs are generators that yield progress values and return a result (convention 3).
The worker drives one in a QThread and hands progress, the result or the error back through
signals; it never touches widgets or the database of the GUI thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class _Relay(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class JobWorker(QObject):
    progress = Signal(object)  # whatever the generator yields
    finished = Signal(object)  # the generator's return value
    failed = Signal(str)  # a message for the user
    cancelled = Signal()

    def __init__(self, job: Callable[[], Generator[Any, None, Any]]) -> None:
        super().__init__()
        self._job = job
        self._cancel = False

    def cancel(self) -> None:
        """Ask the job to stop at its next yield (thread-safe: a plain flag)."""
        self._cancel = True

    def run(self) -> None:
        try:
            generator = self._job()
            while True:
                if self._cancel:
                    generator.close()
                    self.cancelled.emit()
                    return
                try:
                    self.progress.emit(next(generator))
                except StopIteration as stop:
                    self.finished.emit(stop.value)
                    return
        except Exception as exc:  # shown to the user, never swallowed silently
            traceback.print_exc()
            self.failed.emit(str(exc) or type(exc).__name__)


def start_job(
    parent: QObject,
    job: Callable[[], Generator[Any, None, Any]],
    *,
    on_progress: Callable[[Any], None] | None = None,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
) -> JobWorker:
    """Start ``job`` in its own thread, the callbacks connected before it starts.

    The callbacks run on the GUI thread (queued connections). Keep the returned worker to
    cancel the job.
    """
    thread = QThread(parent)
    worker = JobWorker(job)
    worker.moveToThread(thread)
    # A relay living in the GUI thread makes every callback a queued call on the GUI thread,
    # whatever the callable is (a plain function would otherwise run in the worker thread).
    relay = _Relay(parent)
    for name, slot in (
        ("progress", on_progress),
        ("finished", on_finished),
        ("failed", on_failed),
        ("cancelled", on_cancelled),
    ):
        getattr(worker, name).connect(getattr(relay, name))
        if slot is not None:
            getattr(relay, name).connect(slot)
    for name in ("finished", "failed", "cancelled"):
        getattr(relay, name).connect(relay.deleteLater)
    thread.started.connect(worker.run)
    for signal in (worker.finished, worker.failed, worker.cancelled):
        signal.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    worker.thread_ = thread  # keep the thread alive as long as the worker
    thread.start()
    return worker
