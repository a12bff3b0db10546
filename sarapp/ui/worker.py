"""Run a core generator off the GUI thread, with progress and cancel.

Core long jobs are generators that yield progress values and return a result (convention 3).
The worker drives one in a QThread and hands progress, the result or the error back through
signals; it never touches widgets or the database of the GUI thread.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

# Jobs still running. Their threads have no parent: a thread parented to the widget that
# started it was destroyed with that widget (a case switched, the window closed) while still
# running, and Qt aborts the whole process then. Each entry is dropped when its thread ends.
_RUNNING: set[_Reaper] = set()
# The last reaper that ran, kept one turn longer: dropping it in its own slot would delete a
# QObject while Qt is still delivering the call to it.
_REAPED: list[_Reaper] = []
_HOOKED_APPS: set[int] = set()


class _GuiThreadCollector(QObject):
    """Python's cycle collector runs in whichever thread allocates past its threshold: with
    jobs building polygons in workers, it destroyed the GUI's discarded widgets and chart items
    there, off the GUI thread, and the app aborted, crashed or hung now and then. So automatic
    collection is off once jobs run, and the GUI thread collects on a timer, the generation
    the allocation counts call for (what the automatic collector would have done)."""

    INTERVAL_MS = 100

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        counts, limits = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > limits[generation]:
                gc.collect(generation)
                return


class _Relay(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Reaper(QObject):
    """Lives in the GUI thread and keeps a job's thread and worker until the thread ends."""

    def __init__(self, thread: QThread, worker: JobWorker) -> None:
        super().__init__()
        self.thread_, self.worker = thread, worker

    def reap(self) -> None:
        self.thread_.wait()
        _RUNNING.discard(self)
        _REAPED[:] = [self]  # releases the previous one, whose slot has long returned


def _stop_all_jobs() -> None:
    """On quit: cancel every job and wait for it (each stops at its next progress step)."""
    for reaper in list(_RUNNING):
        reaper.worker.cancel()
    for reaper in list(_RUNNING):
        reaper.thread_.wait()
    _RUNNING.clear()


class JobWorker:
    """The handle of a running job: keep it to ``cancel()`` the job.

    Plain Python, not a QObject: nothing of Qt lives in the job's thread. A QObject deleted
    there (the old design moved a worker object into the thread and deleted it with
    ``deleteLater`` as the thread ended) took Qt's connection lock in its destructor and then
    waited for the GIL, while the GUI thread held the GIL and waited for that same lock to
    connect a signal: the app (and ``make test``) hung for good.
    """

    def __init__(self, job: Callable[[], Generator[Any, None, Any]]) -> None:
        self._job = job
        self._cancel = False
        self.thread_ = _JobThread(self)

    def cancel(self) -> None:
        """Ask the job to stop at its next yield (thread-safe: a plain flag)."""
        self._cancel = True


class _JobThread(QThread):
    """Drives one job in ``run``; the object itself lives in the GUI thread, so its signals
    reach the GUI thread queued and it is destroyed there."""

    progress = Signal(object)  # whatever the generator yields
    done = Signal(object)  # the generator's return value
    failed = Signal(str)  # a message for the user
    cancelled = Signal()

    def __init__(self, worker: JobWorker) -> None:
        super().__init__()
        self.worker = worker

    def run(self) -> None:
        worker = self.worker
        try:
            generator = worker._job()
            while True:
                if worker._cancel:
                    generator.close()
                    self.cancelled.emit()
                    return
                try:
                    self.progress.emit(next(generator))
                except StopIteration as stop:
                    self.done.emit(stop.value)
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

    The callbacks run on the GUI thread (queued connections) and stop with ``parent``: when
    it is destroyed the job is cancelled and its result dropped. Keep the returned worker to
    cancel the job.
    """
    app = QCoreApplication.instance()
    if app is not None and id(app) not in _HOOKED_APPS:
        _HOOKED_APPS.add(id(app))
        app.aboutToQuit.connect(_stop_all_jobs)
        app._sarapp_collector = _GuiThreadCollector(app)
    worker = JobWorker(job)
    thread = worker.thread_
    # A relay living in the GUI thread makes every callback a queued call on the GUI thread,
    # whatever the callable is (a plain function would otherwise run in the job's thread).
    relay = _Relay(parent)
    for name, source, slot in (
        ("progress", thread.progress, on_progress),
        ("finished", thread.done, on_finished),
        ("failed", thread.failed, on_failed),
        ("cancelled", thread.cancelled, on_cancelled),
    ):
        source.connect(getattr(relay, name))
        if slot is not None:
            getattr(relay, name).connect(slot)
    for name in ("finished", "failed", "cancelled"):
        getattr(relay, name).connect(relay.deleteLater)
    # The relay dies with its parent: the job is then of no use, stop it (a plain flag, set
    # directly from the GUI thread).
    relay.destroyed.connect(lambda *_: worker.cancel())
    reaper = _Reaper(thread, worker)
    thread.finished.connect(reaper.reap)  # queued: the reaper lives in the GUI thread
    _RUNNING.add(reaper)
    thread.start()
    return worker
