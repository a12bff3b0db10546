"""No Qt object lives (or dies) in a job's thread.

``make test`` hung for good once (gdb stacks): a job's worker QObject, moved into the job's
thread and deleted there by ``deleteLater`` as the thread ended, held Qt's connection lock in
its destructor while waiting for the GIL; the GUI thread held the GIL while waiting for that
same lock to connect a signal. The job's handle is now plain Python and the QThread object
that drives it lives in the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThread

from sarapp.ui.worker import start_job


def test_a_jobs_objects_live_in_the_gui_thread(qtbot):
    ran_in = []

    def job():
        ran_in.append(QThread.currentThread())
        yield 0.5
        return "result"

    done = []
    holder = QObject()
    worker = start_job(holder, job, on_finished=done.append)
    qtbot.waitUntil(lambda: done == ["result"], timeout=30000)
    qtbot.waitUntil(worker.thread_.isFinished, timeout=30000)
    gui = QCoreApplication.instance().thread()
    assert ran_in and ran_in[0] is not gui  # the job itself ran off the GUI thread
    assert not isinstance(worker, QObject)  # before: a QObject moved into the job's thread
    assert worker.thread_.thread() is gui  # the thread object is destroyed on the GUI thread


def test_a_cancelled_job_stops_and_reports_it(qtbot):
    def job():
        while True:
            yield None

    cancelled = []
    holder = QObject()
    worker = start_job(holder, job, on_cancelled=lambda: cancelled.append(True))
    worker.cancel()
    qtbot.waitUntil(lambda: cancelled == [True], timeout=30000)
    qtbot.waitUntil(worker.thread_.isFinished, timeout=30000)
