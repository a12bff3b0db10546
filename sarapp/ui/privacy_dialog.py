"""Tools → Data protection: the desk's retention period (days after a case is closed before
its personal data is purged), what is due, and the purge itself, run in a worker on a
connection of its own."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.geo import format_dtg
from sarapp.model import Changes
from sarapp.store import Desk
from sarapp.store.purge import PurgeResult, purge
from sarapp.ui import settings
from sarapp.ui.worker import JobWorker, start_job
from sarapp.ui.worker_desk import worker_desk


class PrivacyDialog(QDialog):
    """Emits ``changes_made(Changes)`` once a purge is done."""

    changes_made = Signal(object)

    def __init__(self, store: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Data protection")
        self.store = store
        self.worker: JobWorker | None = None
        days = store.privacy.retention_days()
        self.enabled = QCheckBox("Purge personal data")
        self.enabled.setChecked(days is not None)
        self.days = QSpinBox()
        self.days.setObjectName("retention_days")
        self.days.setRange(0, 36500)
        self.days.setSuffix(" days after a case is closed")
        self.days.setValue(days if days is not None else 90)
        self.days.setEnabled(days is not None)
        self.enabled.toggled.connect(self.days.setEnabled)
        save = QPushButton("Set")
        save.clicked.connect(self.save)
        self.due = QLabel()
        self.due.setObjectName("purge_due")
        self.due.setWordWrap(True)
        self.purge_button = QPushButton("Purge what is due now")
        self.purge_button.clicked.connect(self.start_purge)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.enabled)
        row.addWidget(self.days, 1)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Names, ages, nationalities, medical state and notes of rescued persons, and log "
            "entries marked personal, are purged after this period; counts and statuses stay, "
            "and the case log still checks. Open cases are never purged."
        ))  # fmt: skip
        layout.addLayout(row)
        layout.addWidget(self.due)
        layout.addWidget(self.purge_button)
        layout.addWidget(self.status)
        self.show_due()

    def save(self) -> None:
        try:
            self.store.privacy.set_retention_days(
                self.days.value() if self.enabled.isChecked() else None
            )
        except SarappError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText("Retention period set.")
        self.show_due()

    def show_due(self) -> None:
        """What the desk's period makes due now (a dry run)."""
        if self.store.privacy.retention_days() is None:
            self.due.setText("No retention period: personal data stays until purged.")
            self.purge_button.setEnabled(False)
            return
        result = purge(self.store.persons, author=settings.operator_name(), dry_run=True)
        self.due.setText(_listed(result))
        self.purge_button.setEnabled(bool(result.cases))

    def start_purge(self) -> JobWorker | None:
        if self.worker is not None:
            return None
        path, author = self.store.address, settings.operator_name()  # a file or a server

        def job():
            yield 0.0
            with worker_desk(path) as own:
                return purge(own.persons, author=author)

        self.purge_button.setEnabled(False)
        self.status.setText("Purging…")
        self.worker = start_job(self, job, on_finished=self._on_done, on_failed=self._on_failed)
        return self.worker

    def _on_done(self, result: PurgeResult) -> None:
        self.worker = None
        self.status.setText(_listed(result))
        self.changes_made.emit(Changes(cases=frozenset(c.case_id for c in result.cases)))
        self.show_due()

    def _on_failed(self, message: str) -> None:
        self.worker = None
        self.status.setText(f"Not purged: {message}")
        self.show_due()


def _listed(result: PurgeResult) -> str:
    if not result.cases:
        return f"Nothing is due ({result.rule})."
    verb = "due" if result.dry_run else "purged"
    lines = [f"{len(result.cases)} closed cases {verb} ({result.rule}):"]
    lines += [f"  {c.number}, closed {format_dtg(c.closed)}: {c.persons} persons, "
              f"{c.entries} log entries" for c in result.cases]  # fmt: skip
    return "\n".join(lines)
