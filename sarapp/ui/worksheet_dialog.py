"""The IAMSAR search-planning worksheet as a form: the same inputs and figures as
``sarapp plan worksheet``, so a coordinator can check every step by hand."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.planning.iamsar import Worksheet, compute_worksheet
from sarapp.planning.tables import search_objects
from sarapp.planning.worksheet_json import worksheet_input_from_json, worksheet_text
from sarapp.ui.widgets import number_box

UNIT_TYPES = ("merchant", "boat_eye_8ft", "boat_eye_14ft", "helicopter", "fixed_wing")
UNIT_COLUMNS = ("Name", "Type", "Speed kt", "On-scene h", "Fatigued", "Altitude ft")


class WorksheetDialog(QDialog):
    """Emits ``log_requested(text)`` when the coordinator files the worksheet in the case log."""

    log_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("IAMSAR search planning worksheet")
        self.resize(980, 720)
        self.worksheet: Worksheet | None = None
        self.datum_type = QComboBox()
        self.datum_type.addItems(["point", "line", "divergent"])
        self.conditions = QComboBox()
        self.conditions.addItems(["normal", "ideal"])
        self.search_object = QComboBox()
        self.search_object.addItems(sorted(set(search_objects("merchant"))))
        self.search_object.setEditable(True)
        self.visibility = number_box(10, 0, 100, suffix=" NM")
        self.wind = number_box(10, 0, 80, decimals=0, suffix=" kt")
        self.sea = number_box(3, 0, 40, decimals=0, suffix=" ft")
        self.x = number_box(5, 0, 100, suffix=" NM")  # IAMSAR: DR position of a small craft
        self.y = number_box(1, 0, 100, suffix=" NM")
        self.drift_distance = number_box(10, 0, 500, suffix=" NM")
        self.line_length = number_box(0, 0, 500, suffix=" NM")
        self.divergence = number_box(0, 0, 500, suffix=" NM")
        self.zrc_previous = number_box(0, 0, 100, decimals=2)

        form = QFormLayout()
        form.addRow("Datum", self.datum_type)
        form.addRow("Conditions", self.conditions)
        form.addRow("Search object", self.search_object)
        form.addRow("Meteorological visibility", self.visibility)
        form.addRow("Wind", self.wind)
        form.addRow("Sea", self.sea)
        form.addRow("Initial position error X", self.x)
        form.addRow("SRU navigation error Y", self.y)
        form.addRow("Drift distance (De = 0.3 × drift)", self.drift_distance)
        form.addRow("Line length (line datum)", self.line_length)
        form.addRow("Divergence (divergent datum)", self.divergence)
        form.addRow("Previous cumulative relative effort Zrc", self.zrc_previous)

        self.units = QTableWidget(0, len(UNIT_COLUMNS))
        self.units.setHorizontalHeaderLabels(UNIT_COLUMNS)
        add, remove = QPushButton("Add unit"), QPushButton("Remove unit")
        add.clicked.connect(lambda: self.add_unit())
        remove.clicked.connect(lambda: self.units.removeRow(self.units.currentRow()))
        self.compute_button = QPushButton("Compute")
        self.compute_button.setDefault(True)
        self.log_button = QPushButton("File in the case log")
        self.log_button.setEnabled(False)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        self.result = QPlainTextEdit(readOnly=True)
        self.result.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(QLabel("<b>Search units</b>"))
        left.addWidget(self.units, 1)
        buttons = QHBoxLayout()
        for button in (add, remove, self.compute_button, self.log_button):
            buttons.addWidget(button)
        left.addLayout(buttons)
        left.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.result, 1)

        self.compute_button.clicked.connect(self.compute)
        self.log_button.clicked.connect(lambda: self.log_requested.emit(self.result.toPlainText()))
        self.add_unit()

    def add_unit(
        self,
        *,
        name: str = "",
        unit_type: str = "merchant",
        speed_kt: float = 12,
        endurance_h: float = 6,
        fatigued: bool = False,
        altitude_ft: float = 1000,
    ) -> None:
        row = self.units.rowCount()
        self.units.insertRow(row)
        self.units.setCellWidget(row, 0, QLineEdit(name or f"Unit {row + 1}"))
        kind = QComboBox()
        kind.addItems(UNIT_TYPES)
        kind.setCurrentText(unit_type)
        self.units.setCellWidget(row, 1, kind)
        self.units.setCellWidget(row, 2, number_box(speed_kt, 0, 400, decimals=0))
        self.units.setCellWidget(row, 3, number_box(endurance_h, 0, 48))
        check = QCheckBox()
        check.setChecked(fatigued)
        self.units.setCellWidget(row, 4, check)
        self.units.setCellWidget(row, 5, number_box(altitude_ft, 0, 10000, decimals=0))

    def inputs(self) -> dict:
        """The form as the worksheet's JSON input object (the CLI's format)."""
        data: dict = {
            "datum_type": self.datum_type.currentText(),
            "conditions": self.conditions.currentText(),
            "search_object": self.search_object.currentText().strip(),
            "visibility_nm": self.visibility.value(),
            "wind_kt": self.wind.value(),
            "sea_ft": self.sea.value(),
            "X_nm": self.x.value(),
            "Y_nm": self.y.value(),
            "drift_distance_nm": self.drift_distance.value(),
            "Zrc_previous": self.zrc_previous.value(),
            "units": [self._unit(row) for row in range(self.units.rowCount())],
        }
        if data["datum_type"] == "line":
            data["line_length_nm"] = self.line_length.value()
        if data["datum_type"] == "divergent":
            data["divergence_nm"] = self.divergence.value()
        return data

    def _unit(self, row: int) -> dict:
        cell = self.units.cellWidget
        unit = {
            "name": cell(row, 0).text().strip() or f"Unit {row + 1}",
            "type": cell(row, 1).currentText(),
            "speed_kt": cell(row, 2).value(),
            "on_scene_endurance_h": cell(row, 3).value(),
            "fatigued": cell(row, 4).isChecked(),
        }
        if unit["type"] in ("helicopter", "fixed_wing"):
            unit["altitude_ft"] = cell(row, 5).value()
        return unit

    def compute(self) -> Worksheet | None:
        """Fill the worksheet; a bad input is named under the form and nothing is shown."""
        try:
            self.worksheet = compute_worksheet(worksheet_input_from_json(self.inputs()))
        except SarappError as exc:
            self.worksheet = None
            self.error.setText(str(exc))
            self.result.clear()
            self.log_button.setEnabled(False)
            return None
        self.error.clear()
        self.result.setPlainText(worksheet_text(self.worksheet))
        self.log_button.setEnabled(True)
        return self.worksheet
