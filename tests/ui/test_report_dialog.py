"""Tools → Annual report: made in a worker with progress, plots and figures on screen, one RCC
chosen, saved as PDF and CSV, cancelled."""

from __future__ import annotations

from PySide6.QtGui import QImage

from ..report.synthetic_desk import YEAR


def _menu_action(window, text):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"no menu action {text!r}")


def _make(qtbot, dialog, year=YEAR):
    dialog.year.setValue(year)
    seen = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.make_button.click()
    assert not dialog.make_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30000)
    return seen


def test_report_in_the_app(qtbot, open_window, synthetic, tmp_path):
    path, _ = synthetic
    window = open_window(path)
    _menu_action(window, "Annual report…").trigger()
    dialog = window.report_dialog
    assert not dialog.pdf_button.isEnabled()  # nothing to save yet
    progress = _make(qtbot, dialog)
    assert progress and max(progress) > 500  # the worker reported its way through
    report = dialog.report
    assert report is not None and report.total.cases.opened.value == 301
    assert dialog.status.text() == f"{YEAR}, all responsible RCCs: 301 cases opened."
    assert dialog.pdf_button.isEnabled() and dialog.csv_button.isEnabled()
    assert dialog.progress.value() == dialog.progress.maximum()
    assert [dialog.rcc.itemText(i) for i in range(dialog.rcc.count())] == [
        "All responsible RCCs",
        "MRCC-ETEL",
        "MRCC-MADRID",
        "MRCC-ROMA",
    ]
    assert dialog.figures_model.rowCount() > 15
    assert dialog.cases_model.rowCount() == len(report.cases)
    opened = dialog.cases_model.index(1, 1).data()
    assert opened.endswith(f"Z JAN {YEAR % 100}")  # a DTG on screen, not ISO
    for name, view in dialog.plots.items():  # each plot painted, not blank
        dialog.tabs.setCurrentWidget(view)
        image = QImage(view.grab().toImage())
        width, height = image.width(), image.height()
        colours = {image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)}
        assert len(colours) > 3, name

    dialog.rcc.setCurrentText("MRCC-ROMA")
    _make(qtbot, dialog)
    assert dialog.report.rcc == "MRCC-ROMA"
    assert dialog.report.total.cases.opened.value == report.by_rcc["MRCC-ROMA"].cases.opened.value

    pdf = tmp_path / "annual.pdf"
    dialog.save_pdf(pdf)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30000)
    assert pdf.read_bytes().startswith(b"%PDF") and dialog.status.text() == f"Saved {pdf}"
    dialog.save_csv(tmp_path / "tables")
    assert (tmp_path / "tables" / "cases.csv").exists()
    assert "Saved 13 CSV tables" in dialog.status.text()


def test_a_report_can_be_cancelled(qtbot, open_window, synthetic):
    path, _ = synthetic
    window = open_window(path)
    dialog = window.open_annual_report()
    dialog.year.setValue(YEAR)
    dialog.make_button.click()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30000)
    assert dialog.status.text() == "Cancelled." and dialog.report is None
    assert dialog.make_button.isEnabled() and not dialog.pdf_button.isEnabled()


def test_an_empty_year_is_reported_as_such(qtbot, open_window, synthetic):
    path, _ = synthetic
    dialog = open_window(path).open_annual_report()
    _make(qtbot, dialog, 1999)
    assert dialog.report.total.cases.opened.value == 0
    assert dialog.status.text() == "1999, all responsible RCCs: 0 cases opened."
