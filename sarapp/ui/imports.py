"""Alerts into the window: a SIT 185 pasted, dropped or opened; an AIS file in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from sarapp.store import Store
from sarapp.ui import settings
from sarapp.ui.worker import start_job

if TYPE_CHECKING:
    from sarapp.alerts.ais_intake import AisImportReport
    from sarapp.alerts.intake import AlertImport
    from sarapp.ui.main_window import MainWindow

MAX_ALERT_BYTES = 1_000_000  # a SIT 185 is a few kB: anything larger is not one
NMEA_SUFFIXES = (".nmea", ".ais", ".log")
PACKAGE_SUFFIXES = (".sarpkg", ".zip")


def import_alert_text(window: MainWindow, text: str) -> AlertImport | None:
    """File a SIT 185 under its case, select the case and say what changed."""
    from sarapp.alerts.intake import import_sit185  # the parsers load on first use

    result = window._call(
        lambda: import_sit185(window.store, text, author=settings.operator_name())
    )
    if result is None:
        return None
    window.last_import = result
    window.case_list.status_filter.setCurrentIndex(2)  # all: the case may be closed
    window.case_list.phase_filter.setCurrentIndex(0)  # a filtered-out case is not selected
    window.case_list.search.clear()
    window.apply(result.changes)
    window.case_list.select(result.case_id)
    message = (
        f"Already received: case {result.case_number}, nothing changed."
        if result.duplicate
        else "\n".join(result.summary)
    )
    window.statusBar().showMessage(message.splitlines()[0], 15000)
    box = QMessageBox(QMessageBox.Icon.Information, "Alert imported", message, parent=window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return result


def import_alert_file(window: MainWindow, path: Path) -> None:
    """A dropped or chosen file: a handover package opens the handover dialog's import
    preview, NMEA goes to the AIS import, anything else is read as a SIT 185."""
    if path.suffix.lower() in PACKAGE_SUFFIXES:
        window.open_handover(path)
        return
    if path.suffix.lower() in NMEA_SUFFIXES:
        import_ais_file(window, path)
        return
    try:
        if path.stat().st_size > MAX_ALERT_BYTES:
            window.show_error("Import alert", f"{path.name} is too large to be a SIT 185")
            return
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        window.show_error("Import alert", f"cannot read {path}: {exc.strerror}")
        return
    import_alert_text(window, text)


def choose_alert_file(window: MainWindow) -> None:
    name, _ = QFileDialog.getOpenFileName(
        window,
        "Import alert",
        str(Path.home()),
        "Alerts, AIS, handover packages (*.txt *.sit *.msg *.nmea *.ais *.log *.sarpkg *.zip)"
        ";;All files (*)",
    )
    if name:
        import_alert_file(window, Path(name))


def paste_alert(window: MainWindow) -> None:
    text = QApplication.clipboard().text()
    if not text.strip():
        window.show_error("Paste alert", "the clipboard holds no text")
        return
    import_alert_text(window, text)


def drop_mime(window: MainWindow, mime: QMimeData) -> bool:
    """Import what was dropped on the window: files first, else text."""
    if mime.hasUrls():
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        for path in paths:
            import_alert_file(window, path)
        return bool(paths)
    if mime.hasText() and mime.text().strip():
        import_alert_text(window, mime.text())
        return True
    return False


def import_ais_file(window: MainWindow, path: Path) -> None:
    """Import an NMEA file in a worker with progress and cancel; the window stays live."""
    from sarapp.alerts.ais import iter_ais  # pyais loads on first use, not at start-up
    from sarapp.alerts.ais_intake import AisImportReport, import_ais_steps

    desk = window.store.path
    author = settings.operator_name()
    total = max(path.stat().st_size, 1) if path.exists() else 1
    progress = QProgressDialog(f"Importing {path.name}…", "Cancel", 0, 1000, window)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def job():
        report = AisImportReport()
        with Store.open(desk, create=False) as own, path.open("rb") as f:
            events = iter_ais(f, stats=report.stats)
            for step in import_ais_steps(own, events, author=author, report=report):
                yield f.tell() / total, step
        return report

    def on_progress(step) -> None:
        fraction, _report = step
        progress.setValue(int(fraction * 1000))

    def on_finished(report: AisImportReport) -> None:
        progress.reset()
        window.last_ais_report = report
        window.refresh_cases()
        if window.current:
            window._show_case(window.current)
        counts = report.to_dict()
        window.statusBar().showMessage(
            f"AIS {path.name}: {counts['sentences']} sentences, {counts['errors']} errors, "
            f"{counts['alerts_opened']} alerts opened, {counts['unit_positions']} unit positions",
            20000,
        )

    def on_failed(message: str) -> None:
        progress.reset()
        window.show_error("AIS import failed", message)

    window.ais_worker = start_job(
        window,
        job,
        on_progress=on_progress,
        on_finished=on_finished,
        on_failed=on_failed,
        on_cancelled=progress.reset,
    )
    progress.canceled.connect(window.ais_worker.cancel)
