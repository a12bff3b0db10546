"""The main window: case list | case details | case log, with menus, toolbar and UTC clock.

It holds no domain logic: every action calls a store operation, and the views refresh from
the ``Changes`` it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

from sarapp.geo import format_dtg
from sarapp.limits import check_text
from sarapp.model import CaseId, CaseStatus, Changes, Position
from sarapp.store import Desk, FieldConflict
from sarapp.ui import field_conflict, night, personal_view, settings
from sarapp.ui.case_chart import CaseChart
from sarapp.ui.case_form import CaseForm
from sarapp.ui.case_list import CaseListPanel
from sarapp.ui.case_log import CaseLogPanel
from sarapp.ui.close_case_dialog import CloseCaseDialog
from sarapp.ui.desk_check import start_desk_check
from sarapp.ui.desk_session import DeskSession
from sarapp.ui.desk_status import DeskStatus, UtcClock
from sarapp.ui.drift_panel import DriftPanel
from sarapp.ui.field_conflict import FieldConflictDialog
from sarapp.ui.map_view import MapView
from sarapp.ui.new_case_dialog import NewCaseDialog
from sarapp.ui.open_desk_dialog import DeskLocation, OpenDeskDialog
from sarapp.ui.outbox_retry import OutboxRetrier
from sarapp.ui.persons_panel import PersonsPanel
from sarapp.ui.plan_panel import PlanPanel
from sarapp.ui.retention import RetentionKeeper
from sarapp.ui.window_menus import make_actions
from sarapp.ui.worksheet_dialog import WorksheetDialog

PLANS_TAB = 2  # Details, Drift, Plans, Persons


class MainWindow(QMainWindow):
    def __init__(self, store: Desk) -> None:
        super().__init__()
        self.store = store
        self.current: CaseId | None = None
        self.last_error = ""  # what the last error dialog said (for tests and the status bar)
        self.conflict_dialog: FieldConflictDialog | None = None
        self.resize(1500, 900)
        self.setAcceptDrops(True)  # drop a SIT 185 (text or file) or an NMEA file

        self.case_list = CaseListPanel()
        self.case_form = CaseForm()
        self.case_log = CaseLogPanel()
        self.drift_panel = DriftPanel()
        details = QScrollArea()
        details.setWidget(self.case_form)
        details.setWidgetResizable(True)
        details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.persons_panel = PersonsPanel()
        self.case_tabs = QTabWidget()
        self.case_tabs.addTab(details, "Details")
        self.case_tabs.addTab(self.drift_panel, "Drift")
        self.plan_panel: PlanPanel | None = None  # one per selected case
        self.case_tabs.addTab(QLabel("Select a case to plan its searches."), "Plans")
        self.case_tabs.addTab(self.persons_panel, "Persons")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.case_list)
        splitter.addWidget(self.case_tabs)
        self.map_view = MapView(self)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.map_view)
        right.addWidget(self.case_log)
        right.setSizes([560, 340])
        splitter.addWidget(right)
        splitter.setSizes([380, 440, 780])
        splitter.setStretchFactor(2, 1)  # a larger screen gives its room to the chart
        self.setCentralWidget(splitter)
        self.splitter = splitter

        make_actions(self)
        self._make_status_bar()
        night.restore(self)
        self.case_list.case_selected.connect(self._on_case_selected)
        self.case_list.filters_changed.connect(self.refresh_cases)
        self.case_form.field_edited.connect(self._on_field_edited)
        self.case_form.phase_chosen.connect(self.set_phase)
        self.case_form.position_entered.connect(self._on_position_entered)
        self.case_log.entry_typed.connect(self._on_entry_typed)
        self.persons_panel.changes_made.connect(self.apply)
        self.persons_panel.error.connect(lambda text: self.show_error("Persons", text))
        self.chart = CaseChart(self)
        self.case_log.search_changed.connect(self._on_search_changed)
        self.case_log.set_operator(settings.operator_name())
        self._restore_geometry()
        self.case_tabs.setCurrentIndex(min(settings.case_tab(), self.case_tabs.count() - 1))
        self.case_tabs.currentChanged.connect(settings.set_case_tab)
        self.outbox_retrier = OutboxRetrier(self)
        self.session = DeskSession(self)  # the desk named, its live updates started
        self.session.show_desk()
        self.retention_keeper = RetentionKeeper(self)  # the desk's retention period, kept
        self.refresh_cases()
        self.case_form.show_case(None)
        self._update_actions()
        if self.case_list.model.cases:
            self.case_list.select(self.case_list.model.cases[0].id)

    # --- set-up ------------------------------------------------------------------------

    def _make_status_bar(self) -> None:
        self.clock = UtcClock()
        self.operator_label = QLabel()
        self.desk_status = DeskStatus()  # permanent: a passing message does not hide it
        bar = self.statusBar()
        bar.addPermanentWidget(self.desk_status)
        bar.addPermanentWidget(self.operator_label)
        bar.addPermanentWidget(self.clock)
        self._show_operator()

    def set_night(self, on: bool) -> None:
        """Night palette for the whole app and the chart (View menu), remembered."""
        self.night_action.setChecked(on)

    def _show_operator(self) -> None:
        name = settings.operator_name()
        self.operator_label.setText(f"Operator: {name}")
        self.case_log.set_operator(name)

    # --- refreshing --------------------------------------------------------------------

    def refresh_cases(self) -> None:
        cases = self.call(lambda: self.store.cases.list(**self.case_list.filters()))
        if cases is not None:
            counts = self.store.persons.all_counts()
            self.case_list.set_cases(cases, keep=self.current, counts=counts)

    def apply(self, changes: Changes | None) -> None:
        """Refresh, once, what ``changes`` touched: one operation's of this desk, or what
        other desks changed (``LiveUpdates``). The list, and the shown case (its details,
        coordinator, chart with its plans, log; its kept drift runs and plans); the units on
        the chart. A package that brought drift runs or plans shows the case afresh.

        An operation of a worker (its own connection) comes twice, as its result and through
        the live feed: whichever comes second names only entries applied already, and is
        dropped."""
        if not changes:
            return
        if not self.session.applied.first_time(changes):
            return
        if changes.units:
            self.chart.refresh_units()
        if changes.cases or changes.coordination:
            self.refresh_cases()
        if self.current is None or self.current not in changes.cases | changes.coordination:
            if changes.units and self.plan_panel is not None:
                self.plan_panel.refresh()  # a unit registered is offered at once
            return
        brought = bool(changes.packages) and bool(changes.drift_runs or changes.plans)
        self._show_case(self.current, full_log=brought)
        if brought:
            return
        if changes.drift_runs:
            self.chart.refresh_runs(self.current)
        if (changes.plans or changes.units) and self.plan_panel is not None:
            self.plan_panel.refresh()

    def _show_case(self, case_id: CaseId | None, *, full_log: bool = True) -> None:
        self.current = case_id
        if case_id is None:
            self.case_form.show_case(None)
            self.chart.show_case(None)
            self.case_log.show_entries([])
            self.persons_panel.show_case(None, None)
            self._set_plans_tab(QLabel("Select a case to plan its searches."))
            self.plan_panel = None
            self._update_actions()
            return
        case = self.call(lambda: self.store.cases.get(case_id))
        if case is None:
            return
        self.case_form.show_case(case)
        coordinator = self.store.coordination.coordinator(case_id)
        self.case_form.show_coordinator(
            f"{coordinator.rcc_name or coordinator.rcc_id} since {format_dtg(coordinator.since)}"
            if coordinator
            else "not recorded (this desk until a handover is accepted)"
        )
        self.chart.show_case(case, full=full_log)
        if full_log:
            self._show_plans(case_id)
        self.persons_panel.show_case(self.store, case_id)
        personal_view.show_personal(self, case_id)
        if self.case_log.search.text().strip():
            self._on_search_changed(self.case_log.search.text())
        elif full_log or self.case_log.model.snippets is not None:
            self.case_log.show_entries(self.store.log.timeline(case_id))
        else:
            self._show_new_entries(case_id)
        self._update_actions()

    def _show_new_entries(self, case_id: CaseId) -> None:
        """Add the entries filed since the log was shown; the log is in time order, so an
        imported entry older than the last shown one reloads it in order."""
        shown = self.case_log.model.entries
        same = bool(shown) and shown[0].case_id == case_id
        new = self.store.log.since(case_id, max(e.seq for e in shown) if same else 0)
        if same and new and min(e.time for e in new) < shown[-1].time:
            self.case_log.show_entries(self.store.log.timeline(case_id))
        else:
            self.case_log.model.append(new)
            self.case_log.table.scrollToBottom()

    def _show_plans(self, case_id: CaseId) -> None:
        """A plan panel for the selected case in the Plans tab (POS computed in a worker)."""
        self.plan_panel = PlanPanel(self.store, case_id)
        # A tasking or status change: the case, its log and the chart's plans, once.
        self.plan_panel.plans_changed.connect(self.apply)
        self.chart.follow_plans(self.plan_panel)  # a chosen plan snaps the time slider
        self._set_plans_tab(self.plan_panel)

    def _set_plans_tab(self, widget: QWidget) -> None:
        """Put ``widget`` in the Plans tab, keeping the tab shown."""
        index, shown = PLANS_TAB, self.case_tabs.currentIndex()
        old = self.case_tabs.widget(index)
        self.case_tabs.removeTab(index)
        self.case_tabs.insertTab(index, widget, "Plans")
        self.case_tabs.setCurrentIndex(shown)
        old.deleteLater()

    def _update_actions(self) -> None:
        case = self.case_form.case
        has_case = case is not None
        for phase, action in self.phase_actions.items():
            action.setEnabled(has_case and case.is_open and case.phase is not phase)
        writable = not self.store.read_only
        for action in self.phase_actions.values():
            action.setEnabled(action.isEnabled() and writable)
        self.close_case_action.setEnabled(has_case and case.is_open and writable)
        self.reopen_case_action.setEnabled(has_case and not case.is_open and writable)
        self.case_log.quick_entry.setEnabled(has_case and writable)

    # --- actions -----------------------------------------------------------------------

    def new_case(self) -> CaseId | None:
        """Ask for the first-call fields, then open the case."""
        dialog = NewCaseDialog(self)
        if not dialog.exec():
            return None
        return self.create_case(dialog.result_values())

    def create_case(self, values: dict) -> CaseId | None:
        """Open a case from the New case dialog's values and select it."""
        changes = self.call(
            lambda: self.store.cases.create(author=settings.operator_name(), **values)
        )
        if changes is None:
            return None
        (case_id,) = changes.cases
        self.case_list.status_filter.setCurrentIndex(0)  # a new case is open: show open ones
        self.case_list.phase_filter.setCurrentIndex(0)  # else a hidden case is not selected
        self.case_list.search.clear()
        self.apply(changes)
        self.case_list.select(case_id)
        self.case_log.quick_entry.setFocus()
        return case_id

    def set_phase(self, phase: str) -> None:
        if self.current:
            case_id = self.current
            self.apply(
                self.call(
                    lambda: self.store.cases.set_phase(
                        case_id, phase, author=settings.operator_name()
                    )
                )
            )

    def close_case(self, reason: str | None = None, outcome: str = "") -> None:
        """Close the case: its outcome (a choice) and the reason, asked when not given."""
        if not self.current:
            return
        if reason is None:
            dialog = CloseCaseDialog(self)
            if not dialog.exec():
                return
            reason, outcome = dialog.reason(), dialog.outcome()
        self._set_status(CaseStatus.CLOSED, reason, outcome)

    def reopen_case(self) -> None:
        self._set_status(CaseStatus.OPEN, "")

    def _set_status(self, status: CaseStatus, reason: str, outcome: str = "") -> None:
        if self.current:
            case_id = self.current
            self.case_list.status_filter.setCurrentIndex(2)  # keep the case in view
            author = settings.operator_name()
            self.apply(
                self.call(
                    lambda: self.store.cases.set_status(
                        case_id, status, author=author, reason=reason, outcome=outcome
                    )
                )
            )
            self.case_list.select(case_id)

    def ask_operator(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Operator", "Your name, as it goes into the log:", text=settings.operator_name()
        )
        if ok and name.strip():
            try:  # refused here, not at the next log entry
                check_text(name.strip(), "entry", "author")
            except ValueError as exc:
                self.show_error("Operator", f"Operator name: {exc}")
                return
            settings.set_operator_name(name)
            self._show_operator()

    def choose_desk(self) -> OpenDeskDialog:
        """File → Open desk: a file, or an RCC server (reached in a worker)."""
        return self.session.choose()

    def open_location(self, location: DeskLocation | None) -> None:
        self.session.open_location(location)

    def switch_desk(self, location: DeskLocation) -> bool:
        """Open another desk now; on failure keep the current one and say why."""
        return self.session.switch(location)

    def open_handover(self, package: Path | None = None) -> QDialog:
        """Send the selected case (SITREP, package, coordination proposal) or import one."""
        from sarapp.ui.handover_dialog import HandoverDialog  # signatures load on first use

        dialog = HandoverDialog(self.store, self.current, self)
        dialog.changes_made.connect(self.apply)  # one Changes per operation, applied once
        if package is not None:
            dialog.tabs.setCurrentIndex(1)
            dialog.importer.load_package(package)
        dialog.show()
        self.handover_dialog = dialog
        return dialog

    def open_worksheet(self) -> WorksheetDialog:
        """The planning worksheet, non-modal; its result can be filed in the current case."""
        dialog = WorksheetDialog(self)
        dialog.bind_case(self.store, self.current)
        dialog.plans_tasked.connect(self.apply)
        dialog.log_requested.connect(self._on_worksheet_filed)
        dialog.show()
        self.worksheet_dialog = dialog
        return dialog

    def _on_worksheet_filed(self, text: str) -> None:
        if not self.current:
            self.show_error("IAMSAR worksheet", "select a case to file the worksheet in")
            return
        case_id = self.current
        author = settings.operator_name()
        self.apply(
            self.call(
                lambda: self.store.log.append(case_id, f"IAMSAR worksheet\n{text}", author=author)
            )
        )

    def open_annual_report(self) -> QDialog:
        from sarapp.ui.report_dialog import open_report_dialog  # loads on first use

        return open_report_dialog(self)

    def open_data_protection(self) -> QDialog:
        return personal_view.open_data_protection(self)

    def check_desk(self) -> None:
        """Check integrity and hash chains in a worker, with progress and cancel."""
        self.check_worker = start_desk_check(self)

    # --- handlers ----------------------------------------------------------------------

    def _on_case_selected(self, case_id: str) -> None:
        if case_id != self.current:
            self._show_case(CaseId(case_id))

    def _on_field_edited(self, name: str, text: str) -> None:
        if self.current and self.conflict_dialog is None:
            expected = self.case_form.seen.get(name)  # what the form showed as the edit began
            field_conflict.save_field(self, self.current, name, text, expected=expected)

    def _on_position_entered(self, position: Position) -> None:
        if self.current:
            case_id = self.current
            author = settings.operator_name()
            self.apply(
                self.call(lambda: self.store.cases.add_position(case_id, position, author=author))
            )

    def _on_entry_typed(self, text: str) -> None:
        if not self.current:
            return
        changes = personal_view.append_typed(self, self.current, text)
        if changes is not None:
            self.case_log.quick_entry.clear()
            self.apply(changes)

    def _on_search_changed(self, query: str) -> None:
        if not self.current:
            return
        if not query.strip():
            self.case_log.show_entries(self.store.log.timeline(self.current))
            return
        case_id = self.current
        hits = self.call(lambda: self.store.log.search(query, case_ref=case_id, limit=200))
        if hits is not None:
            self.case_log.show_hits(hits)

    # --- errors and closing ------------------------------------------------------------

    def call(self, operation: Callable, *, conflicts: bool = False):
        """Run a core call; a SarappError becomes None (nothing was written) and a dialog, or
        one line in the status bar when this login may not write or the server connection
        was lost (the case stays on screen, typed text where it was). ``conflicts``: a
        FieldConflict is raised to the caller, which asks the officer."""
        try:
            return operation()
        except Exception as exc:
            if conflicts and isinstance(exc, FieldConflict):
                raise
            self.session.refuse(exc)  # raises again what is no refusal (a bug)
        return None

    def say(self, line: str) -> None:
        """One line in the status bar, for a refusal that needs no dialog."""
        self.last_error = line
        self.statusBar().showMessage(line, 15000)

    def show_error(self, title: str, message: str) -> None:
        """A non-blocking warning: the coordinator reads it, nothing else is lost."""
        self.last_error = message
        self.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _restore_geometry(self) -> None:
        state = settings.window_state("main/geometry")
        if state is not None:
            self.restoreGeometry(state)
        elif self.screen() is not None:  # first start: use the screen, coordinators need room
            size = self.screen().availableGeometry().size()
            self.resize(size)
            width = size.width()
            self.splitter.setSizes([int(width * 0.2), int(width * 0.3), int(width * 0.5)])
        splitter = settings.window_state("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.set_window_state("main/geometry", self.saveGeometry())
        settings.set_window_state("main/splitter", self.splitter.saveState())
        self.clock.timer.stop()
        self.outbox_retrier.timer.stop()
        self.retention_keeper.timer.stop()
        self.session.stop()
        super().closeEvent(event)
