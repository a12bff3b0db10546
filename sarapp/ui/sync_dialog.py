"""The field laptop and its centre in the app: Case → Take on a laptop (at the centre: which
cases a laptop carries) and File → Sync with the centre (on the laptop: a sync in a worker,
with progress, cancel and a summary of what came and went).

Both call the same core as ``sarapp sync``; the sync runs on desk connections of the worker's
own, never on the GUI thread's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from sarapp.errors import SarappError
from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.exchange.sync import SyncProgress, SyncReport, sync_with_centre
from sarapp.exchange.sync_summary import summary_lines
from sarapp.model import Changes
from sarapp.store import Desk
from sarapp.ui import settings
from sarapp.ui.worker import JobWorker, start_job

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow


class LaptopCasesDialog(QDialog):
    """Which cases a field laptop (named by its RCC id) takes: ticked ones are given to it,
    unticked ones taken back (it keeps its copy but may no longer sync them)."""

    changes_made = Signal(object)

    def __init__(self, window: MainWindow, *, case_id: str | None = None) -> None:
        super().__init__(window)
        self.setWindowTitle("Take cases on a laptop")
        self.resize(460, 380)
        self.store, self._current = window.store, case_id
        self.laptop = QComboBox(editable=True)
        self.laptop.setObjectName("laptop_name")
        self.laptop.lineEdit().setPlaceholderText("the laptop's RCC id, e.g. FIELD-1")
        self.laptop.addItems(sorted({g.laptop for g in self.store.sync.grants()}))
        self.laptop.setCurrentText(self.laptop.itemText(0) if self.laptop.count() else "")
        self.cases = QListWidget()
        self.cases.setObjectName("laptop_cases")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Laptop:", self.laptop)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Cases it carries (ticked):"))
        layout.addWidget(self.cases)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.laptop.currentTextChanged.connect(self._on_laptop_changed)
        self._on_laptop_changed(self.laptop.currentText())

    def _on_laptop_changed(self, name: str) -> None:
        given = set(self.store.sync.given(name.strip())) if name.strip() else set()
        self.cases.clear()
        for case in self.store.cases.list():
            item = QListWidgetItem(f"{case.number}  {case.title}  ({case.phase.value})")
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = case.id in given or (not given and case.id == self._current)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.cases.addItem(item)

    def ticked(self) -> list[str]:
        return [
            self.cases.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.cases.count())
            if self.cases.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> Changes | None:
        """Give the ticked cases, take back the others given before; logged in each case."""
        name = self.laptop.currentText().strip()
        if not name:
            self.message.setText("Name the laptop (its RCC id, as set on it under Keys).")
            return None
        ticked, author = self.ticked(), settings.operator_name()
        given = set(self.store.sync.given(name))
        try:
            changes = Changes()
            add = [c for c in ticked if c not in given]
            drop = [c for c in given if c not in ticked]
            if add:
                changes |= self.store.sync.give(name, add, author=author)
            if drop:
                changes |= self.store.sync.withdraw(name, drop, author=author)
        except SarappError as exc:
            self.message.setText(f"Nothing changed: {exc}")
            return None
        self.message.setText(
            f"{name} carries {len(ticked)} case{'s' if len(ticked) != 1 else ''} "
            f"({len(add)} given, {len(drop)} taken back)."
        )
        self.changes_made.emit(changes)
        return changes


class SyncDialog(QDialog):
    """Sync this laptop with its centre: where the centre is, Sync, progress, Cancel, and
    what came and went per case (conflicts listed for an officer to settle)."""

    changes_made = Signal(object)
    finished_sync = Signal(object)  # the SyncReport, or None when stopped or failed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Sync with the centre")
        self.laptop_location = window.store.address
        self.keys_dir: Path | None = None
        self.worker: JobWorker | None = None
        self.report: SyncReport | None = None
        self.centre = QLineEdit(settings.sync_centre())
        self.centre.setObjectName("centre_location")
        self.centre.setPlaceholderText("postgresql://rcc-db/sar or service=rcc")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("Not synced yet.")
        self.status.setWordWrap(True)
        self.summary = QPlainTextEdit(readOnly=True)
        self.summary.setObjectName("sync_summary")
        self.sync_button = QPushButton("Sync")
        self.sync_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.sync_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Centre:", self.centre)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def start(self) -> JobWorker | None:
        location = self.centre.text().strip()
        if not location:
            self.status.setText("Say where the centre is (postgresql://… or service=…).")
            return None
        settings.set_sync_centre(location)
        laptop, keys_dir, author = self.laptop_location, self.keys_dir, settings.operator_name()

        def job():
            yield SyncProgress(0, 0, "")
            with (
                Desk.open(laptop, create=False) as own,
                Desk.open(location, create=False) as centre,
            ):
                attach_checkpoint_signer(own, keys_dir)
                attach_checkpoint_signer(centre, keys_dir)
                shown = centre.location
                return (yield from sync_with_centre(own, centre, location=shown, author=author))

        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.summary.clear()
        self.status.setText(f"Connecting to {location}…")
        self.worker = start_job(
            self,
            job,
            on_progress=self._on_progress,
            on_finished=self._on_finished,
            on_failed=self._on_failed,
            on_cancelled=self._on_cancelled,
        )
        return self.worker

    def cancel(self) -> None:
        """Stop after the case being synced (each case is synced whole or not at all)."""
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("Stopping after this case…")

    def _on_progress(self, step: SyncProgress) -> None:
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(step.done)
        if step.case:
            self.status.setText(f"Case {step.case} ({step.done + 1} of {step.total})…")

    def _on_finished(self, report: SyncReport) -> None:
        self._idle()
        self.report = report
        self.status.setText(f"Synced with {report.centre}.")
        self.summary.setPlainText("\n".join(summary_lines(report)))
        self.changes_made.emit(report.changes)
        self.finished_sync.emit(report)

    def _on_failed(self, message: str) -> None:
        self._idle()
        self.status.setText(
            f"Sync stopped: {message}. What was synced stays synced; sync again to complete it."
        )
        self.finished_sync.emit(None)

    def _on_cancelled(self) -> None:
        self._idle()
        self.status.setText(
            "Sync cancelled: the cases synced so far stay synced; sync again to complete it."
        )
        self.changes_made.emit(Changes(cases=frozenset(self.window_cases())))
        self.finished_sync.emit(None)

    def window_cases(self) -> list[str]:
        parent = self.parent()
        return [c.id for c in parent.case_list.model.cases] if parent is not None else []

    def _idle(self) -> None:
        self.worker = None
        self.sync_button.setEnabled(True)
        self.cancel_button.setEnabled(False)


def open_laptop_cases(window: MainWindow) -> LaptopCasesDialog:
    """Case → Take on a laptop: the dialog, the shown case ticked for a laptop new to it."""
    dialog = LaptopCasesDialog(window, case_id=window.current)
    dialog.changes_made.connect(window.apply)
    dialog.show()
    return dialog


def open_sync(window: MainWindow) -> SyncDialog:
    """File → Sync with the centre: the dialog; what came is applied to the window's views."""
    dialog = SyncDialog(window)
    dialog.changes_made.connect(window.apply)
    dialog.show()
    return dialog


def add_sync_actions(window: MainWindow, file_menu: QMenu, case_menu: QMenu) -> None:
    """File → Sync with the centre (after the handover), Case → Take on a laptop."""
    window.sync_action = QAction("S&ync with the centre…", window)
    window.sync_action.triggered.connect(lambda _checked=False: open_sync(window))
    actions = file_menu.actions()
    after = actions.index(window.handover_action) + 1
    file_menu.insertAction(actions[after] if after < len(actions) else None, window.sync_action)
    window.laptop_action = QAction("Take on a &laptop…", window)
    window.laptop_action.triggered.connect(lambda _checked=False: open_laptop_cases(window))
    case_menu.addSeparator()
    case_menu.addAction(window.laptop_action)
