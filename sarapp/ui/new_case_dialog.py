"""The New case dialog: the few fields a coordinator has when the first call comes in."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from sarapp.casefields import CASE_FIELDS, FieldError
from sarapp.geo import GeoError, parse_dtg, parse_position
from sarapp.model import AlertPhase, Position, utc_now
from sarapp.ui.case_form import INVALID_STYLE

FIRST_CALL_FIELDS = ("title", "nature", "pob", "vessel_name", "mmsi", "call_sign", "flag")


class NewCaseDialog(QDialog):
    """Collects and validates a new case; ``result_values()`` gives what the store needs."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self.setMinimumWidth(480)
        self.phase = QComboBox()
        for phase in AlertPhase:
            self.phase.addItem(f"{phase.value} ({phase.meaning})", phase.value)
        self.edits = {}
        form = QFormLayout()
        form.addRow("Alert phase", self.phase)
        for name in FIRST_CALL_FIELDS:
            spec = CASE_FIELDS[name]
            edit = QLineEdit(placeholderText=spec.placeholder or spec.help)
            edit.setObjectName(f"new_{name}")
            self.edits[name] = edit
            form.addRow(spec.label, edit)
        self.position = QLineEdit(placeholderText="43°12.345'N 005°06.789'E (optional)")
        self.position_time = QLineEdit(placeholderText="DTG of the position (now if empty)")
        form.addRow("Position", self.position)
        form.addRow("Position time", self.position_time)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open case")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._values: dict[str, Any] = {}

    def accept(self) -> None:
        """Close only when every field passes; otherwise mark the first bad one."""
        for edit in (*self.edits.values(), self.position, self.position_time):
            edit.setStyleSheet("")
        values: dict[str, Any] = {}
        for name, edit in self.edits.items():
            try:
                values[name] = CASE_FIELDS[name].parse(edit.text())
            except FieldError as exc:
                return self._fail(edit, str(exc))
        lkp = None
        if self.position.text().strip():
            try:
                lat, lon = parse_position(self.position.text())
            except GeoError as exc:
                return self._fail(self.position, str(exc))
            try:
                text = self.position_time.text().strip()
                when = parse_dtg(text) if text else utc_now()
            except GeoError as exc:
                return self._fail(self.position_time, str(exc))
            lkp = Position(lat, lon, time=when, source="reported")
        self._values = {
            "title": values.pop("title"),
            "phase": AlertPhase(self.phase.currentData()),
            "values": {k: v for k, v in values.items() if v not in ("", None)},
            "lkp": lkp,
        }
        super().accept()

    def result_values(self) -> dict[str, Any]:
        """Keyword arguments for ``Desk.cases.create`` (author aside)."""
        return self._values

    def _fail(self, edit: QLineEdit, message: str) -> None:
        edit.setStyleSheet(INVALID_STYLE)
        edit.setFocus()
        self.error.setText(message)
        self.error.show()
