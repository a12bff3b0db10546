"""The quarantine, in the handover dialog: packages signed by keys the desk does not trust.

Thin over ``sarapp.exchange.quarantine``: the list shows each package's claimed sender and
its key's fingerprint; "Trust signer…" asks the officer to type the fingerprint the other RCC
gave by another channel (telephone, its published key) and trusts the key only if it matches;
"Import" imports a package whose signer is now trusted; "Discard" deletes one judged false.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.exchange import quarantine
from sarapp.geo import format_dtg
from sarapp.model import Changes
from sarapp.store import Desk
from sarapp.ui import settings

COLUMNS = ("Received", "Claims to be from", "Case", "Purpose", "Key fingerprint")


class QuarantinePage(QWidget):
    """Emits ``changes_made(Changes)`` after a key is trusted or a package imported."""

    changes_made = Signal(object)

    def __init__(self, store: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.items: list[quarantine.Quarantined] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        trust = QPushButton("Trust signer…")
        trust.clicked.connect(self._on_trust_clicked)
        self.import_button = QPushButton("Import")
        self.import_button.clicked.connect(self.import_selected)
        discard = QPushButton("Discard")
        discard.clicked.connect(self.discard_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(trust)
        buttons.addStretch(1)
        buttons.addWidget(discard)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Packages signed by a key this desk does not trust. They changed nothing. "
                "Check the fingerprint with the RCC by telephone before you trust its key."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Reload the list; ``select`` a package id."""
        try:
            self.items = quarantine.list_quarantined(self.store)
        except SarappError as exc:
            self.items = []
            self.status.setText(str(exc))
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            values = (
                format_dtg(item.received),
                f"{item.claimed.id} {item.claimed.name}".strip(),
                item.case_title,
                item.purpose,
                item.fingerprint,
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, cell)
            if item.package_id == select:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()

    def selected(self) -> quarantine.Quarantined | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _on_trust_clicked(self) -> None:
        item = self.selected()
        if item is None:
            self.status.setText("Choose a package first.")
            return
        typed, ok = QInputDialog.getText(
            self,
            "Trust the signer's key",
            f"Type the fingerprint {item.claimed.id} gave you by telephone\n"
            "(or its published fingerprint). Only a matching key is trusted.",
            QLineEdit.EchoMode.Normal,
        )
        if ok:
            self.trust_selected(typed)

    def trust_selected(self, fingerprint: str) -> bool:
        """Trust the selected package's key if ``fingerprint`` (as the officer got it from
        the RCC) is that key's; True when trusted."""
        item = self.selected()
        if item is None:
            self.status.setText("Choose a package first.")
            return False
        try:
            peer, changes = quarantine.trust_signer(
                self.store, item, fingerprint=fingerprint, author=settings.operator_name()
            )
        except SarappError as exc:
            self.status.setText(f"Not trusted: {exc}")
            return False
        self.status.setText(f"{peer.rcc.id} trusted ({peer.fingerprint}); now import it.")
        self.changes_made.emit(changes)
        return True

    def import_selected(self) -> bool:
        """Import the selected package (its signer must be trusted by now)."""
        item = self.selected()
        if item is None:
            self.status.setText("Choose a package first.")
            return False
        try:
            received = quarantine.import_quarantined(
                self.store, item, author=settings.operator_name()
            )
        except SarappError as exc:
            self.status.setText(f"Not imported: {exc}")
            return False
        result = received.result
        assert result is not None
        self.status.setText(
            f"Imported from {item.claimed.id}: {len(result.added_entries)} log entries, "
            f"{len(result.conflicts)} conflicts logged"
        )
        self.refresh()
        self.changes_made.emit(result.changes)
        return True

    def discard_selected(self) -> bool:
        item = self.selected()
        if item is None:
            return False
        try:
            quarantine.discard(item)
        except SarappError as exc:
            self.status.setText(str(exc))
            return False
        self.status.setText(f"Discarded package {item.package_id} ({item.claimed.id}).")
        self.refresh()
        self.changes_made.emit(Changes())
        return True
