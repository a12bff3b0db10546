"""Closing a case: how it ended (a choice the annual report counts: false alert, beacon
test…) and the reason, in the officer's words."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sarapp.outcomes import CaseOutcome


class CloseCaseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Close case")
        self.outcome_box = QComboBox()
        self.outcome_box.setObjectName("outcome")
        self.outcome_box.addItem("(not given)", "")
        for outcome in CaseOutcome:
            self.outcome_box.addItem(outcome.label, outcome.value)
        self.reason_edit = QLineEdit(placeholderText="towed to port, all safe…")
        self.reason_edit.setObjectName("close_reason")
        form = QFormLayout()
        form.addRow("Outcome", self.outcome_box)
        form.addRow("Reason for closing", self.reason_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def outcome(self) -> str:
        return str(self.outcome_box.currentData() or "")

    def reason(self) -> str:
        return self.reason_edit.text().strip()
