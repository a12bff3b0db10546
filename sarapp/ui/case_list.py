"""The case list: filter by phase, status and text; sortable; the phase shown by colour."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sarapp.geo import format_dtg
from sarapp.model import AlertPhase, Case, CaseId, CaseStatus
from sarapp.register import CATEGORIES, CATEGORY_LABELS, OUTCOMES, Counts
from sarapp.safetext import visible
from sarapp.ui.phase_style import CLOSED_ROW_TEXT, badge_colours, palette_is_dark

_PHASE_RANK = {AlertPhase.INCERFA: 1, AlertPhase.ALERFA: 2, AlertPhase.DETRESFA: 3}

# Persons before the title, which stretches: the counts stay in view in a narrow list.
COLUMNS = ("Case", "Phase", "Persons", "Title", "Vessel", "Updated")
PERSONS_COLUMN, TITLE_COLUMN, UPDATED_COLUMN = 2, 3, 5
_SHORT = {"rescued": "R", "missing": "M", "dead": "D", "medevac": "MV"}  # abbreviations


class CaseTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.cases: list[Case] = []
        self.counts: dict[str, Counts] = {}  # the persons register's counts, by case id

    def set_cases(self, cases: list[Case], counts: dict[str, Counts] | None = None) -> None:
        self.beginResetModel()
        self.cases = cases
        self.counts = dict(counts or {})
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        case = self.cases[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == PERSONS_COLUMN:
                return persons_text(case, self.counts.get(case.id))
            return self._text(case, column)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if column == PERSONS_COLUMN:
                return persons_total(case, self.counts.get(case.id))
            return self._sort_key(case, column)
        # The phase in its badge's colours (read in either palette, 4.5:1 at least); a closed
        # case's row dimmer and in italics, still legible. Selected rows take the palette's.
        if role == Qt.ItemDataRole.BackgroundRole and column == 1:
            return QBrush(badge_colours(case)[0])
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(badge_colours(case)[1])
        if role == Qt.ItemDataRole.ForegroundRole and not case.is_open:
            return QBrush(CLOSED_ROW_TEXT[palette_is_dark()])
        if role == Qt.ItemDataRole.FontRole and not case.is_open:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return f"{case.phase.value}: {case.phase.meaning}"
            if column == UPDATED_COLUMN:
                return format_dtg(case.updated)
            if column == PERSONS_COLUMN:
                return persons_tooltip(case, self.counts.get(case.id))
            return self._text(case, column)
        return None

    @staticmethod
    def _text(case: Case, column: int) -> str:
        demo = " [DEMO]" if case.is_demo else ""
        values = (
            visible(
                case.number + (f" ({case.origin_text})" if case.origin_rcc else ""), multiline=False
            ),
            case.phase.value if case.is_open else f"{case.phase.value} (closed)",
            "" if case.pob is None else str(case.pob),
            visible(case.title, multiline=False) + demo,  # a name cannot hide a U+202E
            visible(case.vessel_name, multiline=False),
            format_dtg(case.updated)[:7],  # DDHHMMZ: the month is in the tooltip
        )
        return values[column]

    @staticmethod
    def _sort_key(case: Case, column: int):
        if column == 1:
            return _PHASE_RANK[case.phase]
        if column == PERSONS_COLUMN:
            return -1 if case.pob is None else case.pob
        if column == UPDATED_COLUMN:
            return case.updated.timestamp()
        return CaseTableModel._text(case, column).lower()


def persons_total(case: Case, counts: Counts | None) -> int:
    """On board, by the register where it has the figure, else the case field (-1: not known)."""
    on_board = counts.total["on_board"] if counts is not None else None
    if on_board is None:
        on_board = case.pob
    return -1 if on_board is None else on_board


def persons_text(case: Case, counts: Counts | None) -> str:
    """``60: 55R 4M 1D`` (on board, then rescued, missing, dead, medevac'd), or the POB."""
    total = persons_total(case, counts)
    head = "" if total < 0 else str(total)
    if counts is None:
        return head
    told = [f"{counts.total[c]}{_SHORT[c]}" for c in OUTCOMES if counts.total[c]]
    return f"{head or '?'}: {' '.join(told)}" if told else head


def persons_tooltip(case: Case, counts: Counts | None) -> str:
    if counts is None:
        return "persons on board (case field)" if case.pob is not None else ""
    parts = [f"{counts.total[c]} {CATEGORY_LABELS[c]}" for c in CATEGORIES
             if counts.total[c] is not None]  # fmt: skip
    return "persons register: " + (", ".join(parts) or "no counts yet")


class CaseListPanel(QWidget):
    """Lists the desk's cases; emits ``case_selected`` with the chosen case's id."""

    case_selected = Signal(str)
    filters_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.search = QLineEdit(placeholderText="Filter: title, vessel, MMSI, case number…")
        self.search.setClearButtonEnabled(True)
        self.phase_filter = QComboBox()
        self.phase_filter.addItem("All phases", None)
        for phase in AlertPhase:
            self.phase_filter.addItem(phase.value, phase)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Open", CaseStatus.OPEN)
        self.status_filter.addItem("Closed", CaseStatus.CLOSED)
        self.status_filter.addItem("All", None)
        self.model = CaseTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UPDATED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # Widths from the font, not ResizeToContents, which measures every row on each refresh.
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        samples = ("2026-0000", "DETRESFA", "60: 55R 4M 1D", "", "Marie-Jo xx", "000000Z")
        for column, sample in enumerate(samples):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.phase_filter)
        filters.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self.search.textChanged.connect(self.filters_changed)
        self.phase_filter.currentIndexChanged.connect(self.filters_changed)
        self.status_filter.currentIndexChanged.connect(self.filters_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def filters(self) -> dict:
        """The filter values as keyword arguments of ``Desk.cases.list``."""
        return {
            "phase": self.phase_filter.currentData(),
            "status": self.status_filter.currentData(),
            "text": self.search.text(),
        }

    def set_cases(
        self,
        cases: list[Case],
        *,
        keep: CaseId | None = None,
        counts: dict[str, Counts] | None = None,
    ) -> None:
        """Show ``cases`` (with their persons ``counts`` where they have a register) and keep
        ``keep`` selected if it is among them."""
        self.model.set_cases(cases, counts)
        if keep is not None:
            self.select(keep)

    def select(self, case_id: str) -> bool:
        for row, case in enumerate(self.model.cases):
            if case.id == case_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                self.table.scrollTo(index)
                return True
        return False

    def current_case_id(self) -> CaseId | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.cases[self.proxy.mapToSource(index).row()].id

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.case_selected.emit(self.model.cases[self.proxy.mapToSource(current).row()].id)
