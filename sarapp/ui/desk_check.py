"""Tools → Check desk integrity: ``db check`` (integrity, chains, replay, schema, signed
checkpoints) in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from sarapp.model import CheckReport
from sarapp.store.sqlite.check import check_desk_steps
from sarapp.ui.worker import JobWorker, start_job
from sarapp.ui.worker_desk import worker_desk

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow


def start_desk_check(window: MainWindow) -> JobWorker:
    """Run the check on a connection of the worker's own, with progress and cancel; the
    report goes to ``window.check_report`` and the status bar (or an error dialog)."""
    address = window.store.address
    options = window.store.checkpoints.check_options()  # the desk's key, if the app has it
    progress = QProgressDialog("Checking the desk…", "Cancel", 0, 100, window)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def job():
        with worker_desk(address) as own:  # a connection of the worker's own
            if own.path is None:  # a server desk: chains and search words, in one step
                yield (0, 1)
                return own.check()
            return (yield from check_desk_steps(own.conn, **options))

    def on_progress(step: tuple[int, int]) -> None:
        done, total = step
        progress.setMaximum(max(total, 1))
        progress.setValue(done)

    def on_finished(report: CheckReport) -> None:
        progress.reset()
        window.check_report = report
        if report.ok:
            message = f"Desk OK: {report.cases} cases, {report.entries} log entries checked."
            if report.notices:  # what could not be checked (no key, say): said, not failed
                message += " Note: " + " ".join(report.notices)
            window.statusBar().showMessage(message, 10000)
        else:
            window.show_error("Desk check failed", "\n".join(report.problems[:20]))

    def on_failed(message: str) -> None:
        progress.reset()
        window.show_error("Desk check failed", message)

    worker = start_job(
        window,
        job,
        on_progress=on_progress,
        on_finished=on_finished,
        on_failed=on_failed,
        on_cancelled=progress.reset,
    )
    progress.canceled.connect(worker.cancel)
    return worker
