"""The IAMSAR search-planning worksheet as a form: the same inputs and figures as
``sarapp plan worksheet``, so a coordinator can check every step by hand.

Bound to a case, it starts filled from what the case knows (``worksheet_from_case``: X from
the LKP, De from the drift, the registered units), and its units' sub-areas can be suggested
on the case's drift (in a worker) and tasked as plans."""

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
from sarapp.geo import format_ddm
from sarapp.model import Changes
from sarapp.planning.iamsar import Worksheet, compute_worksheet
from sarapp.planning.suggest_case import suggestion_job, task_suggestion
from sarapp.planning.tables import search_objects
from sarapp.planning.tasking import choose_drift_run
from sarapp.planning.worksheet_case import worksheet_from_case
from sarapp.planning.worksheet_json import worksheet_input_from_json, worksheet_text
from sarapp.ui import settings
from sarapp.ui.widgets import number_box
from sarapp.ui.worker import start_job

UNIT_TYPES = ("merchant", "boat_eye_8ft", "boat_eye_14ft", "helicopter", "fixed_wing")
UNIT_COLUMNS = ("Name", "Type", "Speed kt", "On-scene h", "Fatigued", "Altitude ft")


class WorksheetDialog(QDialog):
    """Emits ``log_requested(text)`` when the coordinator files the worksheet in the case log."""

    log_requested = Signal(str)
    plans_tasked = Signal(object)  # the Changes of tasking the suggestion

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
        self.de = number_box(0, 0, 500, decimals=2, suffix=" NM")
        self.de.setSpecialValueText("from the drift distance")
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
        form.addRow("Drift error De", self.de)
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
        self.suggest_button = QPushButton("Suggest sub-areas")
        self.suggest_button.setEnabled(False)
        self.task_button = QPushButton("Task them as plans")
        self.task_button.setEnabled(False)
        self.store = None
        self.case_id: str | None = None
        self.suggestion = None
        self.suggest_worker = None
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
        plans = QHBoxLayout()
        plans.addWidget(self.suggest_button)
        plans.addWidget(self.task_button)
        left.addLayout(plans)
        left.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.result, 1)

        self.compute_button.clicked.connect(self.compute)
        self.log_button.clicked.connect(lambda: self.log_requested.emit(self.result.toPlainText()))
        self.suggest_button.clicked.connect(self.suggest)
        self.task_button.clicked.connect(self.task_plans)
        self.add_unit()

    # --- the case ------------------------------------------------------------------------

    def bind_case(self, store, case_id: str | None) -> None:
        """Fill the form from the case (LKP, drift, registered units); enable suggestions."""
        self.store, self.case_id = store, case_id
        if store is None or case_id is None:
            return
        runs = store.drift.runs(case_id)
        self.fill(worksheet_from_case(store.cases.get(case_id), runs, store.units.all()))
        self.suggest_button.setEnabled(bool(runs))
        self.suggest_button.setToolTip("" if runs else "the case needs a kept drift run")

    def fill(self, data: dict) -> None:
        """Set the fields given in ``data`` (the worksheet's JSON keys); others keep theirs."""
        if "datum_type" in data:
            self.datum_type.setCurrentText(data["datum_type"])
        for key, box in (
            ("X_nm", self.x),
            ("De_nm", self.de),
            ("divergence_nm", self.divergence),
            ("wind_kt", self.wind),
            ("drift_distance_nm", self.drift_distance),
        ):
            if key in data:
                box.setValue(data[key])
        if data.get("units"):
            self.units.setRowCount(0)
            for unit in data["units"]:
                self.add_unit(
                    name=unit["name"],
                    unit_type=unit["type"],
                    speed_kt=unit["speed_kt"],
                    endurance_h=unit["on_scene_endurance_h"],
                )

    def suggest(self) -> None:
        """Sub-areas for the form's units on the case's latest drift, computed in a worker."""
        try:
            inputs = worksheet_input_from_json(self.inputs())
            record = choose_drift_run(self.store, self.case_id, None)
        except SarappError as exc:
            self.error.setText(str(exc))
            return
        plans = self.store.plans.for_case(self.case_id)
        self.error.setText("Suggesting sub-areas on the drift…")
        self.suggest_button.setEnabled(False)
        self.suggest_worker = start_job(
            self,
            lambda: suggestion_job(record, plans, inputs=inputs),
            on_finished=self._on_suggested,
            on_failed=self._on_suggest_failed,
        )

    def _on_suggested(self, result) -> None:
        self.suggestion = result
        self.suggest_button.setEnabled(True)
        self.error.clear()
        s = result.suggestion
        lines = [f"SUGGESTED SUB-AREAS: total POS {s.pos:.0%}"]
        for u in s.units:
            lines.append(
                f"{u.name}: centre {format_ddm(u.centre_lat, u.centre_lon, 1)}, "
                f"{u.length_nm:.1f} × {u.width_nm:.1f} NM along {u.orientation_deg:03.0f}°T, "
                f"spacing {u.track_spacing_nm:.1f} NM, POD {u.pod:.0%}"
            )
        self.result.setPlainText(self.result.toPlainText() + "\n\n" + "\n".join(lines))
        self.task_button.setEnabled(True)

    def _on_suggest_failed(self, message: str) -> None:
        self.suggest_button.setEnabled(True)
        self.error.setText(f"Suggestion: {message}")

    def task_plans(self) -> list:
        """Task each suggested sub-area as its unit's parallel-track plan."""
        if self.suggestion is None or self.store is None:
            return []
        try:
            tasked = task_suggestion(
                self.store,
                self.case_id,
                self.suggestion.suggestion,
                start=None,
                end=None,
                author=settings.operator_name(),
            )
        except SarappError as exc:
            self.error.setText(str(exc))
            return []
        self.task_button.setEnabled(False)
        self.error.setText(f"{len(tasked)} plan(s) tasked: see the Plans tab")
        changes = Changes()
        for plan in tasked:
            changes = changes | plan.changes
        self.plans_tasked.emit(changes)
        return tasked

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
            **(
                {"De_nm": self.de.value()}
                if self.de.value() > 0
                else {"drift_distance_nm": self.drift_distance.value()}
            ),
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
