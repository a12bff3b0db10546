"""The handover dialog: send a signed case package to a peer RCC, or import one received.

Open it from the main window with the desk and the current case (None when no case is
selected; then only the import page is usable)::

    dialog = HandoverDialog(self.store, case_id, parent=self)
    dialog.changes_made.connect(self._refresh)   # a Changes value after an import or a send
    dialog.exec()

Send page: choose the peer (from the desk's trust list, or type an RCC id), the purpose, the
SITREP form; the preview shows the SITREP and what the package includes; "Save to file…"
or "Send over HTTP" signs, records and delivers it (``sarapp.exchange.workflow``). A
"request-coordination" package is a handover proposal (this RCC stays coordinator until the
peer accepts). Import page: open a package; its signature status and the changes it would
make (new case or entries to add, conflicts with both values) are shown *before* anything is
written; Import writes them, Cancel leaves the desk untouched. A package whose signer this
desk does not trust is not imported but quarantined: the Quarantine page
(``sarapp.ui.quarantine_page``) lets the officer trust its key after checking the
fingerprint, then import it. A received proposal can be answered (accept or decline) from the
import page once imported.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.exchange import keys
from sarapp.exchange.apply import ImportPreview, preview_import
from sarapp.exchange.inbox import send
from sarapp.exchange.keyring import desk_keys, desk_trust, prepare
from sarapp.exchange.package import Attachment, Purpose
from sarapp.exchange.quarantine import receive
from sarapp.exchange.reader import SignatureStatus, package_file_bytes, read_package
from sarapp.exchange.workflow import (
    SentPackage,
    answer_handover,
    case_sitrep,
    propose_handover,
    send_case,
)
from sarapp.geo import format_dtg
from sarapp.model import Changes
from sarapp.store import Store
from sarapp.ui import settings
from sarapp.ui.quarantine_page import QuarantinePage

SIGNATURE_COLOURS = {
    SignatureStatus.VALID_TRUSTED: "#1b7f3b",
    SignatureStatus.VALID_UNKNOWN: "#b36b00",
    SignatureStatus.INVALID: "#b00020",
}
CONFLICT_COLUMNS = ("Field", "Here", "In the package", "Decision")


class HandoverDialog(QDialog):
    """Emits ``changes_made(Changes)`` after anything is written to the desk."""

    changes_made = Signal(object)

    def __init__(
        self,
        store: Store,
        case_id: str | None,
        parent: QWidget | None = None,
        *,
        keys_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handover between RCCs")
        self.resize(860, 640)
        self.store = store
        self.case_id = case_id
        self.keys_dir = Path(keys_dir) if keys_dir else None  # None: the CLI's default
        self.last_sent: SentPackage | None = None
        self.preview: ImportPreview | None = None
        self.package_content = b""
        # A desk without identity first adopts the key folder of an earlier sarapp; a problem
        # with the keys is said where it matters (the preview, the send).
        with contextlib.suppress(SarappError):
            prepare(store, self.keys_dir)
        self.quarantine = QuarantinePage(store)
        self.quarantine.changes_made.connect(self.changes_made)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._send_page(), "Send")
        self.tabs.addTab(self._import_page(), "Import")
        self.tabs.addTab(self.quarantine, "Quarantine")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        if case_id is None:
            self.tabs.setTabEnabled(0, False)
            self.tabs.setCurrentIndex(1)
        else:
            self._fill_peers()
            self.refresh_preview()
        state = settings.window_state("handover/geometry")
        if state is not None:
            self.restoreGeometry(state)

    def done(self, result: int) -> None:
        settings.set_window_state("handover/geometry", self.saveGeometry())
        super().done(result)

    # --- send --------------------------------------------------------------------------

    def _send_page(self) -> QWidget:
        page = QWidget()
        self.peer = QComboBox()
        self.peer.setEditable(True)
        self.peer.setToolTip("an RCC of the trust list, or type its id")
        self.purpose = QComboBox()
        for purpose in (Purpose.INFORMATION, Purpose.SITREP, Purpose.REQUEST_COORDINATION):
            self.purpose.addItem(_purpose_label(purpose), purpose.value)
        self.sitrep_form = QComboBox()
        self.sitrep_form.addItem("short SITREP (A–F)", "short")
        self.sitrep_form.addItem("full SITREP (A–N)", "full")
        self.sitrep_form.addItem("no SITREP", None)
        self.attachments: list[Attachment] = []
        self.attachment_list = QLabel("none")
        self.attachment_list.setWordWrap(True)
        attach = QPushButton("Attach files…")
        attach.clicked.connect(self._on_attach_clicked)
        clear = QPushButton("Remove attachments")
        clear.clicked.connect(lambda: self.set_attachments([]))
        self.url = QLineEdit()
        self.url.setPlaceholderText("http://HOST:8585/packages")
        self.preview_text = QPlainTextEdit(readOnly=True)
        self.preview_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.send_status = QLabel()
        self.send_status.setWordWrap(True)
        save = QPushButton("Sign and save to file…")
        save.clicked.connect(self._on_save_clicked)
        post = QPushButton("Sign and send over HTTP")
        post.clicked.connect(self._on_send_clicked)
        form = QFormLayout()
        form.addRow("To RCC", self.peer)
        form.addRow("Purpose", self.purpose)
        form.addRow("SITREP", self.sitrep_form)
        attach_row = QHBoxLayout()
        attach_row.addWidget(self.attachment_list, 1)
        attach_row.addWidget(attach)
        attach_row.addWidget(clear)
        form.addRow("Attachments", attach_row)
        form.addRow("Peer's inbox URL", self.url)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(post)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel("Preview"))
        layout.addWidget(self.preview_text, 1)
        layout.addWidget(self.send_status)
        layout.addLayout(buttons)
        for box in (self.peer, self.purpose, self.sitrep_form):
            box.currentIndexChanged.connect(self._on_send_choice_changed)
        self.peer.editTextChanged.connect(self._on_send_choice_changed)
        return page

    def signer(self) -> keys.DeskKeys:
        """The desk's key pair (KeyStoreError, shown, if it cannot be used)."""
        return desk_keys(self.store, self.keys_dir)

    def _fill_peers(self) -> None:
        peers = self.store.trusted_keys()
        self.peer.blockSignals(True)
        for p in peers:
            name = f" — {p.rcc.name}" if p.rcc.name else ""
            self.peer.addItem(f"{p.rcc.id}{name}", p.rcc)
        self.peer.blockSignals(False)

    def _on_attach_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach files (photos, scans, plans)")
        if names:
            self.add_attachments([Path(n) for n in names])

    def add_attachments(self, paths: list[Path]) -> bool:
        """Attach files to the package to send; a file that cannot be read is named."""
        try:
            added = [Attachment.from_file(p) for p in paths]
        except SarappError as exc:
            self.send_status.setText(str(exc))
            return False
        self.set_attachments(self.attachments + added)
        return True

    def set_attachments(self, attachments: list[Attachment]) -> None:
        self.attachments = attachments
        self.attachment_list.setText(
            ", ".join(f"{a.name} ({len(a.content):,} bytes)" for a in attachments) or "none"
        )
        self.refresh_preview()

    def chosen_peer(self) -> keys.Rcc | None:
        """The RCC chosen in the list, or one typed by its id (None when nothing is given)."""
        data = self.peer.currentData()
        text = self.peer.currentText().strip()
        if isinstance(data, keys.Rcc) and self.peer.itemText(self.peer.currentIndex()) == text:
            return data
        rcc_id = text.split(" — ")[0].strip()
        return keys.Rcc(rcc_id) if rcc_id else None

    def _on_send_choice_changed(self, *_: object) -> None:
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """The SITREP as it would be sent, and what the package includes."""
        if self.case_id is None:
            return
        to = self.chosen_peer() or keys.Rcc("(choose an RCC)")
        form = self.sitrep_form.currentData()
        lines = []
        try:
            case = self.store.get_case(self.case_id)
            desk = self.signer()
            coordinator = self.store.coordinator(case.id)
            lines.append(f"Case {case.number} {case.title} ({case.id})")
            lines.append(
                f"Includes: the case, {len(self.store.log(case.id))} log entries (+ the "
                f"'sent' line), {len(self.store.positions(case.id))} positions, "
                f"{len(self.store.drift_runs(case.id))} drift runs, "
                f"{len(self.attachments)} attachments"
            )
            lines.append(
                "Coordinating RCC: "
                + (
                    f"{coordinator.rcc_id} since {format_dtg(coordinator.since)}"
                    if coordinator
                    else "not recorded"
                )
            )
            lines.append(f"Signed by this desk, fingerprint {desk.fingerprint}")
            if form:
                lines += ["", case_sitrep(self.store, case.id, keys=desk, to=to,
                                          full=form == "full")]  # fmt: skip
        except SarappError as exc:
            lines.append(f"Cannot prepare the package: {exc}")
        self.preview_text.setPlainText("\n".join(lines))

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save handover package", "", "Handover packages (*.sarpkg)"
        )
        if path:
            self.save_to(Path(path))

    def _on_send_clicked(self) -> None:
        self.send_to(self.url.text().strip())

    def save_to(self, path: Path) -> SentPackage | None:
        """Sign, record and write the package to ``path``."""
        return self._send(output=path, url=None)

    def send_to(self, url: str) -> SentPackage | None:
        """Sign, record and POST the package to the peer's inbox ``url``."""
        if not url:
            self.send_status.setText("Give the peer's inbox URL first.")
            return None
        return self._send(output=None, url=url)

    def _send(self, *, output: Path | None, url: str | None) -> SentPackage | None:
        to = self.chosen_peer()
        if to is None or self.case_id is None:
            self.send_status.setText("Choose the RCC to send to.")
            return None
        deliver = (lambda content: send(content, url)) if url else None
        purpose = self.purpose.currentData()
        author = settings.operator_name()
        try:
            desk = self.signer()
            common = {
                "keys": desk,
                "to": to,
                "author": author,
                "output": output,
                "attachments": tuple(self.attachments),
            }
            if purpose == Purpose.REQUEST_COORDINATION.value:
                sent = propose_handover(self.store, self.case_id, sitrep=self.sitrep_form.
                                        currentData(), deliver=deliver, **common)  # fmt: skip
            else:
                sent = send_case(self.store, self.case_id, purpose=purpose,
                                 sitrep=self.sitrep_form.currentData(), deliver=deliver,
                                 **common)  # fmt: skip
        except SarappError as exc:
            self.send_status.setText(f"Not sent: {exc}")
            return None
        where = str(output) if output else url
        self.send_status.setText(f"Package {sent.package_id} ({sent.size} bytes) → {where}")
        self.last_sent = sent
        self.changes_made.emit(Changes(cases=frozenset({sent.case_id})))
        self.refresh_preview()
        return sent

    # --- import ------------------------------------------------------------------------

    def _import_page(self) -> QWidget:
        page = QWidget()
        open_button = QPushButton("Open package…")
        open_button.clicked.connect(self._on_open_clicked)
        self.file_label = QLabel("No package opened.")
        self.signature_label = QLabel()
        self.signature_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.conflicts = QTableWidget(0, len(CONFLICT_COLUMNS))
        self.conflicts.setHorizontalHeaderLabels(CONFLICT_COLUMNS)
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.clear_import)
        self.accept_button = QPushButton("Accept coordination…")
        self.decline_button = QPushButton("Decline coordination…")
        self.accept_button.clicked.connect(lambda: self._on_answer_clicked(True))
        self.decline_button.clicked.connect(lambda: self._on_answer_clicked(False))
        for button in (self.accept_button, self.decline_button):
            button.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(open_button)
        top.addWidget(self.file_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.signature_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(QLabel("Conflicts (the local value is kept and the difference logged)"))
        layout.addWidget(self.conflicts, 1)
        layout.addLayout(buttons)
        return page

    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open handover package", "", "Handover packages (*.sarpkg);;All files (*)"
        )
        if path:
            self.load_package(Path(path))

    def load_package(self, path: Path) -> ImportPreview | None:
        """Read and verify ``path`` and show what importing it would change (nothing written)."""
        self.clear_import()
        self.file_label.setText(str(path))
        try:
            self.package_content = package_file_bytes(path)
            read = read_package(self.package_content, trust=desk_trust(self.store))
        except SarappError as exc:
            self._show_signature(SignatureStatus.INVALID, f"Refused: {exc}")
            return None
        s = read.signature
        signer = f" by {s.signer.id}" if s.signer else ""
        reason = f" — {s.reason}" if s.reason else ""
        self._show_signature(
            s.status, f"Signature: {s.status.value}{signer}, fingerprint {s.fingerprint}{reason}"
        )
        try:
            self.preview = preview_import(self.store, read)
        except SarappError as exc:
            self.summary_label.setText(f"Refused, nothing will be written: {exc}")
            return None
        self._show_preview(self.preview)
        return self.preview

    def _show_signature(self, status: SignatureStatus, text: str) -> None:
        self.signature_label.setText(text)
        self.signature_label.setStyleSheet(f"color: {SIGNATURE_COLOURS[status]}")

    def _show_preview(self, preview: ImportPreview) -> None:
        header, plan = preview.read.header, preview.plan
        sender = header["from"]
        lines = [
            f"From {sender['id']} {sender.get('name', '')}".rstrip()
            + f", purpose {header['purpose']}, package {header['package_id']}",
        ]
        if preview.untrusted is not None:
            lines.append(
                f"Signed by a key this desk does not trust (fingerprint "
                f"{preview.untrusted.fingerprint}): it claims to come from "
                f"{preview.untrusted.claimed.id}, but nothing proves it. Importing puts it in "
                "quarantine; trust the key there once the RCC has confirmed the fingerprint."
            )
        if preview.replay_of:
            lines.append(
                f"Older than package {preview.replay_of}, already imported from the same RCC: "
                "importing it changes nothing."
            )
        if preview.already_imported:
            lines.append("This package was imported before: importing it again changes nothing.")
        elif plan.new_case:
            lines.append(f"New case on this desk: {plan.case.title} ({plan.case_id})")
        else:
            lines.append(f"Known case {self.store.get_case(plan.case_id).number}")
        lines.append(
            f"To add: {len(plan.new_entries)} log entries, {len(plan.new_positions)} positions, "
            f"{len(plan.new_drift_runs)} drift runs"
        )
        self.summary_label.setText("\n".join(lines))
        conflicts = preview.conflicts
        self.conflicts.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            for column, value in enumerate((c.field, c.local, c.incoming, c.decision)):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.conflicts.setItem(row, column, item)
        self.import_button.setText("Put in quarantine" if preview.untrusted else "Import")
        self.import_button.setEnabled(not preview.already_imported)
        self._show_answer_buttons()

    def _show_answer_buttons(self) -> None:
        """Offer accept/decline for an imported proposal addressed to this desk's RCC."""
        preview = self.preview
        visible = False
        if preview is not None and preview.already_imported:
            header = preview.read.header
            me = self.store.desk_identity().rcc
            visible = (
                header["purpose"] == Purpose.REQUEST_COORDINATION.value
                and me is not None
                and header["to"]["id"] == me.id
            )
        for button in (self.accept_button, self.decline_button):
            button.setVisible(visible)

    def clear_import(self) -> None:
        """Forget the opened package (Cancel): nothing is written."""
        self.preview = None
        self.file_label.setText("No package opened.")
        self.signature_label.clear()
        self.summary_label.clear()
        self.conflicts.setRowCount(0)
        self.import_button.setEnabled(False)
        self._show_answer_buttons()

    def _on_import_clicked(self) -> None:
        self.import_now()

    def import_now(self) -> bool:
        """Write the previewed import; True when it was written."""
        if self.preview is None:
            return False
        read = self.preview.read
        try:
            received = receive(self.store, self.package_content, author=settings.operator_name())
        except SarappError as exc:
            self.summary_label.setText(f"Refused, nothing was written: {exc}")
            self.import_button.setEnabled(False)
            return False
        self.import_button.setEnabled(False)
        if received.quarantined is not None:
            kept = received.quarantined
            self.summary_label.setText(
                f"Quarantined, nothing imported: signed by a key this desk does not trust "
                f"(fingerprint {kept.fingerprint}), claiming to come from {kept.claimed.id}. "
                "Check the fingerprint with that RCC by telephone, then trust the key and "
                "import the package on the Quarantine page."
            )
            self.quarantine.refresh(select=kept.package_id)
            return False
        result = received.result
        assert result is not None
        self.preview = ImportPreview(read, self.preview.plan, True)
        self.summary_label.setText(
            f"Older than package {result.replay_of}, already imported: nothing changed."
            if result.replay_of
            else f"Imported: {len(result.added_entries)} log entries, "
            f"{len(result.added_positions)} positions, {len(result.conflicts)} conflicts logged"
            + (" (case created)" if result.created else "")
        )
        self.import_button.setEnabled(False)
        self._show_answer_buttons()
        self.changes_made.emit(result.changes)
        return True

    def _on_answer_clicked(self, accept: bool) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the answer package", "", "Handover packages (*.sarpkg)"
        )
        if path:
            self.answer_to(Path(path), accept=accept)

    def answer_to(self, path: Path, *, accept: bool) -> SentPackage | None:
        """Accept or decline the imported proposal; the answer package is written to ``path``."""
        if self.preview is None:
            return None
        try:
            sent = answer_handover(
                self.store,
                self.preview.read,
                accept=accept,
                keys=self.signer(),
                author=settings.operator_name(),
                output=path,
            )
        except SarappError as exc:
            self.summary_label.setText(f"No answer written: {exc}")
            return None
        verb = "Accepted" if accept else "Declined"
        self.summary_label.setText(f"{verb}; answer package {sent.package_id} saved to {path}")
        for button in (self.accept_button, self.decline_button):
            button.setVisible(False)
        self.changes_made.emit(Changes(cases=frozenset({sent.case_id})))
        return sent


def _purpose_label(purpose: Purpose) -> str:
    return {
        Purpose.INFORMATION: "information",
        Purpose.SITREP: "SITREP",
        Purpose.REQUEST_COORDINATION: "request to accept coordination (handover)",
    }[purpose]
