"""A server desk whose server went away: the window says "reconnecting" in the status bar,
keeps the case on screen read-only and what the officer typed in the entry line, and carries
on by itself once a server of the desk's location takes writes again (the promoted standby,
with a multi-host location and ``target_session_attrs=read-write``).

Whether a server is back is asked by a worker on a connection of its own, every second,
never on the GUI thread; then the window's desk connects afresh and the views reload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from sarapp.errors import SarappError
from sarapp.store import Desk
from sarapp.ui.worker import JobWorker, start_job

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

RECONNECTING = "Server lost: reconnecting… (read-only; typed entries are kept)"


class ConnectionWatch(QObject):
    """The window's connection state; ``lost`` after a ``ConnectionLost``."""

    PROBE_MS = 1000

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.reconnecting = False
        self.label = QLabel()
        self.label.setObjectName("connection_state")
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self, interval=self.PROBE_MS)
        self.timer.timeout.connect(self._probe)
        self.probe: JobWorker | None = None

    def lost(self, message: str) -> None:
        """Go read-only and start asking for a server (once, however many calls fail)."""
        self.window.statusBar().showMessage(message, 15000)
        if self.reconnecting:
            return
        self.reconnecting = True
        self.label.setText(RECONNECTING)
        self.window.set_writable(False)
        self.timer.start()

    def _probe(self) -> None:
        if self.probe is not None:
            return
        target = self.window.store.target

        def job():
            yield None
            with Desk.open(target, create=False):
                return True

        self.probe = start_job(self, job, on_finished=self._on_back, on_failed=self._on_still_lost)

    def _on_still_lost(self, _message: str) -> None:
        self.probe = None

    def _on_back(self, _found: object) -> None:
        self.probe = None
        try:
            self.window.store.reconnect()
        except SarappError:
            return  # gone again meanwhile: the next probe asks again
        self.timer.stop()
        self.reconnecting = False
        self.label.setText("")
        self.window.statusBar().showMessage("Reconnected to the server.", 10000)
        self.window.set_writable(True)
        self.window.reload()
