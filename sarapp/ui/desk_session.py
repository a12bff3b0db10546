"""The window's desk: opening one (a file at once, a server in a worker), naming it in the
title and status bar, its live updates, and what the window says when it cannot write.

Owned by the main window, which keeps the ``Desk`` as ``window.store``; a desk that cannot be
opened leaves the current one open and says why.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from sarapp.errors import SarappError
from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.store import Desk, ReadOnlyDesk, StoreError
from sarapp.ui import settings
from sarapp.ui.desk_status import read_only_line
from sarapp.ui.live_updates import RETRY_S, AppliedEntries, Link, LiveUpdates
from sarapp.ui.open_desk_dialog import DeskLocation, OpenDeskDialog, desk_name
from sarapp.ui.worker import JobWorker, start_job

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

ENTRY_PLACEHOLDER = "Type a log entry and press Enter"


def open_desk(location: DeskLocation) -> Desk:
    """The desk at ``location``, its key signing checkpoints (without it, it still opens)."""
    store = Desk.open(location)
    attach_checkpoint_signer(store)
    return store


def _open_job(location: DeskLocation):
    """``open_desk`` as a worker's job (a server is reached off the GUI thread)."""
    return open_desk(location)
    yield


def _reconnect_job(location: str):
    """Reach the server again, every ``RETRY_S`` until it answers (cancel stops it)."""
    while True:
        try:
            return open_desk(location)
        except StoreError:
            deadline = time.monotonic() + RETRY_S
            while time.monotonic() < deadline:
                yield None  # the worker may cancel here
                time.sleep(0.1)


class DeskSession(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.opening: JobWorker | None = None  # a server being reached
        self.dialog: OpenDeskDialog | None = None
        self.live = LiveUpdates(self)  # other desks' changes, applied as the window's own
        self.applied = AppliedEntries()
        # A refresh that finds the desk's own connection gone says so in the status bar.
        self.live.changes_arrived.connect(
            lambda changes: window.call(lambda: window.apply(changes))
        )
        self.live.link_changed.connect(self._on_link_changed)
        # A server desk signs what this computer committed in batches: a desk left idle
        # after its last write has it signed within a second (a no-op on a desk file).
        self.signing = QTimer(self, interval=1000)
        self.signing.timeout.connect(self._sign_pending)
        self.signing.start()

    def _sign_pending(self) -> None:
        if self.connection_lost():
            return  # signed once the desk is reached again
        try:
            self.window.store.sign_pending()
        except SarappError:
            return  # tried again in a second

    def choose(self) -> OpenDeskDialog:
        """File → Open desk: a file, or an RCC server."""
        dialog = OpenDeskDialog(self.window.store.address, self.window)
        dialog.accepted.connect(lambda: self.open_location(dialog.location()))
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_location(self, location: DeskLocation | None) -> None:
        """Open a desk file at once; reach a server in a worker (never on the GUI thread),
        the current desk staying open until the other is there."""
        if location is None:
            return
        if isinstance(location, Path):
            self.switch(location)
            return
        window = self.window
        window.statusBar().showMessage(f"Connecting to {desk_name(location)}…")
        self.opening = start_job(
            self,
            lambda: _open_job(location),
            on_finished=lambda store: self.adopt(store, location),
            on_failed=lambda message: window.show_error("Cannot open desk", message),
        )

    def switch(self, location: DeskLocation) -> bool:
        """Open another desk now (a server: blocks until connected); on failure keep the
        current one and say why."""
        try:
            store = open_desk(location)
        except SarappError as exc:
            self.window.show_error("Cannot open desk", str(exc))
            return False
        self.adopt(store, location)
        return True

    def adopt(self, store: Desk, location: DeskLocation) -> None:
        """Make ``store`` the window's desk, closing the one it had."""
        window = self.window
        self.opening = None
        window.statusBar().clearMessage()
        window.chart.cancel_drift()  # a run of this desk's case is not kept in another desk
        self._replace(store)
        window.current = None
        window.refresh_cases()
        window._show_case(None)
        settings.remember_desk(str(location))

    def lost(self, reason: str) -> None:
        """The desk's own server connection failed: say so in one line, keep the case on
        screen and what was typed where it is, and reach the server again in a worker."""
        self.window.desk_status.set_link("lost", reason)
        self.window.say(f"desk read-only: connection lost — {reason}")
        # the fields keep what was typed in them and take no more until the desk is back
        self.window.case_form.set_read_only(f"desk read-only: connection lost — {reason}")
        address = self.window.store.address
        if self.opening is not None or not isinstance(address, str):
            return
        self.opening = start_job(
            self, lambda: _reconnect_job(address), on_finished=self._reconnected
        )

    def _reconnected(self, store: Desk) -> None:
        """The same desk, connected again: the shown case stays and is read afresh."""
        self.opening = None
        window = self.window
        self._replace(store)
        window.refresh_cases()
        if window.current is not None:
            window._show_case(window.current, full_log=False)
        window.statusBar().showMessage("Connected again: the desk is up to date", 10000)

    def _replace(self, store: Desk) -> None:
        self.live.stop()
        old, self.window.store = self.window.store, store
        old.close()
        self.show_desk()

    def show_desk(self) -> None:
        """The title and status bar name the desk; its live updates start; a desk this login
        may only read says so once and takes no typing."""
        window, store = self.window, self.window.store
        store.set_reconnect(False)  # the window reconnects in a worker, not on the GUI thread
        window.setWindowTitle(f"sarapp — {desk_name(store.address or store.location)}")
        window.desk_status.show_desk(store)
        reason = read_only_line(store)
        window.case_form.set_read_only(reason)
        window.case_log.quick_entry.setPlaceholderText(reason or ENTRY_PLACEHOLDER)
        for action in (window.new_case_action, window.import_alert_action,
                       window.paste_alert_action):  # fmt: skip
            action.setEnabled(not reason)
            action.setToolTip(reason or action.text().replace("&", ""))
        self.live.start(store)

    def stop(self) -> None:
        self.live.stop()

    def refuse(self, exc: Exception) -> None:
        """Say why an operation wrote nothing: one line in the status bar when this login may
        not write or the server connection was lost (the case stays on screen, typed text
        where it was), else a dialog. Raises ``exc`` again when it is none of the desk's
        refusals (a bug must not pass for one)."""
        window = self.window
        if isinstance(exc, ReadOnlyDesk):
            window.say(str(exc))
        elif self.connection_lost() and isinstance(exc, StoreError):
            self.lost(str(exc))
        elif self.connection_lost():  # the driver's own error, when the connection died
            self.lost(f"{window.store.location}: {str(exc).strip() or type(exc).__name__}")
        elif isinstance(exc, SarappError):
            window.show_error("sarapp", str(exc))
        else:
            raise exc

    def connection_lost(self) -> bool:
        """Whether the desk's own server connection is gone (a file's never is)."""
        store = self.window.store
        return store.path is None and bool(getattr(store.conn, "closed", False))

    def _on_link_changed(self, link: Link) -> None:
        status = self.window.desk_status
        if link.connected and self.connection_lost():
            self.lost("the server answers again; reconnecting the desk")
        elif link.connected:
            status.set_link("connected")
            self.window.statusBar().showMessage("Connected again: the cases are reloaded", 10000)
        else:
            status.set_link("reconnecting", link.reason)


__all__ = ["DeskSession", "open_desk"]
