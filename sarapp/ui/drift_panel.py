"""The drift panel of a case: pick the object, seeding and forcing, run in a worker with
progress and cancel, keep the run with the case, list earlier runs to show or hide.

Numbers are ranged and filled from ``sarapp.drift.params.PARAM_SPECS`` (the CLI's defaults);
wind and current start empty, with placeholders, until the officer types an observation or
ticks the forecast: a pre-filled value would look like one."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sarapp.drift.categories import find_categories, leeway_categories, leeway_category
from sarapp.drift.errors import DriftError
from sarapp.drift.forcing import UniformField, WindAndCurrent, current_towards, wind_from
from sarapp.drift.params import PARAM_SPECS, DriftParams
from sarapp.drift.run import draw_seed
from sarapp.drift.summary import DriftSummary, percent, stranding_notes
from sarapp.errors import SarappError
from sarapp.geo import GeoError, format_ddm, format_dtg, parse_dtg, parse_position
from sarapp.model import Case, DriftRecord, utc_now
from sarapp.ui.widgets import optional_box, spec_box, value_of

_spin = partial(optional_box, decimals=0)


class DriftPanel(QWidget):
    """Emits ``run_requested(params, forcing, seed)`` for the chart to run and keep (forcing
    None: the forecast, fetched in the worker), and ``visibility_changed(run_id, shown)`` when
    a stored run is ticked on or off."""

    run_requested = Signal(object, object, object)  # seed: a Python int below 2^53
    visibility_changed = Signal(str, bool)

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.search = QLineEdit(placeholderText="Find object: raft, PIW, kayak, 32…")
        self.category = QComboBox()
        # Category names are long: do not let the longest one set the panel's width.
        self.category.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.category.setMinimumContentsLength(24)
        self._fill_categories(leeway_categories())
        self.position = QLineEdit(placeholderText="LKP of the case")
        self.start = QLineEdit(placeholderText="DTG of the LKP")
        self.radius = spec_box(PARAM_SPECS["radius_m"], suffix=" m")
        self.hours = spec_box(PARAM_SPECS["hours"], suffix=" h")
        self.hours.setMinimum(1)
        self.step = QComboBox()
        self.step.addItems(["10", "5", "15", "20", "30", "60"])
        self.step.setCurrentText(f"{PARAM_SPECS['step_min'].default:g}")
        particles = PARAM_SPECS["particles"]
        self.particles = QSpinBox()
        self.particles.setRange(int(particles.low), int(particles.high))
        self.particles.setSingleStep(1000)
        self.particles.setValue(int(particles.default))
        self.current_std = spec_box(PARAM_SPECS["current_std_ms"], decimals=2, suffix=" m/s")
        self.wind_from = _spin(0, 360, suffix=" ° from", empty="wind from °")
        self.wind_kt = _spin(0, 120, decimals=1, suffix=" kt", empty="speed kt")
        self.current_to = _spin(0, 360, suffix=" ° towards", empty="current to °")
        self.current_kt = _spin(0, 10, decimals=2, suffix=" kt", empty="none")
        self.forecast = QCheckBox(
            "Wind and current from the forecast (Open-Meteo, kept in the desk)"
        )
        self.forecast.toggled.connect(self._on_forecast_toggled)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.backtrack = QCheckBox("Backtrack (where did it come from?)")
        self.run_button = QPushButton("Run drift")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        self.runs = QListWidget()
        self.overlay = QCheckBox("Overlay the runs ticked (compare: a colour each)")

        form = QFormLayout()
        form.addRow("Search object", self.search)
        form.addRow("", self.category)
        form.addRow("Start position", self.position)
        form.addRow("Start time", self.start)
        form.addRow("Position error (1σ)", self.radius)
        form.addRow("Duration", self.hours)
        form.addRow("Step (min)", self.step)
        form.addRow("Particles", self.particles)
        wind = QHBoxLayout()
        wind.addWidget(self.wind_from)
        wind.addWidget(self.wind_kt)
        current = QHBoxLayout()
        current.addWidget(self.current_to)
        current.addWidget(self.current_kt)
        form.addRow("Wind (10 m)", wind)
        form.addRow("Total water current", current)
        form.addRow("", self.forecast)
        form.addRow("Current uncertainty", self.current_std)
        form.addRow("", self.backtrack)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.notes)
        layout.addWidget(QLabel("<b>Runs of this case</b> (tick to show on the chart)"))
        layout.addWidget(self.overlay)
        layout.addWidget(self.runs, 1)

        self.search.textChanged.connect(self._on_search_changed)
        self.run_button.clicked.connect(self._on_run_clicked)
        self.runs.itemChanged.connect(self._on_run_item_changed)
        self.setEnabled(False)

    def _fill_categories(self, categories) -> None:
        self.category.clear()
        for c in categories:
            self.category.addItem(f"{c.id} {c.key}: {c.name}", c.id)

    def show_case(self, case: Case | None, runs: list[DriftRecord]) -> None:
        """Prefill the seeding from the case's LKP and list its runs."""
        self.case = case
        self.setEnabled(case is not None)
        self._seed(case)
        self.show_runs(runs)

    def update_case(self, case: Case) -> None:
        """The shown case changed: seed again only if its LKP did (a position was reported),
        so a form the coordinator is editing is not overwritten by every log entry."""
        old, self.case = self.case, case
        if old is None or old.id != case.id or old.lkp != case.lkp:
            self._seed(case)

    def _seed(self, case: Case | None) -> None:
        # Never keep the previous case's seeding: a run would start from the wrong place.
        self.position.clear()
        self.start.clear()
        self.radius.setValue(PARAM_SPECS["radius_m"].default)
        if case is not None and case.lkp is not None:
            self.position.setText(f"{case.lkp.lat:.5f}, {case.lkp.lon:.5f}")
            when = case.lkp.time or utc_now()
            self.start.setText(format_dtg(when))
            if case.lkp.accuracy_m:
                self.radius.setValue(case.lkp.accuracy_m)

    def show_runs(self, runs: list[DriftRecord], shown: frozenset[str] = frozenset()) -> None:
        self.runs.blockSignals(True)
        self.runs.clear()
        for record in runs:
            final = record.summary["final"]
            ashore = final.get("stranded_fraction") or 0.0
            item = QListWidgetItem(
                f"{format_dtg(record.created)}  object {record.params['category']}  "
                f"{record.params['particles']} p  {record.params['hours']:g} h  "
                f"datum {format_ddm(final['centroid']['lat'], final['centroid']['lon'], 1)}"
                + (f"  {percent(ashore)} ashore" if ashore else "")
                + ("  DATUM ON LAND" if final.get("datum_on_land") else "")
                + f"  {record.label}"
            )
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if record.id in shown else Qt.CheckState.Unchecked
            )
            self.runs.addItem(item)
        self.runs.blockSignals(False)

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if not running:
            self.progress.setValue(0)

    def show_summary(self, summary: DriftSummary | None) -> None:
        """Say what a finished run found about land (stranded share and place, datum on land)."""
        self.notes.setText("\n".join(stranding_notes(summary)) if summary else "")

    def _on_forecast_toggled(self, on: bool) -> None:
        for box in (self.wind_from, self.wind_kt, self.current_to, self.current_kt):
            box.setEnabled(not on)

    def _forcing(self) -> WindAndCurrent | None:
        """The typed wind and current (None: the forecast); DriftError names what is missing."""
        if self.forecast.isChecked():
            return None
        wind = (value_of(self.wind_from), value_of(self.wind_kt))
        current = (value_of(self.current_to), value_of(self.current_kt))
        if None in wind:
            raise DriftError("wind: type where it comes from and its speed, or tick the forecast")
        if current[1] and current[0] is None:
            raise DriftError("current: give the direction it flows to, or leave it empty")
        flow = current_towards(*current) if current[1] else (0.0, 0.0)
        return WindAndCurrent(UniformField(*wind_from(*wind)), UniformField(*flow))

    def parameters(self) -> tuple[DriftParams, WindAndCurrent | None]:
        """The form as drift parameters and forcing (None: the forecast); GeoError or
        DriftError names the bad field."""
        lat, lon = parse_position(self.position.text())
        start_text = self.start.text().strip()
        start = parse_dtg(start_text) if start_text else utc_now()
        category = leeway_category(int(self.category.currentData()))
        params = DriftParams(
            category=category.id,
            lat=lat,
            lon=lon,
            start=start,
            hours=self.hours.value(),
            step_min=float(self.step.currentText()),
            particles=self.particles.value(),
            radius_m=self.radius.value(),
            current_std_ms=self.current_std.value(),
            backtrack=self.backtrack.isChecked(),
        )
        return params, self._forcing()

    def _on_search_changed(self, text: str) -> None:
        found = find_categories(text) if text.strip() else list(leeway_categories())
        self._fill_categories(found)

    def _on_run_clicked(self) -> None:
        try:
            params, forcing = self.parameters()
        except (GeoError, SarappError, ValueError, TypeError) as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.notes.clear()
        self.run_requested.emit(params, forcing, draw_seed())

    def _on_run_item_changed(self, item: QListWidgetItem) -> None:
        self.visibility_changed.emit(
            item.data(Qt.ItemDataRole.UserRole), item.checkState() == Qt.CheckState.Checked
        )
