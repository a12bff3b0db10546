"""The search plans of a case: task a unit with a pattern, mark searches done or cancelled,
export a unit's route (GPX, RTZ), print its search action plan (PDF), and see each plan's POD
and POS with the cumulative POS, computed in a worker from the case's latest kept drift.

Emits ``plans_changed(changes)`` with the ``Changes`` of every tasking or status change, for
the window to apply (the case, its log, the chart's plans) once.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.geo import GeoError, format_ddm, format_dtg, parse_dtg, parse_position
from sarapp.model import Changes
from sarapp.model_plans import SearchPlanRecord
from sarapp.planning.action_plan import PATTERN_NAMES, action_plan
from sarapp.planning.checks import csp_warning, overlap_warning
from sarapp.planning.patterns import PATTERN_KINDS
from sarapp.planning.routes import export_text, write_atomically
from sarapp.planning.tasking import CasePOS, evaluate_case_plans, plan_pattern, task_unit
from sarapp.store import Desk
from sarapp.ui import settings
from sarapp.ui.plan_pdf import write_action_plan_pdf
from sarapp.ui.widgets import number_box
from sarapp.ui.worker import JobWorker, start_job

COLUMNS = ("Unit", "Pattern", "Window", "Status", "POD", "POS")
# Which size fields each pattern kind uses (the others are hidden).
_SIZES = {
    "expanding-square": ("legs",),
    "sector": ("radius",),
    "parallel-track": ("width", "length"),
    "creeping-line": ("width", "length"),
    "coordinated-creeping-line": ("width", "length", "aircraft_speed"),
    "track-line": ("length",),
}


_spin = partial(number_box, decimals=1)


class PlanPanel(QWidget):
    """Plans of one case on one desk; the desk is used on the GUI thread only."""

    plans_changed = Signal(object)  # the operation's Changes
    plan_selected = Signal(object)  # the SearchPlanRecord chosen in the table, or None

    def __init__(self, store: Desk, case_id: str) -> None:
        super().__init__()
        self.store = store
        self.case_id = case_id
        self.plans: list[SearchPlanRecord] = []
        self.pos: CasePOS | None = None
        self.worker: JobWorker | None = None
        self._generation = 0  # results of a superseded POS job are dropped
        self._build()
        self.refresh()
        self.compute_pos()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Status, POD and POS are what a coordinator reads: always sized to show; the
        # pattern (its code, the full name on hover) gives way first.
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setMinimumHeight(120)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 3)
        self.unit = QComboBox()
        self.unit.setEditable(True)  # a unit of the registry, or any name
        self.kind = QComboBox()
        for kind in PATTERN_KINDS:
            self.kind.addItem(PATTERN_NAMES[kind], kind)
        self.csp = QLineEdit(placeholderText="DDM, e.g. 61°42.5'N 004°50.1'E (datum or LKP)")
        self.csp.editingFinished.connect(self._on_csp_edited)
        self.course = _spin(0, 0, 360, decimals=0, suffix=" °T")
        self.spacing = _spin(1.0, 0.1, 50, suffix=" NM")
        self.legs = QSpinBox()
        self.legs.setRange(1, 99)
        self.legs.setValue(8)
        self.width_nm = _spin(10, 0.1, 500, suffix=" NM")
        self.length_nm = _spin(10, 0.1, 500, suffix=" NM")
        self.radius = _spin(2, 0.1, 100, suffix=" NM")
        self.aircraft_speed = _spin(140, 10, 400, decimals=0, suffix=" kt")
        self.start = QLineEdit(placeholderText="DTG, e.g. 261500Z NOV 26")
        self.end = QLineEdit(placeholderText="DTG")
        self.sweep_width = _spin(0, 0, 50, decimals=2, suffix=" NM")
        self.sweep_width.setSpecialValueText("unknown")
        self.pod = _spin(0, 0, 1, decimals=2)
        self.pod.setSpecialValueText("from sweep width")
        self.task_button = QPushButton("Task unit")
        self.done_button = QPushButton("Mark done")
        self.cancel_button = QPushButton("Cancel")
        self.gpx_button = QPushButton("Export GPX")
        self.rtz_button = QPushButton("Export RTZ")
        self.pdf_button = QPushButton("Print search action plan (PDF)")
        self.pos_button = QPushButton("Compute POS")
        self.suggest_button = QPushButton("Suggest sub-areas…")
        self.suggest_button.setToolTip(
            "The IAMSAR worksheet filled from this case: choose the units, then suggest "
            "their sub-areas on the drift and task them"
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        self.warning = QLabel()  # things to know before tasking: CSP on land, a unit twice
        self.warning.setStyleSheet("color: #b35c00; font-weight: bold;")
        self.warning.setWordWrap(True)

        form = QFormLayout()
        self.form = form
        form.addRow("Unit", self.unit)
        form.addRow("Pattern", self.kind)
        form.addRow("Commence search point", self.csp)
        form.addRow("First course", self.course)
        form.addRow("Track spacing", self.spacing)
        form.addRow("Legs", self.legs)
        form.addRow("Width", self.width_nm)
        form.addRow("Length", self.length_nm)
        form.addRow("Radius", self.radius)
        form.addRow("Aircraft speed", self.aircraft_speed)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Sweep width", self.sweep_width)
        form.addRow("POD", self.pod)
        actions = QHBoxLayout()
        for button in (self.done_button, self.cancel_button, self.gpx_button, self.rtz_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Search plans of this case</b>"))
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.pdf_button)
        layout.addWidget(self.summary)
        layout.addWidget(self.pos_button)
        layout.addWidget(self.suggest_button)
        layout.addWidget(self.progress)
        layout.addWidget(QLabel("<b>Task a unit</b>"))
        layout.addLayout(form)
        layout.addWidget(self.task_button)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.task_button.clicked.connect(self._on_task_clicked)
        self.done_button.clicked.connect(lambda: self._set_status("done"))
        self.cancel_button.clicked.connect(lambda: self._set_status("cancelled"))
        self.gpx_button.clicked.connect(lambda: self.export_route("gpx"))
        self.rtz_button.clicked.connect(lambda: self.export_route("rtz"))
        self.pdf_button.clicked.connect(lambda: self.print_action_plan())
        self.pos_button.clicked.connect(self.compute_pos)
        self.suggest_button.clicked.connect(lambda: self.open_suggestion())
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self._on_kind_changed()

    # --- model → widgets -----------------------------------------------------------------

    def refresh(self) -> None:
        """Read the case's plans and units again and show them (keeps the last POS)."""
        self.plans = self.store.plans.for_case(self.case_id)
        current = self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItems([u.name for u in self.store.units.all()])
        self.unit.setEditText(current)
        self.unit.blockSignals(False)
        if not self.csp.text().strip():
            self.csp.setText(self.default_csp())
            self._on_csp_edited()
        self._fill_table()

    def default_csp(self) -> str:
        """The datum of the latest kept drift, else the case's LKP, in degrees and decimal
        minutes (a datum on land is still offered, but the warning under the form says so)."""
        runs = self.store.drift.runs(self.case_id)
        if runs:
            end = runs[-1].summary["datum_track"][-1]
            return format_ddm(end["lat"], end["lon"])
        lkp = self.store.cases.get(self.case_id).lkp
        return format_ddm(lkp.lat, lkp.lon) if lkp else ""

    def _on_csp_edited(self) -> None:
        """Warn at once when the commence search point is on land."""
        try:
            lat, lon = parse_position(self.csp.text())
        except GeoError:
            self.warning.clear()
            return
        self.warning.setText(csp_warning(lat, lon))

    def _fill_table(self) -> None:
        by_id = {p.plan_id: p for p in self.pos.plans} if self.pos else {}
        self.table.setRowCount(len(self.plans))
        for row, plan in enumerate(self.plans):
            window = " – ".join(format_dtg(t) for t in (plan.start, plan.end) if t) or "—"
            result = by_id.get(plan.id)
            pos = "—" if result is None or result.pos is None else f"{result.pos:.1%}"
            values = (
                plan.unit_name,
                str(plan.params.get("code", plan.pattern)),
                window,
                plan.status,
                "—" if plan.pod is None else f"{plan.pod:.0%}",
                pos,
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, plan.id)
                if column == 1:
                    item.setToolTip(PATTERN_NAMES.get(plan.pattern, plan.pattern))
                self.table.setItem(row, column, item)
        if self.pos is not None:
            self.summary.setText(
                f"Cumulative POS of searches done: {self.pos.cumulative_pos:.1%}; planned "
                f"searches: {self.pos.planned_pos:.1%}; probability left after them: "
                f"{self.pos.remaining_poc:.1%} (drift {self.pos.drift_run_id[:8]}, "
                f"{self.pos.particles} particles)"
            )
        self._on_selection_changed()

    def selected_plan(self) -> SearchPlanRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.plans[rows[0].row()] if rows else None

    def select_plan(self, plan_id: str) -> None:
        for row, plan in enumerate(self.plans):
            if plan.id == plan_id:
                self.table.selectRow(row)

    # --- widgets → model -----------------------------------------------------------------

    def _on_kind_changed(self) -> None:
        used = _SIZES[self.kind.currentData()]
        for name, box in (
            ("legs", self.legs),
            ("width", self.width_nm),
            ("length", self.length_nm),
            ("radius", self.radius),
            ("aircraft_speed", self.aircraft_speed),
        ):
            self.form.setRowVisible(box, name in used)

    def _on_selection_changed(self) -> None:
        plan = self.selected_plan()
        self.plan_selected.emit(plan)
        planned = plan is not None and plan.status == "planned"
        self.done_button.setEnabled(planned)
        self.cancel_button.setEnabled(planned)
        for button in (self.gpx_button, self.rtz_button, self.pdf_button):
            button.setEnabled(plan is not None)

    def _figures(self) -> dict:
        kind = self.kind.currentData()
        sizes = _SIZES[kind]
        figures: dict = {}
        if "legs" in sizes:
            figures["legs"] = self.legs.value()
        if "width" in sizes:
            figures["width_nm"] = self.width_nm.value()
        if "length" in sizes:
            figures["length_nm"] = self.length_nm.value()
        if "radius" in sizes:
            figures["radius_nm"] = self.radius.value()
        if "aircraft_speed" in sizes:
            figures["aircraft_speed_kt"] = self.aircraft_speed.value()
        return figures

    def _on_task_clicked(self) -> None:
        try:
            csp = parse_position(self.csp.text())
            start = parse_dtg(self.start.text()) if self.start.text().strip() else None
            end = parse_dtg(self.end.text()) if self.end.text().strip() else None
            kind = self.kind.currentData()
            unit = self.unit.currentText()
            warnings = [
                w for w in (csp_warning(*csp), overlap_warning(self.plans, unit, start, end)) if w
            ]
            tasked = task_unit(
                self.store,
                self.case_id,
                unit=self.unit.currentText(),
                kind=kind,
                csp=csp,
                course_deg=self.course.value(),
                spacing_nm=None if kind == "sector" else self.spacing.value(),
                start=start,
                end=end,
                sweep_width_nm=self.sweep_width.value() or None,
                pod=self.pod.value() or None,
                author=settings.operator_name(),
                **self._figures(),
            )
        except (GeoError, SarappError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.warning.setText("Tasked, but: " + "; ".join(warnings) if warnings else "")
        self._changed(tasked.changes)
        self.select_plan(tasked.plan_id)

    def _set_status(self, status: str) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        try:
            changes = self.store.plans.set_status(plan.id, status, settings.operator_name())
        except SarappError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self._changed(changes)
        self.select_plan(plan.id)

    def _changed(self, changes: Changes) -> None:
        self.refresh()
        self.plans_changed.emit(changes)
        self.compute_pos()

    def export_route(self, fmt: str, path: str | Path | None = None) -> Path | None:
        """Write the selected plan's route as ``gpx`` or ``rtz`` (asks where when no path)."""
        plan = self.selected_plan()
        if plan is None:
            return None
        if path is None:
            name = f"{plan.unit_name}-{plan.id[:8]}.{fmt}".replace(" ", "_")
            path, _ = QFileDialog.getSaveFileName(self, f"Export {fmt.upper()}", name)
            if not path:
                return None
        try:
            write_atomically(Path(path), export_text(plan_pattern(plan), fmt))
        except (SarappError, OSError) as exc:
            self.error.setText(str(exc))
            return None
        return Path(path)

    def print_action_plan(self, path: str | Path | None = None) -> Path | None:
        """Print the selected plan's search action plan to PDF (asks where when no path)."""
        plan = self.selected_plan()
        if plan is None:
            return None
        if path is None:
            name = f"SAP-{plan.unit_name}-{plan.id[:8]}.pdf".replace(" ", "_")
            path, _ = QFileDialog.getSaveFileName(self, "Search action plan", name, "PDF (*.pdf)")
            if not path:
                return None
        runs = self.store.drift.runs(self.case_id)
        drift = next((r for r in runs if r.id == plan.drift_run_id), runs[-1] if runs else None)
        content = action_plan(case=self.store.cases.get(self.case_id), plan=plan, drift=drift)
        try:
            return write_action_plan_pdf(path, content)
        except OSError as exc:
            self.error.setText(f"{path}: cannot write ({exc.strerror or exc})")
            return None

    def open_suggestion(self):
        """The worksheet bound to this case: its units' sub-areas, suggested and tasked."""
        from sarapp.ui.worksheet_dialog import WorksheetDialog

        dialog = WorksheetDialog(self)
        dialog.bind_case(self.store, self.case_id)
        dialog.plans_tasked.connect(self._changed)
        dialog.show()
        self.worksheet_dialog = dialog
        return dialog

    # --- POS in a worker -----------------------------------------------------------------

    def compute_pos(self) -> None:
        """Rerun the latest kept drift in a worker and evaluate the plans against it."""
        runs = self.store.drift.runs(self.case_id)
        if not runs:
            self.summary.setText("No kept drift run: POS needs a drift of this case.")
            return
        if not self.plans:
            self.summary.setText("No search plan yet: task a unit to see its POD and POS.")
            return
        if self.worker is not None:
            self.worker.cancel()
        record, plans = runs[-1], list(self.plans)
        self._generation += 1
        generation = self._generation
        self.pos_button.setEnabled(False)
        self.summary.setText(f"Computing POS on drift {record.id[:8]}…")
        self.worker = start_job(
            self,
            lambda: evaluate_case_plans(record, plans),
            on_progress=lambda f: self.progress.setValue(int(f * 1000)),
            on_finished=lambda result: self._on_pos_finished(generation, result),
            on_failed=lambda message: self._on_pos_failed(generation, message),
        )

    def _on_pos_finished(self, generation: int, result: CasePOS) -> None:
        if generation != self._generation:
            return
        self.worker = None
        self.pos = result
        self.pos_button.setEnabled(True)
        self.progress.setValue(0)
        self._fill_table()

    def _on_pos_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.worker = None
        self.pos_button.setEnabled(True)
        self.progress.setValue(0)
        self.error.setText(f"POS: {message}")
