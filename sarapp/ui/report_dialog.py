"""Tools → Annual report: choose a year and an RCC, see the plots and the figures, save the
report as PDF or CSV tables. The report and the PDF are made in workers with progress and
cancel; the worker reads the desk through a connection of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sarapp.report.annual import FIRST_YEAR, LAST_YEAR, AnnualReport, annual_report
from sarapp.report.export import write_csv_folder
from sarapp.report.plots import PlotData, plot_data
from sarapp.report.tables import Table, cases_table, summary_table
from sarapp.store import Desk
from sarapp.ui import settings
from sarapp.ui.report_pages import format_cell
from sarapp.ui.report_pdf import report_pdf_steps
from sarapp.ui.report_plots import draw_chart, draw_durations, draw_month_phases, draw_sources
from sarapp.ui.worker import start_job

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

ALL_RCCS = "All responsible RCCs"
GEOMETRY_KEY = "report/geometry"


class PlotView(QWidget):
    """One of the report's plots, painted by the same code as the PDF's."""

    def __init__(self, draw: Callable[[QPainter, QRectF, PlotData], None]) -> None:
        super().__init__()
        self._draw, self.data = draw, None
        self.setMinimumSize(420, 300)

    def show_data(self, data: PlotData | None) -> None:
        self.data = data
        self.update()

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if self.data is not None:
            self._draw(painter, QRectF(self.rect()).adjusted(12, 8, -12, -8), self.data)
        painter.end()


class ReportDialog(QDialog):
    def __init__(self, desk: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annual report")
        self.resize(1000, 760)
        self.desk = desk
        self.report: AnnualReport | None = None
        self.worker = None
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(datetime.now(UTC).year)
        self.rcc = QComboBox()
        self.rcc.addItem(ALL_RCCS)
        self.make_button = QPushButton("Make report")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel("Choose a year and make the report.")
        self.status.setWordWrap(True)
        self.pdf_button = QPushButton("Save as PDF…")
        self.csv_button = QPushButton("Save CSV tables…")
        self.plots = {
            "Per month": PlotView(draw_month_phases),
            "Alert sources": PlotView(draw_sources),
            "Response times": PlotView(draw_durations),
            "Chart": PlotView(draw_chart),
        }
        self.figures, self.figures_model = _table_view()
        self.cases, self.cases_model = _table_view()
        self.tabs = QTabWidget()
        for name, view in self.plots.items():
            self.tabs.addTab(view, name)
        self.tabs.addTab(self.figures, "Figures")
        self.tabs.addTab(self.cases, "Cases")
        self._layout()
        self.make_button.clicked.connect(self.make_report)
        self.cancel_button.clicked.connect(self.cancel)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.csv_button.clicked.connect(lambda: self.save_csv())
        self._set_busy(False)
        state = settings.window_state(GEOMETRY_KEY)
        if state is not None:
            self.restoreGeometry(state)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Year"))
        top.addWidget(self.year)
        top.addWidget(QLabel("RCC"))
        top.addWidget(self.rcc, 1)
        top.addWidget(self.make_button)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def done(self, result: int) -> None:
        settings.set_window_state(GEOMETRY_KEY, self.saveGeometry())
        if self.worker is not None:
            self.worker.cancel()
        super().done(result)

    # --- making the report ---------------------------------------------------------------

    def make_report(self) -> None:
        desk, year = self.desk, self.year.value()
        rcc = None if self.rcc.currentText() == ALL_RCCS else self.rcc.currentText()

        def job():
            with Desk.open(desk, create=False) as store:
                report = yield from annual_report(store, year=year, rcc=rcc)
            yield 0.98
            return report, plot_data(report)

        self._start(job, self._on_report_made, f"Making the report of {year}…")

    def _on_report_made(self, result: tuple[AnnualReport, PlotData]) -> None:
        self.report, data = result
        self._set_busy(False)
        self.progress.setValue(self.progress.maximum())
        for view in self.plots.values():
            view.show_data(data)
        self.figures_model.show_table(summary_table(self.report.total))
        self.cases_model.show_table(cases_table(self.report))
        self._offer_rccs(self.report.rccs)
        opened = self.report.total.cases.opened.value
        scope = self.report.rcc or "all responsible RCCs"
        self.status.setText(f"{self.report.year}, {scope}: {opened} cases opened.")

    def _offer_rccs(self, rccs: tuple[str, ...]) -> None:
        chosen = self.rcc.currentText()
        self.rcc.blockSignals(True)
        self.rcc.clear()
        self.rcc.addItems([ALL_RCCS, *rccs])
        self.rcc.setCurrentText(chosen)
        self.rcc.blockSignals(False)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    # --- saving ----------------------------------------------------------------------------

    def save_pdf(self, path: Path | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Save the report as PDF", str(Path.home() / self._stem("pdf")), "PDF (*.pdf)"
            )
            if not name:
                return
            path = Path(name)
        report = self.report

        def job():
            yield 0.0
            return (yield from report_pdf_steps(path, report))

        self._start(job, lambda done: self._saved(f"Saved {done}"), f"Writing {path.name}…")

    def save_csv(self, folder: Path | None = None) -> None:
        if self.report is None:
            return
        if folder is None:
            name = QFileDialog.getExistingDirectory(self, "Folder for the CSV tables")
            if not name:
                return
            folder = Path(name)
        try:
            written = write_csv_folder(self.report, folder)
        except Exception as exc:  # shown, never lost
            self.status.setText(f"Could not save the tables: {exc}")
            return
        self.status.setText(f"Saved {len(written)} CSV tables in {folder}")

    def _stem(self, suffix: str) -> str:
        assert self.report is not None
        rcc = f"-{self.report.rcc}" if self.report.rcc else ""
        return f"annual-report-{self.report.year}{rcc}.{suffix}"

    def _saved(self, text: str) -> None:
        self._set_busy(False)
        self.progress.setValue(self.progress.maximum())
        self.status.setText(text)

    # --- the worker --------------------------------------------------------------------

    def _start(self, job, on_finished, text: str) -> None:
        self._set_busy(True)
        self.status.setText(text)
        self.progress.setValue(0)
        self.worker = start_job(
            self,
            job,
            on_progress=lambda fraction: self.progress.setValue(int(fraction * 1000)),
            on_finished=on_finished,
            on_failed=self._on_failed,
            on_cancelled=self._on_cancelled,
        )

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.status.setText(f"Failed: {message}")

    def _on_cancelled(self) -> None:
        self._set_busy(False)
        self.progress.setValue(0)
        self.status.setText("Cancelled.")

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self.worker = None
        self.make_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(not busy and self.report is not None)


class TableModel(QAbstractTableModel):
    """A report table, its cells formatted when shown (times as DTGs, a dash for what the
    desk does not hold): ten thousand cases cost nothing until scrolled to."""

    def __init__(self, table: Table | None = None) -> None:
        super().__init__()
        self.table = table

    def rowCount(self, parent: Any = None) -> int:
        return len(self.table.rows) if self.table and not (parent and parent.isValid()) else 0

    def columnCount(self, parent: Any = None) -> int:
        return len(self.table.header) if self.table else 0

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return format_cell(self.table.rows[index.row()][index.column()])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if self.table and role == Qt.ItemDataRole.DisplayRole and horizontal:
            return self.table.header[section]
        return None

    def show_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()


def _table_view() -> tuple[QTableView, TableModel]:
    model = TableModel()
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(200)  # sizes from the first rows, not ten thousand
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view, model


def open_report_dialog(window: MainWindow) -> ReportDialog:
    dialog = ReportDialog(window.store.address, window)
    dialog.show()
    window.report_dialog = dialog
    return dialog
