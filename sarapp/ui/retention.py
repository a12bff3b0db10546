"""The desk's retention period kept while the app runs: once at start and every
``CHECK_INTERVAL_S``, the personal data of the closed cases whose period has run is purged,
in a worker on a connection of its own (``sarapp.store.purge``); a desk without a period is
left alone. The purge is logged under the operator's name, and applied to the window."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from sarapp.errors import SarappError
from sarapp.model import Changes
from sarapp.store.purge import PurgeResult, purge
from sarapp.ui import settings
from sarapp.ui.worker import JobWorker, start_job
from sarapp.ui.worker_desk import worker_desk

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

CHECK_INTERVAL_S = 3600


class RetentionKeeper(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.worker: JobWorker | None = None
        self.timer = QTimer(self, interval=CHECK_INTERVAL_S * 1000)
        self.timer.timeout.connect(self.purge_due)
        self.timer.start()
        QTimer.singleShot(0, self.purge_due)

    def purge_due(self) -> JobWorker | None:
        """Purge what the desk's period makes due, unless a round is running or none is."""
        if self.worker is not None:
            return None
        try:
            if self.window.store.privacy.retention_days() is None:
                return None  # no period: personal data stays until purged by hand
        except (SarappError, sqlite3.Error):  # the desk is closing or being switched
            return None
        except Exception:  # the driver's own error: a server connection that was lost
            if self.window.session.connection_lost():
                return None  # the window reconnects; the next round purges
            raise
        desk, author = self.window.store.address, settings.operator_name()  # a file or a server

        def job():
            yield 0.0
            with worker_desk(desk) as own:
                return purge(own.persons, author=author)

        self.worker = start_job(self, job, on_finished=self._done,
                                on_failed=lambda message: self._failed(message))  # fmt: skip
        return self.worker

    def _done(self, result: PurgeResult) -> None:
        self.worker = None
        if not result.cases:
            return
        numbers = ", ".join(c.number for c in result.cases)
        self.window.statusBar().showMessage(
            f"Personal data purged ({result.rule}): {numbers}", 15000
        )
        self.window.apply(Changes(cases=frozenset(c.case_id for c in result.cases)))

    def _failed(self, message: str) -> None:
        self.worker = None
        self.window.statusBar().showMessage(f"Retention: {message}", 15000)
