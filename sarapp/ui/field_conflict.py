"""Two officers saved the same case field: the second is shown both values (and who stored
the other, from the log) and chooses which to keep, or edits one. The window saves the
choice with ``expected=conflict.current`` (``desk.cases.set_field``), logged like any edit;
keeping the stored value logs a note holding the value that was not saved, so nothing typed
is lost."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sarapp.casefields import CASE_FIELDS, FieldError
from sarapp.geo import format_dtg
from sarapp.model import EntryKind, LogEntry
from sarapp.safetext import visible
from sarapp.store import Desk, FieldConflict
from sarapp.ui import settings

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

KEEP_MINE, TAKE_STORED, SAVE_EDITED = "mine", "stored", "edited"


def shown(name: str, value: Any) -> str:
    """A field's value as the form shows it, ``(empty)`` for none."""
    return CASE_FIELDS[name].format(value) or "(empty)"


def last_change(store: Desk, conflict: FieldConflict) -> LogEntry | None:
    """The log entry that stored the field's current value (the other officer's edit), or
    None when the log does not say (an import set it)."""
    for entry in reversed(store.log.entries(conflict.case_id)):
        data = entry.data
        if entry.kind is EntryKind.FIELD and data.get("field") == conflict.field:
            return entry if data.get("new") == conflict.current else None
    return None


def kept_stored_note(conflict: FieldConflict, author: str) -> tuple[str, dict[str, Any]]:
    """The log note of a conflict settled by keeping the stored value: the value entered and
    not saved stays in the log."""
    name = conflict.field
    text = (
        f"{conflict.label}: kept {shown(name, conflict.current)} as stored by another desk; "
        f"{shown(name, conflict.yours)} entered by {author} not saved (edit conflict)"
    )
    data = {"conflict": {"field": name, "kept": conflict.current, "not_saved": conflict.yours}}
    return text, data


def save_field(window: MainWindow, case_id: str, name: str, value: Any, *, expected: Any) -> None:
    """Save a field edited from ``expected`` (what the form showed); if another desk changed
    it meanwhile, the officer is shown both values and chooses (``FieldConflictDialog``)."""
    author = settings.operator_name()
    try:
        changes = window.call(
            lambda: window.store.cases.set_field(
                case_id, name, value, author=author, expected=expected
            ),
            conflicts=True,
        )
    except FieldConflict as conflict:
        ask(window, conflict)
        return
    if changes is not None:
        window.case_form.discard_edit(name)
        window.apply(changes)


def ask(window: MainWindow, conflict: FieldConflict) -> FieldConflictDialog:
    """Show both values (window-modal, the window still updating behind it)."""
    dialog = FieldConflictDialog(conflict, last_change(window.store, conflict), window)
    dialog.chosen.connect(lambda kind, value: settle(window, conflict, kind, value))
    dialog.rejected.connect(lambda: setattr(window, "conflict_dialog", None))
    window.conflict_dialog = dialog
    dialog.open()
    return dialog


def settle(window: MainWindow, conflict: FieldConflict, kind: str, value: Any) -> None:
    """The officer's choice, saved over the value now stored (another conflict if it changed
    again) and logged like any edit; the stored value kept logs a note with the other."""
    window.conflict_dialog = None
    if kind != TAKE_STORED:
        save_field(window, conflict.case_id, conflict.field, value, expected=conflict.current)
        return
    author = settings.operator_name()
    text, data = kept_stored_note(conflict, author)
    changes = window.call(
        lambda: window.store.log.append(conflict.case_id, text, author=author, data=data)
    )
    if changes is not None:
        window.case_form.discard_edit(conflict.field)
        window.apply(changes)


class FieldConflictDialog(QDialog):
    """Emits ``chosen(kind, value)``: ``KEEP_MINE`` with the officer's value, ``TAKE_STORED``
    with the stored one, ``SAVE_EDITED`` with the text typed here (validated at the field)."""

    chosen = Signal(str, object)

    def __init__(
        self, conflict: FieldConflict, changed_by: LogEntry | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        name, label = conflict.field, conflict.label
        self.setWindowTitle(f"{label} was changed on another desk")
        self.setObjectName("field_conflict")
        if changed_by is not None:
            login = changed_by.written_by  # the server's record of the login (None: a file)
            who = (
                f"{escape(visible(changed_by.author, multiline=False))}"
                + (f" (login {escape(login)})" if login else "")
                + f" changed it at {format_dtg(changed_by.time)} (log entry #{changed_by.seq})"
            )
        else:
            who = "another desk changed it (the log does not say who)"
        intro = QLabel(
            f"<b>{escape(label)}</b> was changed while you edited it: {who}. "
            "Nothing was saved yet. Choose the value to keep."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        rows = (
            ("You saw", conflict.seen),
            ("Stored now", conflict.current),
            ("You entered", conflict.yours),
        )
        self.values: dict[str, QLabel] = {}
        for row, (caption, value) in enumerate(rows):
            grid.addWidget(QLabel(caption), row, 0)
            text = QLabel(f"<b>{escape(shown(name, value))}</b>")
            self.values[caption] = text
            grid.addWidget(text, row, 1)
        self.edit = QLineEdit(CASE_FIELDS[name].format(conflict.yours))
        self.edit.setObjectName("conflict_value")
        self.edit.setToolTip(CASE_FIELDS[name].help)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.hide()
        grid.addWidget(QLabel("Or save"), 3, 0)
        grid.addWidget(self.edit, 3, 1)
        grid.addWidget(self.error, 4, 1)

        self.mine_button = QPushButton(f"Keep mine ({shown(name, conflict.yours)})")
        self.stored_button = QPushButton(f"Take the stored one ({shown(name, conflict.current)})")
        self.edited_button = QPushButton("Save the edited value")
        self.mine_button.clicked.connect(lambda: self._choose(KEEP_MINE, conflict.yours))
        self.stored_button.clicked.connect(lambda: self._choose(TAKE_STORED, conflict.current))
        self.edited_button.clicked.connect(self._on_save_edited)
        self.edit.returnPressed.connect(self._on_save_edited)
        self.edit.textEdited.connect(lambda _t: self.edited_button.setDefault(True))
        self.stored_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mine_button)
        buttons.addWidget(self.stored_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edited_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.resize(620, self.sizeHint().height())

    def _on_save_edited(self) -> None:
        try:
            value = CASE_FIELDS[self.conflict.field].parse(self.edit.text())
        except FieldError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self._choose(SAVE_EDITED, value)

    def _choose(self, kind: str, value: Any) -> None:
        self.accept()
        self.chosen.emit(kind, value)


__all__ = [
    "KEEP_MINE",
    "SAVE_EDITED",
    "TAKE_STORED",
    "FieldConflictDialog",
    "ask",
    "kept_stored_note",
    "last_change",
    "save_field",
    "settle",
]
