"""Alerts into the window: a SIT 185 pasted, dropped or opened; NMEA (AIS and DSC, mixed or
not) pasted, dropped or opened, imported in a worker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from sarapp.ui import settings
from sarapp.ui.worker import start_job
from sarapp.ui.worker_desk import worker_desk

if TYPE_CHECKING:
    from sarapp.alerts.intake import AlertImport
    from sarapp.alerts.nmea_intake import NmeaImportReport
    from sarapp.ui.main_window import MainWindow

MAX_ALERT_BYTES = 1_000_000  # a SIT 185 is a few kB: anything larger is not one
NMEA_SUFFIXES = (".nmea", ".ais", ".dsc", ".log")
PACKAGE_SUFFIXES = (".sarpkg", ".zip")


def import_text(window: MainWindow, text: str) -> None:
    """Pasted or dropped text: AIS/DSC sentences go to the NMEA import, else a SIT 185."""
    from sarapp.alerts.nmea_stream import looks_like_nmea

    if looks_like_nmea(text):
        import_nmea_text(window, text)
    else:
        import_alert_text(window, text)


def import_alert_text(window: MainWindow, text: str) -> AlertImport | None:
    """File a SIT 185 under its case, select the case and say what changed."""
    from sarapp.alerts.intake import import_sit185  # the parsers load on first use

    result = window.call(lambda: import_sit185(window.store, text, author=settings.operator_name()))
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
        import_nmea_file(window, path)
        return
    try:
        if path.stat().st_size > MAX_ALERT_BYTES:
            window.show_error("Import alert", f"{path.name} is too large to be a SIT 185")
            return
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        window.show_error("Import alert", f"cannot read {path}: {exc.strerror}")
        return
    from sarapp.alerts.nmea_stream import looks_like_nmea

    if looks_like_nmea(text):  # a feed saved as .txt
        import_nmea_file(window, path)
    else:
        import_alert_text(window, text)


def choose_alert_file(window: MainWindow) -> None:
    name, _ = QFileDialog.getOpenFileName(
        window,
        "Import alert",
        str(Path.home()),
        "Alerts, AIS and DSC, handover packages"
        " (*.txt *.sit *.msg *.nmea *.ais *.dsc *.log *.sarpkg *.zip)"
        ";;All files (*)",
    )
    if name:
        import_alert_file(window, Path(name))


def paste_alert(window: MainWindow) -> None:
    text = QApplication.clipboard().text()
    if not text.strip():
        window.show_error("Paste alert", "the clipboard holds no text")
        return
    import_text(window, text)


def drop_mime(window: MainWindow, mime: QMimeData) -> bool:
    """Import what was dropped on the window: files first, else text."""
    if mime.hasUrls():
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        for path in paths:
            import_alert_file(window, path)
        return bool(paths)
    if mime.hasText() and mime.text().strip():
        import_text(window, mime.text())
        return True
    return False


def import_nmea_file(window: MainWindow, path: Path) -> None:
    """An NMEA file (AIS, DSC or both) in a worker with progress and cancel.

    Lines without a tag block have no receive time (a DSC time is then hhmm without a date).
    """
    total = max(path.stat().st_size, 1) if path.exists() else 1

    def lines() -> Iterable[tuple[float, bytes]]:
        with path.open("rb") as f:
            for line in f:
                yield f.tell() / total, line

    _import_nmea(window, path.name, lines, received_now=False)


def import_nmea_text(window: MainWindow, text: str) -> None:
    """Pasted or dropped AIS/DSC sentences: received now (what the coordinator just got)."""
    rows = text.splitlines()

    def lines() -> Iterable[tuple[float, str]]:
        for number, line in enumerate(rows, start=1):
            yield number / max(len(rows), 1), line

    _import_nmea(window, "pasted sentences", lines, received_now=True)


def _import_nmea(
    window: MainWindow,
    name: str,
    lines: Callable[[], Iterable[tuple[float, str | bytes]]],
    *,
    received_now: bool,
) -> None:
    from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea_steps
    from sarapp.alerts.nmea_stream import iter_nmea
    from sarapp.model import utc_now

    desk = window.store.address
    author = settings.operator_name()
    progress = QProgressDialog(f"Importing {name}…", "Cancel", 0, 1000, window)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    done = [0.0]

    def job():
        report = NmeaImportReport()

        def raw() -> Iterable[str | bytes]:
            for fraction, line in lines():
                done[0] = fraction
                yield line

        clock = utc_now if received_now else None
        with worker_desk(desk) as own:
            events = iter_nmea(raw(), clock=clock, stats=report.stats)
            for step in import_nmea_steps(own, events, author=author, report=report):
                yield done[0], step
        return report

    def on_progress(step) -> None:
        progress.setValue(int(step[0] * 1000))

    def on_finished(report: NmeaImportReport) -> None:
        progress.reset()
        window.last_ais_report = report.ais
        window.last_nmea_report = report
        _show_nmea_result(window, name, report)

    def on_failed(message: str) -> None:
        progress.reset()
        window.show_error("Import failed", message)

    window.ais_worker = start_job(
        window,
        job,
        on_progress=on_progress,
        on_finished=on_finished,
        on_failed=on_failed,
        on_cancelled=progress.reset,
    )
    progress.canceled.connect(window.ais_worker.cancel)


def _show_nmea_result(window: MainWindow, name: str, report: NmeaImportReport) -> None:
    """Refresh the cases, select the first distress case, and say what the feed did: a DSC
    cancel, an alert without position or an unmatched DSE in a box the coordinator sees."""
    window.refresh_cases()
    dsc, counts = report.dsc, report.stats
    if dsc.cases:
        window.case_list.status_filter.setCurrentIndex(2)  # all: the case may be closed
        window.case_list.phase_filter.setCurrentIndex(0)
        window.case_list.search.clear()
        window.refresh_cases()
        case_id = window.call(lambda: window.store.cases.resolve(dsc.cases[0]))
        if case_id is not None:
            window.case_list.select(case_id)
    if window.current:
        window._show_case(window.current)
    errors = counts.ais.errors + counts.dsc_errors + counts.not_nmea
    window.statusBar().showMessage(
        f"{name}: {counts.lines} lines, {errors} errors; DSC {dsc.alerts_opened} alerts opened, "
        f"{dsc.alerts_updated} updated; AIS {report.ais.alerts_opened} alerts opened, "
        f"{report.ais.unit_positions} unit positions",
        20000,
    )
    lines = [f"DSC case {n}" for n in dsc.cases]
    lines += [f"CANCELLED: {c}" for c in dsc.cancellations]
    lines += [f"No position: {c}" for c in dsc.no_position]
    lines += [f"Not applied: {d}" for d in dsc.unmatched_dse]
    if dsc.duplicates and not dsc.cases:
        lines.append(f"{dsc.duplicates} DSC sentence(s) already received: nothing changed")
    if lines:
        box = QMessageBox(
            QMessageBox.Icon.Information, "DSC alerts imported", "\n".join(lines), parent=window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        window.last_nmea_message = "\n".join(lines)
