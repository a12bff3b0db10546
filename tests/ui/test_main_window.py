"""The desk as a coordinator uses it: open a case, type the log, change phase, restart."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sarapp.model import AlertPhase, CaseStatus, EntryKind, Position
from sarapp.store import Desk
from sarapp.ui.new_case_dialog import NewCaseDialog


def fill_new_case(qtbot, window, **fields) -> NewCaseDialog:
    dialog = NewCaseDialog(window)
    qtbot.addWidget(dialog)
    for name, text in fields.items():
        edit = dialog.position if name == "position" else dialog.edits[name]
        qtbot.keyClicks(edit, text)
    return dialog


def test_create_case_type_log_change_phase_and_find_it_all_after_restart(
    qtbot, desk_path, open_window
):
    window = open_window(desk_path)
    dialog = fill_new_case(
        qtbot,
        window,
        title="Yacht Albatros dismasted",
        pob="3",
        mmsi="227123456",
        position="43°12.345'N 005°06.789'E",
    )
    dialog.accept()
    assert dialog.result() == NewCaseDialog.DialogCode.Accepted
    case_id = window.create_case(dialog.result_values())
    assert window.current == case_id
    assert window.case_form.header.text().count("Yacht Albatros") == 1

    for text in ("MAYDAY relayed on VHF 16", "Lifeboat SNS 061 launched"):
        qtbot.keyClicks(window.case_log.quick_entry, text)
        qtbot.keyClick(window.case_log.quick_entry, Qt.Key.Key_Return)
    assert window.case_log.quick_entry.text() == ""
    shown = [e.text for e in window.case_log.model.entries]
    assert shown[-2:] == ["MAYDAY relayed on VHF 16", "Lifeboat SNS 061 launched"]
    assert window.case_log.model.entries[-1].author == "Watch officer Tester"

    window.phase_actions[AlertPhase.DETRESFA].trigger()
    assert window.case_form.case.phase is AlertPhase.DETRESFA
    assert not window.phase_actions[AlertPhase.DETRESFA].isEnabled()
    assert window.case_list.model.cases[0].phase is AlertPhase.DETRESFA
    window.close()
    window.store.close()

    again = open_window(desk_path)
    assert again.current == case_id  # the most recent case is selected on start
    case = again.case_form.case
    assert (case.title, case.pob, case.mmsi, case.phase) == (
        "Yacht Albatros dismasted",
        3,
        "227123456",
        AlertPhase.DETRESFA,
    )
    assert case.lkp is not None and abs(case.lkp.lat - 43.20575) < 1e-9
    kinds = [e.kind for e in again.case_log.model.entries]
    assert kinds == [
        EntryKind.CREATED,
        EntryKind.POSITION,
        EntryKind.NOTE,
        EntryKind.NOTE,
        EntryKind.PHASE,
    ]
    assert again.store.check().ok


def test_new_case_dialog_refuses_bad_fields_at_the_field(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    dialog = fill_new_case(qtbot, window, title="PIW", mmsi="12345")
    dialog.accept()
    assert dialog.result() != NewCaseDialog.DialogCode.Accepted
    assert "MMSI" in dialog.error.text()
    assert "border" in dialog.edits["mmsi"].styleSheet()
    dialog.edits["mmsi"].clear()
    qtbot.keyClicks(dialog.position, "91°00.000'N 005°00.000'E")
    dialog.accept()
    assert "latitude" in dialog.error.text()
    assert window.store.cases.list() == []


def test_field_edit_is_validated_at_the_field_and_logged_when_valid(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        store.cases.create(title="FV Marie-Jo", author="op")
    window = open_window(desk_path)
    editor = window.case_form.editors["imo"]
    qtbot.keyClicks(editor.edit, "9074728")
    editor.edit.editingFinished.emit()
    assert editor.error.isVisibleTo(window) and "check digit" in editor.error.text()
    assert window.store.cases.get(window.current).imo == ""
    editor.edit.setText("9074729")
    editor.edit.editingFinished.emit()
    assert not editor.error.isVisibleTo(window)
    assert window.store.cases.get(window.current).imo == "9074729"
    last = window.case_log.model.entries[-1]
    assert last.kind is EntryKind.FIELD and last.text == "IMO number: (empty) → 9074729"


def test_filters_search_and_close(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        store.cases.create(title="Kayaker overdue", author="op", phase=AlertPhase.ALERFA)
        (b,) = store.cases.create(title="FV Marie-Jo fire", author="op").cases
        store.log.append(b, "Dragon 13 on scene, fire out", author="op")
    window = open_window(desk_path)
    panel = window.case_list
    panel.phase_filter.setCurrentIndex(panel.phase_filter.findData(AlertPhase.ALERFA))
    assert [c.title for c in panel.model.cases] == ["Kayaker overdue"]
    panel.phase_filter.setCurrentIndex(0)
    qtbot.keyClicks(panel.search, "marie")
    assert [c.title for c in panel.model.cases] == ["FV Marie-Jo fire"]
    panel.select(b)
    with qtbot.waitSignal(window.case_log.search_changed, timeout=20000):
        qtbot.keyClicks(window.case_log.search, "dragon")
    assert window.case_log.model.snippets == ["[Dragon] 13 on scene, fire out"]
    window.case_log.search.clear()
    qtbot.waitUntil(lambda: window.case_log.model.snippets is None, timeout=20000)
    window.close_case(reason="fire extinguished, vessel under own power")
    assert window.store.cases.get(b).status is CaseStatus.CLOSED
    assert window.case_form.case.status is CaseStatus.CLOSED
    assert window.reopen_case_action.isEnabled() and not window.close_case_action.isEnabled()


def test_an_error_shows_a_dialog_and_writes_nothing(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        store.cases.create(title="FV Marie-Jo", author="op")
    window = open_window(desk_path)
    before = len(window.store.log.entries(window.current))
    window.case_form.position_entered.emit(Position(0, 0, source=" "))
    assert "source" in window.last_error
    assert len(window.store.log.entries(window.current)) == before


def test_desk_check_runs_in_a_worker_and_reports(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(title="FV Marie-Jo", author="op").cases
        for i in range(50):
            store.log.append(case_id, f"entry {i}", author="op")
    window = open_window(desk_path)
    window.check_desk()
    qtbot.waitUntil(lambda: hasattr(window, "check_report"), timeout=20000)
    assert window.check_report.ok and window.check_report.entries == 51


def test_switching_to_a_foreign_file_keeps_the_current_desk(
    qtbot, desk_path, tmp_path, open_window
):
    window = open_window(desk_path)
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(b"not a database" * 100)
    assert not window.switch_desk(foreign)
    assert "not a SQLite database" in window.last_error
    assert foreign.read_bytes() == b"not a database" * 100
    assert window.store.path == desk_path
