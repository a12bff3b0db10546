"""Dialogs of the Persons tab, built from the declarations: a person's fields (personal ones
marked), and the counts. A value is checked at its field and never sent when it is wrong."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sarapp.personfields import PERSON_FIELDS, STATUSES, PersonError
from sarapp.register import CATEGORIES, CATEGORY_LABELS, Counts


class PersonDialog(QDialog):
    """A new person: every field of the declaration; personal ones say so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add person")
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout()
        for name, spec in PERSON_FIELDS.items():
            if name == "status":
                edit: QLineEdit | QComboBox = QComboBox()
                edit.addItems(list(STATUSES))
            else:
                edit = QLineEdit(placeholderText=spec.help)
            edit.setObjectName(f"person_{name}")
            edit.setToolTip(spec.help + (" (personal data)" if spec.personal else ""))
            self.edits[name] = edit
            form.addRow(spec.label + (" *" if spec.personal else ""), edit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        note = QLabel("* personal data: shown, sent and kept only as data protection allows")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        out = {}
        for name, edit in self.edits.items():
            text = edit.currentText() if isinstance(edit, QComboBox) else edit.text()
            if text.strip():
                out[name] = text.strip()
        return out

    def accept(self) -> None:
        for name, value in self.values().items():
            try:
                PERSON_FIELDS[name].parse(value)
            except PersonError as exc:
                self.error.setText(str(exc))
                return
        super().accept()


class CountsDialog(QDialog):
    """The counts as totals; an empty field is not known."""

    def __init__(self, counts: Counts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Persons counted")
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for category in CATEGORIES:
            value = counts.total[category]
            edit = QLineEdit("" if value is None else str(value), placeholderText="not known")
            edit.setObjectName(f"count_{category}")
            recorded = counts.recorded(category)
            if recorded:
                edit.setToolTip(f"{recorded} recorded one by one: not less than that")
            self.edits[category] = edit
            form.addRow(CATEGORY_LABELS[category].capitalize(), edit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._counts = counts

    def totals(self) -> dict[str, int | None]:
        """The counts changed in the dialog (only those)."""
        out: dict[str, int | None] = {}
        for category, edit in self.edits.items():
            text = edit.text().strip()
            value = int(text) if text.isdigit() else None
            if value != self._counts.total[category]:
                out[category] = value
        return out

    def accept(self) -> None:
        for category, edit in self.edits.items():
            text = edit.text().strip()
            if text and not text.isdigit():
                self.error.setText(f"{CATEGORY_LABELS[category]}: {text!r} is not a number")
                return
        super().accept()
