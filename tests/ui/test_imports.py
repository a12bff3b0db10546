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
    assert len(window.store.cases.list()) == 1


def test_dropped_file_and_dropped_text(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DATA / "sit185" / "encoded_only.txt"))])
    assert imports.drop_mime(window, mime)
    assert window.last_import.created
    text = QMimeData()
    text.setText((DATA / "sit185" / "doa_meosar_crlf.txt").read_text())
    assert imports.drop_mime(window, text)
    assert len(window.store.cases.list()) == 2


def test_bad_paste_is_an_error_and_writes_nothing(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    QApplication.clipboard().setText("Minutes of the morning briefing")
    window.paste_alert_action.trigger()
    assert "SIT 185" in window.last_error
    assert window.store.cases.list() == []


def test_ais_file_imports_in_a_worker(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    imports.import_alert_file(window, DATA / "ais" / "sample.nmea")
    qtbot.waitUntil(lambda: hasattr(window, "last_ais_report"), timeout=10000)
    assert window.last_ais_report.alerts_opened == 2
    assert len(window.case_list.model.cases) == 2


# DSC sentences: SignalK's NMEA 0183 parser test/DSC.js (distress) and signalk-dsc (its DSE),
# retyped; the cancel is written here from resources/dsc_symbols.md.
DSC_DISTRESS = "$CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,E*6A"
DSC_DSE = "$CDDSE,1,1,A,3380400790,00,45894494*1B"
DSC_CANCEL = "$CDDSC,16,3380400790,12,10,00,1423108312,2019,3380400790,06,S,*28"


def _wait_new_report(qtbot, window, previous=None):
    qtbot.waitUntil(
        lambda: getattr(window, "last_nmea_report", None) not in (None, previous), timeout=10000
    )
    return window.last_nmea_report


def test_pasted_dsc_opens_and_selects_its_case_and_twice_changes_nothing(
    qtbot, desk_path, open_window
):
    window = open_window(desk_path)
    QApplication.clipboard().setText(f"{DSC_DISTRESS}\n{DSC_DSE}\n")
    window.paste_alert_action.trigger()
    first = _wait_new_report(qtbot, window)
    (case,) = window.store.cases.list()
    assert window.current == case.id and case.phase is AlertPhase.DETRESFA
    assert case.mmsi == "338040079" and case.lkp.source == "dsc"
    assert case.lkp.time is not None  # pasted: received now
    assert f"DSC case {case.number}" in window.last_nmea_message
    entries = len(window.store.log.entries(case.id))
    window.paste_alert_action.trigger()  # the same sentences again
    _wait_new_report(qtbot, window, first)
    assert len(window.store.log.entries(case.id)) == entries
    assert "already received" in window.last_nmea_message


def test_dropped_mixed_feed_file_and_a_cancel_shown(qtbot, desk_path, open_window, tmp_path):
    window = open_window(desk_path)
    feed = tmp_path / "coast station.txt"  # a feed saved as text: recognised by content
    sample_ais = (DATA / "ais" / "sample.nmea").read_text()
    feed.write_text(f"{DSC_DISTRESS}\n{sample_ais}{DSC_CANCEL}\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(feed))])
    assert imports.drop_mime(window, mime)
    report = _wait_new_report(qtbot, window)
    assert report.dsc.alerts_opened == 1 and report.ais.alerts_opened == 2
    assert "CANCELLED: case" in window.last_nmea_message
    dsc_case = next(c for c in window.store.cases.list() if c.mmsi == "338040079")
    assert dsc_case.status.value == "open" and window.current == dsc_case.id


def test_file_import_takes_a_dsc_file(qtbot, desk_path, open_window, tmp_path):
    window = open_window(desk_path)
    path = tmp_path / "controller.dsc"
    path.write_text(f"{DSC_DISTRESS}\n")
    imports.import_alert_file(window, path)  # what File → Import does with the chosen file
    assert _wait_new_report(qtbot, window).dsc.alerts_opened == 1
    (case,) = window.store.cases.list()
    assert case.lkp.time is None  # a file without tag blocks: the date is unknown
