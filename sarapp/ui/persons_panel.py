"""The Persons tab of a case: the counts at the top, the records in a table whose status
changes in place (or for every selected row at once), adding a person, importing a mass
rescue's CSV, setting the counts by hand.

Thin: every change is a ``store.persons`` operation; the window refreshes from the
``Changes`` it returns (``changes_made``). Showing personal data is a processing the desk
accounts for: the first display of a case's names to an operator is recorded.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.model import CaseId, Changes
from sarapp.personfields import PERSON_FIELDS, STATUSES
from sarapp.persons_csv import read_persons_csv
from sarapp.register import CATEGORIES, CATEGORY_LABELS, Register
from sarapp.store import Desk
from sarapp.ui import settings
from sarapp.ui.persons_dialogs import CountsDialog, PersonDialog
from sarapp.ui.persons_model import COLUMNS, STATUS_COLUMN, PersonTableModel, StatusDelegate

# Column widths by a sample of what they hold (# name age sex nationality status unit
# recovered taken-to medical).
COLUMN_SAMPLES = ("P000", "Fatoumata Keita xx", "Age", "Sex", "Nat.", "medevac xx", "Helo 15-01",
                  "000000Z", "Lampedusa clinic", "Medical")  # fmt: skip
ALWAYS_SHOWN = ("number", "name", "status")  # the rest may be hidden from the header's menu
# Counts at the top, most wanted first.
SHOWN_COUNTS = ("on_board", "rescued", "missing", "dead", "medevac", "women", "men", "minors",
                "medical")  # fmt: skip


class PersonsPanel(QWidget):
    """Emits ``changes_made(Changes)`` after each operation, and ``error(text)``."""

    changes_made = Signal(object)
    error = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.store: Desk | None = None
        self.case_id: CaseId | None = None
        self.register = Register()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("persons_counts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setWordWrap(True)
        self.model = PersonTableModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # P1, P2… as recorded
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.table.fontMetrics()  # widths from the font, as the case list does
        for column, sample in enumerate(COLUMN_SAMPLES):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 14)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)
        self.hide_columns(settings.hidden_person_columns())
        self.filter = QLineEdit(placeholderText="Filter: name, status, unit…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.bulk_status = QComboBox()
        for status in STATUSES:
            self.bulk_status.addItem(status, status)
        self.bulk_button = QPushButton("Set status of selected")
        self.bulk_button.clicked.connect(self._on_bulk_clicked)
        self.add_button = QPushButton("Add person…")
        self.add_button.clicked.connect(self.add_person)
        self.import_button = QPushButton("Import CSV…")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.counts_button = QPushButton("Counts…")
        self.counts_button.clicked.connect(self.edit_counts)
        self.model.status_chosen.connect(self._on_status_chosen)

        tools = QHBoxLayout()
        tools.addWidget(self.filter, 1)
        tools.addWidget(self.bulk_status)
        tools.addWidget(self.bulk_button)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.import_button, self.counts_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts_label)
        layout.addLayout(buttons)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        self.setEnabled(False)

    # --- showing ------------------------------------------------------------------------

    def show_case(self, store: Desk | None, case_id: CaseId | None) -> None:
        """Show the register of ``case_id`` (read through the store)."""
        self.store, self.case_id = store, case_id
        self.setEnabled(store is not None and case_id is not None)
        if store is None or case_id is None:
            self.register = Register()
            self.model.set_persons([])
            self.counts_label.setText("<i>No case selected</i>")
            return
        try:
            self.register = store.persons.register(case_id)
        except SarappError as exc:
            self.error.emit(str(exc))
            return
        self.model.set_persons(list(self.register.persons))
        self.counts_label.setText(counts_html(self.register))
        shown = [p.id for p in self.register.persons if p.personal == "held" and p.name]
        store.privacy.note_display(case_id, subjects=shown, author=settings.operator_name(),
                                   where="screen (Persons tab)")  # fmt: skip

    def selected_ids(self) -> list[str]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.persons[r].id for r in sorted(rows)]

    # --- operations ---------------------------------------------------------------------

    def set_status(self, person_ids: list[str], status: str) -> None:
        author = settings.operator_name()
        self._run(lambda s, c: s.persons.set_status(c, person_ids, status, author=author))

    def add_person(self) -> None:
        dialog = PersonDialog(self)
        if dialog.exec():
            self.add_values(dialog.values())

    def add_values(self, values: dict) -> None:
        self._run(lambda s, c: s.persons.add(c, values, author=settings.operator_name()))

    def import_csv(self, path: Path) -> None:
        """Import a persons file: all of it, or nothing and the bad line named."""

        def operation(store: Desk, case_id: CaseId) -> Changes:
            rows = read_persons_csv(Path(path).read_bytes(), name=Path(path).name)
            return store.persons.add_many(case_id, rows, author=settings.operator_name(),
                                          source=Path(path).name)  # fmt: skip

        self._run(operation)

    def edit_counts(self) -> None:
        dialog = CountsDialog(self.register.counts, self)
        if dialog.exec():
            totals, author = dialog.totals(), settings.operator_name()
            self._run(lambda s, c: s.persons.set_counts(c, totals, author=author))

    def _run(self, operation) -> None:
        if self.store is None or self.case_id is None:
            return
        try:
            changes = operation(self.store, self.case_id)
        except (SarappError, OSError) as exc:
            self.error.emit(str(exc))
            return
        self.show_case(self.store, self.case_id)
        self.changes_made.emit(changes)

    def hide_columns(self, names: set[str]) -> None:
        """Hide these columns (never the number, name or status), and remember it."""
        hidden = {name for name in names if name in COLUMNS and name not in ALWAYS_SHOWN}
        for column, name in enumerate(COLUMNS):
            self.table.setColumnHidden(column, name in hidden)
        settings.set_hidden_person_columns(hidden)

    def column_menu(self) -> QMenu:
        """A tick for each column that can be hidden: room for the rest in a narrow panel
        (the whole record stays in the row's tooltip)."""
        menu = QMenu(self)
        for column, name in enumerate(COLUMNS):
            if name in ALWAYS_SHOWN:
                continue
            action = menu.addAction(PERSON_FIELDS[name].label)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setData(name)
            action.toggled.connect(self._on_column_toggled)
        return menu

    # --- handlers -----------------------------------------------------------------------

    def _on_header_menu(self, at: QPoint) -> None:
        menu = self.column_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.horizontalHeader().mapToGlobal(at))

    def _on_column_toggled(self, shown: bool) -> None:
        name = self.sender().data()
        hidden = {n for c, n in enumerate(COLUMNS) if self.table.isColumnHidden(c)}
        self.hide_columns(hidden - {name} if shown else hidden | {name})

    def _on_status_chosen(self, person_id: str, status: str) -> None:
        self.set_status([person_id], status)

    def _on_bulk_clicked(self) -> None:
        chosen = self.selected_ids()
        if not chosen:
            self.error.emit("select the persons whose status to set")
            return
        self.set_status(chosen, self.bulk_status.currentData())

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import persons", "", "CSV (*.csv *.txt)")
        if path:
            self.import_csv(Path(path))


def counts_html(register: Register) -> str:
    """The counts line at the top of the tab (known counts bold, unknown ones as —)."""
    counts = register.counts
    parts = []
    for category in SHOWN_COUNTS:
        value = counts.total[category]
        shown = "—" if value is None else f"<b>{value}</b>"
        parts.append(f"{CATEGORY_LABELS[category].capitalize()} {shown}")
    recorded = len(register.persons)
    lines = [" · ".join(parts[:5]), " · ".join(parts[5:])]
    if counts.unaccounted:
        lines[0] += f" · <span style='color:#d93025'>unaccounted <b>{counts.unaccounted}</b></span>"
    lines.append(f"{recorded} recorded one by one"
                 + (f", {counts.counted['on_board']} counted by hand" if counts.counted["on_board"]
                    else ""))  # fmt: skip
    lines += [f"<span style='color:#d93025'>{w}</span>" for w in counts.warnings()]
    return "<br>".join(lines)


__all__ = ["CATEGORIES", "PersonsPanel", "counts_html"]
