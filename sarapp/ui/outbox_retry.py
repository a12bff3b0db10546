"""Packages the outbox still holds (a peer that did not answer) are delivered again, every
``RETRY_INTERVAL_S`` and once at start, in a worker on a connection of its own; each delivery
recorded is applied to the window like any other operation."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from sarapp.errors import SarappError
from sarapp.exchange.outbox import Delivery, deliver_pending
from sarapp.ui import settings
from sarapp.ui.worker import JobWorker, start_job
from sarapp.ui.worker_desk import worker_desk

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

RETRY_INTERVAL_S = 120


class OutboxRetrier(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.worker: JobWorker | None = None
        self.timer = QTimer(self, interval=RETRY_INTERVAL_S * 1000)
        self.timer.timeout.connect(self.retry_now)
        self.timer.start()
        QTimer.singleShot(0, self.retry_now)

    def retry_now(self) -> JobWorker | None:
        """Deliver what is pending, unless a round is still running or nothing waits."""
        if self.worker is not None:
            return None
        try:
            if not self.window.store.outbox.items(pending=True):
                return None
        except (SarappError, sqlite3.Error):  # the desk is closing or being switched
            return None
        except Exception:  # the driver's own error: a server connection that was lost
            if self.window.session.connection_lost():
                return None  # the window reconnects; the next round delivers
            raise
        desk, author = self.window.store.address, settings.operator_name()

        def job():
            with worker_desk(desk) as own:
                yield from deliver_pending(own, author=author)

        self.worker = start_job(
            self,
            job,
            on_progress=self._on_delivery,
            on_finished=lambda _result: self._done(),
            on_failed=lambda message: self._done(message),
        )
        return self.worker

    def _on_delivery(self, delivery: Delivery) -> None:
        if delivery.delivered:
            self.window.statusBar().showMessage(
                f"Package {delivery.package_id} delivered ({delivery.detail})", 15000
            )
        self.window.apply(delivery.changes)

    def _done(self, message: str = "") -> None:
        self.worker = None
        if message:
            self.window.statusBar().showMessage(f"Outbox: {message}", 15000)
