"""Alerts into the app: paste, drop, open a file; AIS in a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QApplication

from sarapp.model import AlertPhase, EntryKind
from sarapp.ui import imports

DATA = Path(__file__).resolve().parent.parent / "data"


def test_pasted_sit185_opens_and_selects_its_case(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    QApplication.clipboard().setText((DATA / "sit185" / "initial_doppler.txt").read_text())
    window.paste_alert_action.trigger()
    result = window.last_import
    assert result.created and window.current == result.case_id
    assert window.case_form.case.phase is AlertPhase.DETRESFA
    assert window.case_log.model.entries[-1].kind is EntryKind.POSITION
    assert any(e.kind is EntryKind.ALERT for e in window.case_log.model.entries)
    window.paste_alert_action.trigger()  # the same message again
    assert window.last_import.duplicate
    assert len(window.store.list_cases()) == 1


def test_dropped_file_and_dropped_text(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DATA / "sit185" / "encoded_only.txt"))])
    assert imports.drop_mime(window, mime)
    assert window.last_import.created
    text = QMimeData()
    text.setText((DATA / "sit185" / "doa_meosar_crlf.txt").read_text())
    assert imports.drop_mime(window, text)
    assert len(window.store.list_cases()) == 2


def test_bad_paste_is_an_error_and_writes_nothing(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    QApplication.clipboard().setText("Minutes of the morning briefing")
    window.paste_alert_action.trigger()
    assert "SIT 185" in window.last_error
    assert window.store.list_cases() == []


def test_ais_file_imports_in_a_worker(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    imports.import_alert_file(window, DATA / "ais" / "sample.nmea")
    qtbot.waitUntil(lambda: hasattr(window, "last_ais_report"), timeout=10000)
    assert window.last_ais_report.alerts_opened == 2
    assert len(window.case_list.model.cases) == 2
