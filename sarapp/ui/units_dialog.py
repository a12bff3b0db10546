"""The rescue-unit registry: register units, report a unit's position by hand."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.geo import parse_dtg, parse_position
from sarapp.model import UnitPosition, UnitType, utc_now
from sarapp.store import Desk

COLUMNS = ("Name", "Type", "Call sign", "MMSI", "Speed kt", "Endurance h", "Home base")


class UnitsDialog(QDialog):
    """Emits ``units_changed`` after a unit or a unit position is stored."""

    units_changed = Signal()

    def __init__(self, store: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Rescue units")
        self.resize(820, 560)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.name = QLineEdit()
        self.unit_type = QComboBox()
        for kind in UnitType:
            self.unit_type.addItem(kind.label, kind.value)
        self.call_sign = QLineEdit()
        self.mmsi = QLineEdit(placeholderText="its AIS positions are then stored")
        self.speed = QDoubleSpinBox(maximum=500, suffix=" kt")
        self.endurance = QDoubleSpinBox(maximum=200, suffix=" h")
        self.home_base = QLineEdit()
        add = QPushButton("Register unit")
        self.position = QLineEdit(placeholderText="43°12.3'N 005°06.8'E")
        self.position_time = QLineEdit(placeholderText="DTG (now if empty)")
        self.heading = QDoubleSpinBox(maximum=359, suffix=" °T")
        report = QPushButton("Report position of the selected unit")
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        for label, widget in (
            ("Name", self.name),
            ("Type", self.unit_type),
            ("Call sign", self.call_sign),
            ("MMSI", self.mmsi),
            ("Speed", self.speed),
            ("Endurance", self.endurance),
            ("Home base", self.home_base),
        ):
            form.addRow(label, widget)
        form.addRow("", add)
        fix = QHBoxLayout()
        for widget in (self.position, self.position_time, self.heading):
            fix.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(fix)
        layout.addWidget(report)
        layout.addWidget(self.error)
        add.clicked.connect(self.register_unit)
        report.clicked.connect(self.report_position)
        self.refresh()

    def refresh(self) -> None:
        units = self.store.units.all()
        self.table.setRowCount(len(units))
        for row, unit in enumerate(units):
            values = (
                unit.name,
                unit.unit_type.label,
                unit.call_sign,
                unit.mmsi,
                "" if unit.speed_kt is None else f"{unit.speed_kt:g}",
                "" if unit.endurance_h is None else f"{unit.endurance_h:g}",
                unit.home_base,
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._units = units

    def register_unit(self) -> bool:
        try:
            self.store.units.add(
                name=self.name.text(),
                unit_type=self.unit_type.currentData(),
                call_sign=self.call_sign.text(),
                mmsi=self.mmsi.text(),
                speed_kt=self.speed.value() or None,
                endurance_h=self.endurance.value() or None,
                home_base=self.home_base.text(),
            )
        except SarappError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.name.clear()
        self.refresh()
        self.units_changed.emit()
        return True

    def report_position(self) -> bool:
        row = self.table.currentRow()
        if row < 0:
            self.error.setText("select the unit whose position this is")
            return False
        try:
            lat, lon = parse_position(self.position.text())
            text = self.position_time.text().strip()
            fix = UnitPosition(
                unit_id=self._units[row].id,
                lat=lat,
                lon=lon,
                time=parse_dtg(text) if text else utc_now(),
                source="reported",
                heading_deg=self.heading.value(),
            )
            self.store.units.add_positions([fix])
        except SarappError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.position.clear()
        self.units_changed.emit()
        return True
