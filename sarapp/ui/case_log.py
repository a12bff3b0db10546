"""The case log as a timeline, with a quick-entry line and a full-text search box."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sarapp.geo import format_dtg
from sarapp.model import EntryKind, LogEntry, SearchHit, new_id
from sarapp.privacy import PersonalContent, shown_text
from sarapp.safetext import visible

COLUMNS = ("#", "Time (UTC)", "Author", "Kind", "Entry")
_AUTOMATIC = QColor("#555555")


class LogTableModel(QAbstractTableModel):
    """Entries of one case, or search hits (then the text column shows the snippet)."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[LogEntry] = []
        self.snippets: list[str] | None = None
        self.personal: dict[str, PersonalContent] = {}  # entry id → its personal content
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_entries(self, entries: list[LogEntry]) -> None:
        self.beginResetModel()
        self.entries, self.snippets = entries, None
        self.endResetModel()

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.entries = [h.entry for h in hits]
        self.snippets = [h.snippet for h in hits]
        self.endResetModel()

    def append(self, entries: list[LogEntry]) -> None:
        if not entries:
            return
        first = len(self.entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self.entries.extend(entries)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.shown(entry)
        automatic = entry.kind is not EntryKind.NOTE
        if role == Qt.ItemDataRole.ForegroundRole and automatic:
            return QBrush(_AUTOMATIC)
        if role == Qt.ItemDataRole.FontRole and entry.kind is EntryKind.CORRECTION:
            return self._italic
        return None

    def _text(self, row: int, entry: LogEntry, column: int) -> str:
        if column == 0:
            return str(entry.seq)
        if column == 1:
            return format_dtg(entry.time)
        if column == 2:
            return visible(entry.author, multiline=False)
        if column == 3:
            return entry.kind.value
        text = self.snippets[row] if self.snippets is not None else self.shown(entry)
        return visible(" ".join(text.split()), multiline=False)

    def shown(self, entry: LogEntry) -> str:
        """The entry's text with its personal part where it has one (or ``[purged]``)."""
        return shown_text(entry.text, self.personal.get(entry.id))


class CaseLogPanel(QWidget):
    """Emits ``entry_typed(text)`` on Enter and ``search_changed(query)`` as the user types."""

    entry_typed = Signal(str)
    search_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel("<b>Case log</b>")
        self.search = QLineEdit(placeholderText="Search this case's log…")
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("log_search")
        self.model = LogTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # Fixed widths from the font, not ResizeToContents: measuring every row of a
        # 10,000-entry log on each refresh costs a quarter of a second.
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column, sample in enumerate(
            ("9999", "28 NOV 17:03:30Z", "Watch officer", "correction")
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 6)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setObjectName("entry_detail")
        # (case, text, personal tick) of the last attempt to store the typed entry, its id
        self._pending: tuple[tuple[str, str, bool], str] | None = None
        self.quick_entry = QLineEdit(placeholderText="Type a log entry and press Enter")
        self.quick_entry.setObjectName("quick_entry")
        self.personal_check = QCheckBox("Personal")
        self.personal_check.setObjectName("personal_entry")
        self.personal_check.setToolTip(
            "personal data (a name, health, family): kept beside the log, shown and sent only "
            "as data protection allows, purged whole after the retention period"
        )
        self.operator = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.search, 2)
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.quick_entry, 1)
        entry_row.addWidget(self.personal_check)
        entry_row.addWidget(self.operator)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(entry_row)

        # Search as the user types, but not on every keystroke of a fast typist.
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.quick_entry.returnPressed.connect(self._on_return_pressed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def set_operator(self, name: str) -> None:
        self.operator.setText(f"as <b>{name}</b>")

    def set_personal(self, contents: dict[str, PersonalContent]) -> None:
        """The personal content of the shown case's entries (shown beside their text)."""
        self.model.personal = dict(contents)
        rows = self.model.rowCount()
        if rows:
            last = self.model.index(rows - 1, len(COLUMNS) - 1)
            self.model.dataChanged.emit(self.model.index(0, len(COLUMNS) - 1), last)

    def show_entries(self, entries: list[LogEntry]) -> None:
        self.model.set_entries(entries)
        self.detail.clear()
        self.table.scrollToBottom()

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.model.set_hits(hits)
        self.detail.setText(f"{len(hits)} matching entries" if hits else "No matching entry")

    def entry_id_for(self, case_id: str, text: str, *, personal: bool = False) -> str:
        """The id to store the typed entry under: the one of the last attempt while the
        case, the text and its personal tick are unchanged (that attempt may have been
        stored before its answer was lost), a new one otherwise."""
        key = (case_id, text, personal)
        if self._pending is None or self._pending[0] != key:
            self._pending = (key, new_id())
        return self._pending[1]

    def entry_stored(self) -> None:
        """The typed entry is on the desk: the next one gets an id of its own."""
        self._pending = None

    def _on_return_pressed(self) -> None:
        text = self.quick_entry.text().strip()
        if text:
            self.entry_typed.emit(text)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry = self.model.entries[current.row()]
        corrects = f" · corrects entry {entry.corrects}" if entry.corrects else ""
        self.detail.setText(
            f"<b>#{entry.seq}</b> {format_dtg(entry.time)} {entry.time:%H:%M:%S}Z · "
            f"{escape(visible(entry.author))} · {entry.kind.value}{corrects}"
            f"<br>{escape(visible(self.model.shown(entry)))}"
            f"<br><small>sha256 {entry.hash[:16]}…</small>"
        )
