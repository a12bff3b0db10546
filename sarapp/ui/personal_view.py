"""The main window's personal data: the personal content of the shown case's log entries (a
display recorded once per case and operator), an entry typed with the personal tick, and the
data protection dialog. Kept out of ``main_window`` so the window stays a switchboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sarapp.model import CaseId, Changes
from sarapp.ui import settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from sarapp.ui.main_window import MainWindow


def show_personal(window: MainWindow, case_id: CaseId) -> None:
    """Hand the case log the personal content of the case's entries to show beside them."""
    contents = window.store.privacy.contents(case_id)
    window.case_log.set_personal(contents)
    held = [f"entry:{e}" for e, c in contents.items() if c.state == "held"]
    window.store.privacy.note_display(
        case_id, subjects=held, author=settings.operator_name(), where="screen (case log)"
    )


def append_typed(window: MainWindow, case_id: CaseId, text: str) -> Changes | None:
    """The entry typed at the log's line: kept beside the log (purged whole) when the
    personal tick is set, which is cleared once it is stored (one entry at a time)."""
    author, store = settings.operator_name(), window.store
    # the same id as an attempt whose answer was lost: stored once if it had landed
    personal = window.case_log.personal_check.isChecked()
    entry_id = window.case_log.entry_id_for(case_id, text, personal=personal)
    if personal:
        changes = window.call(
            lambda: store.privacy.append_note(case_id, text, author=author, entry_id=entry_id)
        )
    else:
        changes = window.call(
            lambda: store.log.append(case_id, text, author=author, entry_id=entry_id)
        )
    if changes is not None:
        window.case_log.personal_check.setChecked(False)
        window.case_log.entry_stored()
    return changes


def open_data_protection(window: MainWindow) -> QDialog:
    """The desk's retention period and the purge of what is due (in a worker)."""
    from sarapp.ui.privacy_dialog import PrivacyDialog  # loads on first use

    dialog = PrivacyDialog(window.store, window)
    dialog.changes_made.connect(window.apply)
    dialog.show()
    window.privacy_dialog = dialog
    return dialog
