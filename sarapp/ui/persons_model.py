"""The persons table: one row per record, personal columns marked as such (their header in
italics, "personal data" in its tooltip), the status editable in place with a list."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from sarapp.personfields import PERSON_FIELDS, PURGED, STATUSES
from sarapp.register import Person
from sarapp.safetext import visible

COLUMNS = ("number", "name", "age", "sex", "nationality", "status", "unit", "recovered",
           "taken_to", "medical", "note")  # fmt: skip
STATUS_COLUMN = COLUMNS.index("status")
_SHORT_LABELS = {"nationality": "Nat.", "recovered": "Recovered"}
STATUS_COLOURS = {"rescued": "#2e7d32", "missing": "#e65100", "dead": "#b71c1c",
                  "medevac": "#1565c0", "at-risk": "#6d4c41"}  # fmt: skip


class PersonTableModel(QAbstractTableModel):
    """Emits ``status_chosen(person_id, status)`` when a status is picked in the table."""

    status_chosen = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.persons: list[Person] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_persons(self, persons: list[Person]) -> None:
        self.beginResetModel()
        self.persons = persons
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.persons)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal:
            return None
        name = COLUMNS[section]
        spec = PERSON_FIELDS.get(name)
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "#" if name == "number" else _SHORT_LABELS.get(name, spec.label if spec else name)
            )
        if role == Qt.ItemDataRole.ToolTipRole and spec is not None:
            return f"{spec.help}" + (" — personal data" if spec.personal else "")
        if role == Qt.ItemDataRole.FontRole and spec is not None and spec.personal:
            return self._italic
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == STATUS_COLUMN else flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        person = self.persons[index.row()]
        name = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.text(person, name)
        if role == Qt.ItemDataRole.UserRole:  # sort key: numbers as numbers
            value = person.number if name == "number" else getattr(person, name)
            return value if isinstance(value, int) else self.text(person, name).lower()
        if role == Qt.ItemDataRole.ForegroundRole:
            if name == "status":
                return QBrush(QColor(STATUS_COLOURS[person.status]))
            if person.personal != "held" and PERSON_FIELDS.get(name, None) is not None:
                return QBrush(QColor("#888888")) if PERSON_FIELDS[name].personal else None
        if role == Qt.ItemDataRole.FontRole and name == "status":
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole:
            record = self.record(person)
            return f"{record}\n(double-click to change the status)" if name == "status" else record
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = 0) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != STATUS_COLUMN:
            return False
        person = self.persons[index.row()]
        if value in STATUSES and value != person.status:
            self.status_chosen.emit(person.id, value)  # the store decides; a refresh follows
        return False

    def record(self, person: Person) -> str:
        """The whole record, one field a line: what a narrow table or a hidden column leaves
        out is read by hovering over the row."""
        lines = []
        for name in COLUMNS[1:]:
            value = self.text(person, name)
            if value:
                spec = PERSON_FIELDS.get(name)
                lines.append(f"{spec.label if spec else name}: {value}")
        return "\n".join([person.label, *lines])

    @staticmethod
    def text(person: Person, name: str) -> str:
        if name == "number":
            return person.label
        value = getattr(person, name)
        if name == "name" and person.personal != "held":
            return value or PURGED
        if name == "medical":
            return "" if value is None else ("yes" if value else "")
        return visible(" ".join(PERSON_FIELDS[name].format(value).split()), multiline=False)


class StatusDelegate(QStyledItemDelegate):
    """The status column edits with the list of statuses."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        box = QComboBox(parent)
        box.addItems(list(STATUSES))
        box.activated.connect(lambda _i, b=box: self.commitData.emit(b))
        return box

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]
