"""The selected case's details: a form built from the field declarations, checked at the field.

A value is validated by the same core declaration the store uses; an invalid value is marked
at its field with the reason and never written. A valid change goes to the store, which logs
it; the window then refreshes from the returned ``Changes``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sarapp.casefields import CASE_FIELDS, FieldError
from sarapp.geo import GeoError, format_ddm, format_dtg, parse_dtg, parse_position
from sarapp.model import AlertPhase, Case, Position, utc_now
from sarapp.outcomes import CaseOutcome
from sarapp.safetext import visible
from sarapp.ui.phase_style import badge_style


def _outcome(case: Case) -> str:
    return f" ({CaseOutcome(case.outcome).label})" if case.outcome and not case.is_open else ""


INVALID_STYLE = "QLineEdit { border: 2px solid #d93025; background: #fdecea; }"


class FieldEditor(QWidget):
    """A line edit with its own error line under it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        spec = CASE_FIELDS[name]
        self.name = name
        self.edit = QLineEdit(placeholderText=spec.placeholder or spec.help)
        self.edit.setToolTip(spec.help)
        self.edit.setObjectName(f"field_{name}")
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.edit.setStyleSheet(INVALID_STYLE)

    def clear_error(self) -> None:
        self.error.hide()
        self.edit.setStyleSheet("")


class CaseForm(QWidget):
    """Emits ``field_edited(name, text)``, ``phase_chosen(phase)``, ``position_entered(pos)``."""

    field_edited = Signal(str, str)
    phase_chosen = Signal(str)
    position_entered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        # Each field's value as last shown from the desk: what the officer saw when an edit
        # began (``set_field(expected=…)``), kept while they type over it.
        self.seen: dict[str, Any] = {}
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setObjectName("case_header")
        self.header.setWordWrap(True)
        # The phase in a box of its own (colours of the palette in use, legible in both), then
        # the status, when the case was opened and where.
        self.phase_badge = QLabel()
        self.phase_badge.setObjectName("phase_badge")
        self.phase_badge.hide()
        self.status_line = QLabel()
        self.status_line.setTextFormat(Qt.TextFormat.RichText)
        self.status_line.setWordWrap(True)
        self.phase = QComboBox()
        for phase in AlertPhase:
            self.phase.addItem(f"{phase.value} ({phase.meaning})", phase.value)
        self.phase.setObjectName("phase")
        self.editors = {name: FieldEditor(name) for name in CASE_FIELDS}
        self.lkp = QLabel("—")
        self.lkp.setObjectName("lkp")
        self.lkp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.position_text = QLineEdit(placeholderText="43°12.345'N 005°06.789'E")
        self.position_time = QLineEdit(placeholderText="DTG (now if empty)")
        self.position_source = QLineEdit("reported")
        self.position_error = QLabel()
        self.position_error.setStyleSheet("color: #d93025;")
        self.position_error.hide()
        self.position_button = QPushButton("Report position")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.coordinator = QLabel("—")
        self.coordinator.setObjectName("coordinator")
        form.addRow("Coordinating RCC", self.coordinator)
        form.addRow("Alert phase", self.phase)
        for name, editor in self.editors.items():
            if not CASE_FIELDS[name].group:
                form.addRow(CASE_FIELDS[name].label, editor)
        form.addRow("Last known position", self.lkp)
        self.lkp.setWordWrap(True)
        position_row = QHBoxLayout()
        self.position_source.setMinimumWidth(80)
        self.position_source.setToolTip("source of the position: reported, ais, sru, doppler-A…")
        position_row.addWidget(self.position_time, 3)
        position_row.addWidget(self.position_source, 2)
        position_row.addWidget(self.position_button)
        form.addRow("New position", self.position_text)
        form.addRow("", position_row)
        form.addRow("", self.position_error)
        port = QGroupBox("Place of safety and disembarkation")
        port.setObjectName("disembarkation")
        port_form = QFormLayout(port)
        port_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, editor in self.editors.items():
            if CASE_FIELDS[name].group == "disembarkation":
                port_form.addRow(CASE_FIELDS[name].label, editor)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        status_row = QHBoxLayout()
        status_row.addWidget(self.phase_badge, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status_line, 1)
        layout.addLayout(status_row)
        layout.addLayout(form)
        layout.addWidget(port)
        layout.addStretch(1)

        for editor in self.editors.values():
            editor.edit.editingFinished.connect(
                lambda e=editor: self._on_field_edited(e.name, e.edit.text())
            )
        self.phase.activated.connect(self._on_phase_activated)
        self.position_button.clicked.connect(self._on_position_entered)
        self.position_text.returnPressed.connect(self._on_position_entered)
        self.setEnabled(False)

    def show_coordinator(self, text: str) -> None:
        """Who coordinates the case (from the handover history), under the header."""
        self.coordinator.setText(text)

    def show_case(self, case: Case | None) -> None:
        """Show ``case`` (model → widgets, with signals blocked so nothing is written back)."""
        same_case = case is not None and self.case is not None and case.id == self.case.id
        if not same_case:
            # A position typed for the previous case must not be reported for this one.
            self.position_text.clear()
            self.position_time.clear()
            self.position_error.hide()
            for editor in self.editors.values():
                editor.edit.setModified(False)
        self.case = case
        self.setEnabled(case is not None)
        if case is None:
            self.header.setText("<i>No case selected</i>")
            self.phase_badge.hide()
            self.status_line.clear()
            return
        demo = " <b>[DEMO]</b>" if case.is_demo else ""
        self.header.setText(
            f"<span style='font-size:15pt'><b>{case.number}</b> {escape(case.title)}</span>{demo}"
        )
        self.phase_badge.setText(case.phase.value)
        self.phase_badge.setStyleSheet(badge_style(case))
        self.phase_badge.show()
        self.status_line.setText(
            f"{case.status.value}{_outcome(case)} · opened {format_dtg(case.created)}"
            + (
                f"<br>{escape(visible(case.origin_rcc, multiline=False))} case "
                f"<b>{escape(visible(case.origin_number, multiline=False))}</b>"
                " (where the case was opened)"
                if case.origin_rcc
                else ""
            )
        )
        self.phase.blockSignals(True)
        self.phase.setCurrentIndex(self.phase.findData(case.phase.value))
        self.phase.blockSignals(False)
        for name, editor in self.editors.items():
            value = getattr(case, name)
            if same_case and editor.edit.isModified():
                # The officer is typing here: another desk's change must not clobber it;
                # the save compares with what they saw (a conflict if it changed).
                continue
            self.seen[name] = value
            editor.edit.blockSignals(True)
            editor.edit.setText(CASE_FIELDS[name].format(value))
            editor.edit.setCursorPosition(0)
            editor.edit.blockSignals(False)
            editor.clear_error()
        if case.lkp:
            when = format_dtg(case.lkp.time) if case.lkp.time else "time unknown"
            accuracy = f", ±{case.lkp.accuracy_m:.0f} m" if case.lkp.accuracy_m else ""
            self.lkp.setText(
                f"{format_ddm(case.lkp.lat, case.lkp.lon)} at {when} ({case.lkp.source}{accuracy})"
            )
        else:
            self.lkp.setText("—")

    def changeEvent(self, event: QEvent) -> None:
        """The night palette switched on or off: the badge takes that palette's colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.case is not None:
            self.phase_badge.setStyleSheet(badge_style(self.case))

    def _on_field_edited(self, name: str, text: str) -> None:
        if self.case is None:
            return
        editor = self.editors[name]
        spec = CASE_FIELDS[name]
        try:
            value = spec.parse(text)
        except FieldError as exc:
            editor.show_error(str(exc))
            return
        editor.clear_error()
        if value != getattr(self.case, name):
            self.field_edited.emit(name, text)
        else:
            self.discard_edit(name)  # typed what is stored: nothing to save or protect

    def discard_edit(self, name: str) -> None:
        """Show the field's stored value again (its edit was saved, settled or dropped)."""
        editor = self.editors[name]
        editor.edit.setModified(False)
        if self.case is not None:
            self.seen[name] = getattr(self.case, name)
            editor.edit.blockSignals(True)
            editor.edit.setText(CASE_FIELDS[name].format(self.seen[name]))
            editor.edit.setCursorPosition(0)
            editor.edit.blockSignals(False)
            editor.clear_error()

    def set_read_only(self, reason: str) -> None:
        """A desk this login may only read: the fields show, nothing can be typed into them
        (``reason`` on their tooltips); an empty reason makes them editable again."""
        for editor in self.editors.values():
            editor.edit.setReadOnly(bool(reason))
        for widget in (self.position_text, self.position_time, self.position_source):
            widget.setReadOnly(bool(reason))
        self.position_button.setEnabled(not reason)
        self.phase.setEnabled(not reason)
        self.position_button.setToolTip(reason)
        self.phase.setToolTip(reason)

    def _on_phase_activated(self, _index: int) -> None:
        if self.case is not None and self.phase.currentData() != self.case.phase.value:
            self.phase_chosen.emit(self.phase.currentData())

    def _on_position_entered(self) -> None:
        try:
            lat, lon = parse_position(self.position_text.text())
            time_text = self.position_time.text().strip()
            when = parse_dtg(time_text) if time_text else None
        except GeoError as exc:
            self.position_error.setText(str(exc))
            self.position_error.show()
            return
        self.position_error.hide()
        source = self.position_source.text().strip() or "reported"
        self.position_entered.emit(Position(lat, lon, time=when or utc_now(), source=source))
        self.position_text.clear()
        self.position_time.clear()
