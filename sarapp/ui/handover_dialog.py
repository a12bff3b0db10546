"""The handover dialog: send a signed case package to a peer RCC, or import one received.

Open it from the main window with the desk and the current case (None when no case is
selected; then only the import page is usable)::

    dialog = HandoverDialog(self.store, case_id, parent=self)
    dialog.changes_made.connect(self.apply)   # one Changes value per operation
    dialog.show()

Send page: choose the peer (from the desk's trust list, or type an RCC id), the purpose, the
SITREP form; the preview shows the SITREP as it will go out and what the package includes.
It is rebuilt in a worker once the choices have stopped changing (never on the GUI thread,
which a 10,000-entry case would hold for a quarter of a second). "Save to file…" or "Send
over HTTP" signs and records the package in a worker; over HTTP it is committed to the outbox
first, then delivered with no transaction open, and a peer that does not answer leaves it in
the outbox to be retried (``sarapp.exchange.outbox``). A "request-coordination" package is a
handover proposal (this RCC stays coordinator until the peer accepts). The import page is
``sarapp.ui.handover_import``; a package whose signer this desk does not trust is put in
quarantine there, and the Quarantine page (``sarapp.ui.quarantine_page``) lets the officer
trust its key after checking the fingerprint, then import it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.exchange import keys
from sarapp.exchange.keyring import desk_keys, prepare
from sarapp.exchange.outbox import Delivery, deliver
from sarapp.exchange.package import Attachment, Purpose
from sarapp.exchange.send_preview import send_preview
from sarapp.exchange.workflow import SentPackage, propose_handover, send_case
from sarapp.privacy import CHOSEN_PURPOSES, Disclosure, decide
from sarapp.privacy import Purpose as DataPurpose
from sarapp.store import Desk
from sarapp.ui import settings
from sarapp.ui.handover_import import ImportPage
from sarapp.ui.quarantine_page import QuarantinePage
from sarapp.ui.worker import JobWorker, start_job
from sarapp.ui.worker_desk import worker_desk

PREVIEW_DELAY_MS = 300  # the preview waits for the choices (or typing) to pause this long


class HandoverDialog(QDialog):
    """Emits ``changes_made(Changes)`` once for each operation that wrote to the desk (a send
    recorded, a delivery recorded, an import, an answer); ``preview_ready(text)`` when the
    send preview shows; ``package_sent(SentPackage)``; ``delivery_done(Delivery)``."""

    changes_made = Signal(object)
    preview_ready = Signal(str)
    package_sent = Signal(object)
    delivery_done = Signal(object)
    send_failed = Signal(str)

    def __init__(
        self,
        store: Desk,
        case_id: str | None,
        parent: QWidget | None = None,
        *,
        keys_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handover between RCCs")
        self.resize(860, 640)
        self.store = store  # quick reads on the GUI thread (trust list, identity) only
        self.desk = store.address  # workers open their own connection to it
        self.case_id = case_id
        self.keys_dir = Path(keys_dir) if keys_dir else None  # None: the CLI's default
        self.last_sent: SentPackage | None = None
        self.last_delivery: Delivery | None = None
        self.preview_worker: JobWorker | None = None
        self.send_worker: JobWorker | None = None
        self._preview_generation = 0
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._start_preview)
        # A desk without identity first adopts the key folder of an earlier sarapp; a problem
        # with the keys is said where it matters (the preview, the send).
        with contextlib.suppress(SarappError):
            prepare(store, self.keys_dir)
        self.quarantine = QuarantinePage(store)
        self.quarantine.changes_made.connect(self.changes_made)
        self.importer = ImportPage(self.desk, self.keys_dir)
        self.importer.changes_made.connect(self.changes_made)
        self.importer.quarantined.connect(lambda pid: self.quarantine.refresh(select=pid))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._send_page(), "Send")
        self.tabs.addTab(self.importer, "Import")
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
            self._start_preview()  # the first one at once
        state = settings.window_state("handover/geometry")
        if state is not None:
            self.restoreGeometry(state)

    def done(self, result: int) -> None:
        settings.set_window_state("handover/geometry", self.saveGeometry())
        super().done(result)

    # --- the send page -----------------------------------------------------------------

    def _send_page(self) -> QWidget:
        page = QWidget()
        self.peer = QComboBox()
        self.peer.setEditable(True)
        self.peer.setToolTip("an RCC of the trust list, or type its id")
        self.purpose = QComboBox()
        for purpose in (Purpose.INFORMATION, Purpose.SITREP, Purpose.REQUEST_COORDINATION):
            self.purpose.addItem(_purpose_label(purpose), purpose.value)
        self.data_purpose = QComboBox()
        self.data_purpose.setObjectName("data_purpose")
        for choice in CHOSEN_PURPOSES:
            self.data_purpose.addItem(choice.label, choice.value)
        self.data_purpose.setToolTip("why the persons' data goes: names only where it needs them")
        self.data_purpose.setCurrentIndex(self.data_purpose.findData("flag-state"))
        self._was_handover = False
        self.include_personal = QCheckBox("Include personal data")
        self.include_personal.setObjectName("include_personal")
        self.personal_reason = QLineEdit(placeholderText="why (logged with the package)")
        self.personal_reason.setObjectName("personal_reason")
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
        self.save_button = QPushButton("Sign and save to file…")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.post_button = QPushButton("Sign and send over HTTP")
        self.post_button.clicked.connect(lambda: self.send_to(self.url.text().strip()))
        form = QFormLayout()
        form.addRow("To RCC", self.peer)
        form.addRow("Purpose", self.purpose)
        form.addRow("Persons' data for", self.data_purpose)
        personal_row = QHBoxLayout()
        personal_row.addWidget(self.include_personal)
        personal_row.addWidget(self.personal_reason, 1)
        form.addRow("", personal_row)
        form.addRow("SITREP", self.sitrep_form)
        attach_row = QHBoxLayout()
        attach_row.addWidget(self.attachment_list, 1)
        attach_row.addWidget(attach)
        attach_row.addWidget(clear)
        form.addRow("Attachments", attach_row)
        form.addRow("Peer's inbox URL", self.url)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.post_button)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel("Preview (the SITREP as it will be sent)"))
        layout.addWidget(self.preview_text, 1)
        layout.addWidget(self.send_status)
        layout.addLayout(buttons)
        for box in (self.peer, self.purpose, self.sitrep_form, self.data_purpose):
            box.currentIndexChanged.connect(self._on_send_choice_changed)
        self.peer.editTextChanged.connect(self._on_send_choice_changed)
        self.include_personal.toggled.connect(self._on_send_choice_changed)
        self._fit_data_purpose()
        return page

    def _fit_data_purpose(self) -> None:
        """A handover of coordination carries the register (coordination of the rescue);
        any other package asks, counts and statuses by default (flag-state information); the
        tick and its reason only where the chosen purpose does not need names."""
        handover = self.purpose.currentData() == Purpose.REQUEST_COORDINATION.value
        self.data_purpose.blockSignals(True)
        if handover:
            self.data_purpose.setCurrentIndex(self.data_purpose.findData("coordination"))
        elif self.data_purpose.currentData() == "coordination" and self._was_handover:
            self.data_purpose.setCurrentIndex(self.data_purpose.findData("flag-state"))
        self.data_purpose.blockSignals(False)
        self._was_handover = handover
        self.data_purpose.setEnabled(not handover)
        chosen = DataPurpose(self.data_purpose.currentData())
        may = not chosen.needs_personal and chosen.may_include_personal
        self.include_personal.setEnabled(may)
        if not may:
            self.include_personal.setChecked(False)
        self.personal_reason.setEnabled(may and self.include_personal.isChecked())

    def disclosure(self) -> Disclosure:
        """What the package carries of persons (PrivacyError: a tick without a reason)."""
        return decide(
            self.data_purpose.currentData(),
            include_personal=self.include_personal.isChecked(),
            reason=self.personal_reason.text(),
        )

    def _fill_peers(self) -> None:
        peers = self.store.trust.peers()
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
        self._fit_data_purpose()
        self.refresh_preview()

    # --- the preview, debounced and built in a worker --------------------------------------

    def refresh_preview(self) -> None:
        """Rebuild the preview once the choices have rested ``PREVIEW_DELAY_MS``."""
        if self.case_id is not None:
            self._preview_timer.start()

    def _start_preview(self) -> None:
        if self.case_id is None:
            return
        self._preview_generation += 1
        generation = self._preview_generation
        desk, case_id, keys_dir = self.desk, self.case_id, self.keys_dir
        to = self.chosen_peer() or keys.Rcc("(choose an RCC)")
        form, attachments = self.sitrep_form.currentData(), len(self.attachments)
        try:
            disclosure = self.disclosure()
        except SarappError:  # a tick without its reason yet: preview as counts only
            disclosure = decide(self.data_purpose.currentData())

        def job():
            yield 0.0
            with worker_desk(desk, keys_dir) as own:
                return send_preview(own, case_id, keys=desk_keys(own, keys_dir), to=to,
                                    sitrep=form, attachments=attachments,
                                    disclosure=disclosure)  # fmt: skip

        if self.preview_worker is not None:
            self.preview_worker.cancel()  # a newer preview is wanted: drop the older one
        self.preview_worker = start_job(
            self,
            job,
            on_finished=lambda text: self._show_preview(generation, text),
            on_failed=lambda why: self._show_preview(
                generation, f"Cannot prepare the package: {why}"
            ),
        )

    def _show_preview(self, generation: int, text: str) -> None:
        if generation != self._preview_generation:
            return  # the choices changed since: a newer preview is on its way
        self.preview_worker = None
        self.preview_text.setPlainText(text)
        self.preview_ready.emit(text)

    # --- sending, in a worker ------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save handover package", "", "Handover packages (*.sarpkg)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> JobWorker | None:
        """Sign, record and write the package to ``path`` (in a worker)."""
        return self._send(output=Path(path), url=None)

    def send_to(self, url: str) -> JobWorker | None:
        """Sign and record the package, commit it to the outbox, deliver it to the peer's
        inbox ``url`` (in a worker; the desk stays usable while the peer answers)."""
        if not url:
            self.send_status.setText("Give the peer's inbox URL first.")
            return None
        return self._send(output=None, url=url)

    def _send(self, *, output: Path | None, url: str | None) -> JobWorker | None:
        to = self.chosen_peer()
        if to is None or self.case_id is None:
            self.send_status.setText("Choose the RCC to send to.")
            return None
        if self.send_worker is not None:
            self.send_status.setText("A package is being sent; wait for it to finish.")
            return None
        desk, case_id, keys_dir = self.desk, self.case_id, self.keys_dir
        purpose, form = self.purpose.currentData(), self.sitrep_form.currentData()
        attachments, author = tuple(self.attachments), settings.operator_name()
        try:
            disclosure = self.disclosure()
        except SarappError as exc:
            self.send_status.setText(str(exc))
            return None

        def job():
            yield "signing", None
            with worker_desk(desk, keys_dir) as own:
                common = {"keys": desk_keys(own, keys_dir), "to": to, "author": author,
                          "output": output, "outbox_url": url, "attachments": attachments,
                          "sitrep": form}  # fmt: skip
                if purpose == Purpose.REQUEST_COORDINATION.value:
                    sent = propose_handover(own, case_id, **common)
                else:
                    sent = send_case(own, case_id, purpose=purpose, disclosure=disclosure,
                                     **common)  # fmt: skip
                yield "sent", sent  # recorded (and queued): the number is taken
                if not sent.queued:
                    return None
                return deliver(own, sent.package_id, author=author)  # no transaction open

        for button in (self.save_button, self.post_button):
            button.setEnabled(False)
        self.send_status.setText("Signing and recording the package…")
        self.send_worker = start_job(
            self,
            job,
            on_progress=self._on_send_progress,
            on_finished=self._on_send_finished,
            on_failed=self._on_send_failed,
        )
        return self.send_worker

    def _on_send_progress(self, step: tuple[str, SentPackage | None]) -> None:
        stage, sent = step
        if stage != "sent" or sent is None:
            return
        self.last_sent = sent
        where = f"delivering to {self.url.text().strip()}…" if sent.queued else "saved."
        self.send_status.setText(f"Package {sent.package_id} ({sent.size} bytes) {where}")
        self.changes_made.emit(sent.changes)
        self.package_sent.emit(sent)
        self.refresh_preview()  # the next SITREP number, the "sent" line counted

    def _on_send_finished(self, delivery: Delivery | None) -> None:
        self._send_done()
        if delivery is None:
            return
        self.last_delivery = delivery
        sent = self.last_sent
        size = f" ({sent.size} bytes)" if sent else ""
        if delivery.delivered:
            self.send_status.setText(
                f"Package {delivery.package_id}{size} delivered: {delivery.detail}"
            )
        else:
            self.send_status.setText(
                f"Package {delivery.package_id}{size} recorded as sent but not delivered "
                f"({delivery.detail}); it stays in the outbox and will be retried"
            )
        self.changes_made.emit(delivery.changes)
        self.delivery_done.emit(delivery)

    def _on_send_failed(self, message: str) -> None:
        self._send_done()
        self.send_status.setText(f"Not sent: {message}")
        self.send_failed.emit(message)

    def _send_done(self) -> None:
        self.send_worker = None
        for button in (self.save_button, self.post_button):
            button.setEnabled(True)


def _purpose_label(purpose: Purpose) -> str:
    return {
        Purpose.INFORMATION: "information",
        Purpose.SITREP: "SITREP",
        Purpose.REQUEST_COORDINATION: "request to accept coordination (handover)",
    }[purpose]
