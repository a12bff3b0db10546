"""The handover dialog's import page: open a package, see what importing it would change,
import it, and answer a coordination proposal.

Reading and verifying a package (a large one takes most of a second), planning the merge,
importing and answering each run in a worker on a connection of its own, with progress; the
page only shows results. Nothing is written before Import (or an answer) is chosen. A package
signed by a key this desk does not trust is not imported but put in quarantine
(``sarapp.exchange.quarantine``); the dialog's Quarantine page takes it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.exchange.apply import ImportPreview, preview_import
from sarapp.exchange.keyring import desk_keys, desk_trust
from sarapp.exchange.package import Purpose
from sarapp.exchange.quarantine import receive
from sarapp.exchange.reader import ReadPackage, SignatureStatus, package_file_bytes, read_package
from sarapp.exchange.workflow import answer_proposal
from sarapp.model import Rcc
from sarapp.ui import settings
from sarapp.ui.worker import JobWorker, start_job
from sarapp.ui.worker_desk import worker_desk

SIGNATURE_COLOURS = {
    SignatureStatus.VALID_TRUSTED: "#1b7f3b",
    SignatureStatus.VALID_UNKNOWN: "#b36b00",
    SignatureStatus.INVALID: "#b00020",
}
CONFLICT_COLUMNS = ("Field", "Here", "In the package", "Decision")


@dataclass(frozen=True)
class Loaded:
    """A package read in the worker: its preview, or why it would be refused."""

    read: ReadPackage
    content: bytes  # as received: what an import (or the quarantine) takes
    preview: ImportPreview | None
    case_number: str | None  # this desk's number of a case it knows
    me: Rcc | None  # this desk's RCC
    refused: str = ""


class ImportPage(QWidget):
    """Emits ``changes_made(Changes)`` once per import or answer, ``preview_shown`` with the
    ImportPreview (None when refused), ``quarantined(package_id)`` when a package went to the
    quarantine, and ``finished`` when a worker's job has ended."""

    changes_made = Signal(object)
    preview_shown = Signal(object)
    quarantined = Signal(str)
    finished = Signal()

    def __init__(self, desk: Path | str, keys_dir: Path | None) -> None:
        super().__init__()
        self.desk, self.keys_dir = desk, keys_dir
        self.loaded: Loaded | None = None
        self.preview: ImportPreview | None = None
        self.last_answer = None
        self.worker: JobWorker | None = None
        self._generation = 0
        open_button = QPushButton("Open package…")
        open_button.clicked.connect(self._on_open_clicked)
        self.file_label = QLabel("No package opened.")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.signature_label = QLabel()
        self.signature_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.conflicts = QTableWidget(0, len(CONFLICT_COLUMNS))
        self.conflicts.setHorizontalHeaderLabels(CONFLICT_COLUMNS)
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_now)
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
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.signature_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(QLabel("Differences (what is kept or taken is logged)"))
        layout.addWidget(self.conflicts, 1)
        layout.addLayout(buttons)

    @property
    def busy(self) -> bool:
        return self.worker is not None

    # --- reading ---------------------------------------------------------------------------

    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open handover package", "", "Handover packages (*.sarpkg);;All files (*)"
        )
        if path:
            self.load_package(Path(path))

    def load_package(self, path: Path) -> JobWorker:
        """Read, verify and plan ``path`` in a worker; the preview shows when it is done."""
        self.clear_import()
        self.file_label.setText(str(path))
        desk, keys_dir = self.desk, self.keys_dir

        def job():
            yield 0.05, "Reading and verifying the package…"
            content = package_file_bytes(Path(path))
            with worker_desk(desk, keys_dir) as own:
                read = read_package(content, trust=desk_trust(own))
                me = own.trust.identity().rcc
                yield 0.6, "Planning what importing it would change…"
                try:
                    preview = preview_import(own, read)
                except SarappError as exc:
                    return Loaded(read, content, None, None, me, str(exc))
                known = not preview.plan.new_case
                number = own.cases.get(preview.plan.case_id).number if known else None
            return Loaded(read, content, preview, number, me)

        return self._start(job, self._on_loaded, self._on_load_failed)

    def _on_loaded(self, loaded: Loaded) -> None:
        s = loaded.read.signature
        signer = f" by {s.signer.id}" if s.signer else ""
        reason = f" — {s.reason}" if s.reason else ""
        self._show_signature(
            s.status, f"Signature: {s.status.value}{signer}, fingerprint {s.fingerprint}{reason}"
        )
        self.loaded, self.preview = loaded, loaded.preview
        if loaded.preview is None:
            self.summary_label.setText(f"Refused, nothing will be written: {loaded.refused}")
        else:
            self._show_preview(loaded.preview, loaded.case_number)
        self._show_answer_buttons()
        self.preview_shown.emit(loaded.preview)

    def _on_load_failed(self, message: str) -> None:
        self._show_signature(SignatureStatus.INVALID, f"Refused: {message}")
        self.preview_shown.emit(None)

    def _show_signature(self, status: SignatureStatus, text: str) -> None:
        self.signature_label.setText(text)
        self.signature_label.setStyleSheet(f"color: {SIGNATURE_COLOURS[status]}")

    def _show_preview(self, preview: ImportPreview, number: str | None) -> None:
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
            origin = f" ({plan.case.origin_text})" if plan.case.origin_rcc else ""
            lines.append(f"New case on this desk: {plan.case.title}{origin} ({plan.case_id})")
        else:
            lines.append(f"Known case {number}")
        lines.append(
            f"To add: {len(plan.new_entries)} log entries, {len(plan.new_positions)} positions, "
            f"{len(plan.new_drift_runs)} drift runs"
        )
        self.summary_label.setText("\n".join(lines))
        rows = [(c.field, c.local, c.incoming, c.decision) for c in preview.conflicts]
        rows += [(u.field, u.local, u.incoming, u.decision) for u in plan.field_updates]
        self.conflicts.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.conflicts.setItem(row, column, item)
        self.import_button.setText("Put in quarantine" if preview.untrusted else "Import")
        self.import_button.setEnabled(not preview.already_imported)

    def _show_answer_buttons(self) -> None:
        """Offer accept/decline for a proposal addressed to this desk's RCC (answering
        imports it first when it is not yet imported)."""
        preview, visible = self.preview, False
        if preview is not None and self.loaded is not None and preview.untrusted is None:
            header, me = preview.read.header, self.loaded.me
            visible = (
                header["purpose"] == Purpose.REQUEST_COORDINATION.value
                and me is not None
                and header["to"]["id"] == me.id
            )
        for button in (self.accept_button, self.decline_button):
            button.setVisible(visible)

    def clear_import(self) -> None:
        """Forget the opened package (Cancel): nothing is written; a running read stops."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
            self.progress.hide()
        self._generation += 1
        self.loaded, self.preview = None, None
        self.file_label.setText("No package opened.")
        self.signature_label.clear()
        self.summary_label.clear()
        self.conflicts.setRowCount(0)
        self.import_button.setEnabled(False)
        self._show_answer_buttons()

    # --- writing ---------------------------------------------------------------------------

    def import_now(self) -> JobWorker | None:
        """Write the previewed import in a worker."""
        if self.preview is None or self.loaded is None:
            return None
        read, content = self.preview.read, self.loaded.content
        desk, keys_dir, author = self.desk, self.keys_dir, settings.operator_name()
        self.import_button.setEnabled(False)

        def job():
            yield 0.1, "Importing…"
            with worker_desk(desk, keys_dir) as own:
                return receive(own, content, author=author)

        def done(received) -> None:
            if received.quarantined is not None:
                kept = received.quarantined
                self.summary_label.setText(
                    f"Quarantined, nothing imported: signed by a key this desk does not trust "
                    f"(fingerprint {kept.fingerprint}), claiming to come from "
                    f"{kept.claimed.id}. Check the fingerprint with that RCC by telephone, then "
                    "trust the key and import the package on the Quarantine page."
                )
                self.quarantined.emit(kept.package_id)
                return
            result = received.result
            self.preview = ImportPreview(read, self.preview.plan, True) if self.preview else None
            taken = f", {len(result.updated_fields)} fields taken" if result.updated_fields else ""
            self.summary_label.setText(
                f"Older than package {result.replay_of}, already imported: nothing changed."
                if result.replay_of
                else f"Imported: {len(result.added_entries)} log entries, "
                f"{len(result.added_positions)} positions, {len(result.conflicts)} conflicts "
                f"logged{taken}" + (" (case created)" if result.created else "")
            )
            self._show_answer_buttons()
            self.changes_made.emit(result.changes)

        def failed(message: str) -> None:
            self.summary_label.setText(f"Refused, nothing was written: {message}")

        return self._start(job, done, failed, writing=True)

    def _on_answer_clicked(self, accept: bool) -> None:
        smc = ""
        if accept:
            smc, ok = QInputDialog.getText(
                self, "Accept coordination", "SMC at this RCC for the case (empty: none yet):"
            )
            if not ok:
                return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the answer package", "", "Handover packages (*.sarpkg)"
        )
        if path:
            self.answer_to(Path(path), accept=accept, smc=smc)

    def answer_to(self, path: Path, *, accept: bool, smc: str = "") -> JobWorker | None:
        """Import the proposal if not yet imported and answer it (one transaction); the
        answer package is written to ``path``."""
        if self.preview is None:
            return None
        read, desk, keys_dir = self.preview.read, self.desk, self.keys_dir
        author = settings.operator_name()

        def job():
            yield 0.1, "Answering…"
            with worker_desk(desk, keys_dir) as own:
                return answer_proposal(
                    own, read, accept=accept, keys=desk_keys(own, keys_dir),
                    author=author, smc=smc, output=path,
                )  # fmt: skip

        def done(outcome) -> None:
            imported, sent = outcome
            self.last_answer = sent
            verb = "Accepted" if accept else "Declined"
            self.summary_label.setText(f"{verb}; answer package {sent.package_id} saved to {path}")
            for button in (self.accept_button, self.decline_button):
                button.setVisible(False)
            self.import_button.setEnabled(False)
            self.changes_made.emit(imported.changes | sent.changes)

        def failed(message: str) -> None:
            self.summary_label.setText(f"No answer written: {message}")

        return self._start(job, done, failed, writing=True)

    # --- the worker ------------------------------------------------------------------------

    def _start(self, job, on_done, on_failed, *, writing: bool = False) -> JobWorker:
        """Run ``job`` (yielding (fraction, words)); results of a read made stale by Cancel or
        another package are dropped. A write cannot be cancelled once started: Cancel waits."""
        self._generation += 1
        generation = self._generation
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setEnabled(not writing)

        def progress(step) -> None:
            if generation == self._generation:
                fraction, words = step
                self.progress.setValue(int(fraction * 100))
                self.progress.setFormat(words)

        def finish(callback, *args) -> None:
            if generation != self._generation:
                return
            self.worker = None
            self.progress.hide()
            self.cancel_button.setEnabled(True)
            callback(*args)
            self.finished.emit()

        self.worker = start_job(
            self,
            job,
            on_progress=progress,
            on_finished=lambda result: finish(on_done, result),
            on_failed=lambda message: finish(on_failed, message),
        )
        return self.worker


__all__ = ["ImportPage", "Loaded"]
