"""The app on an RCC server: File → Open desk, the status bar naming the desk and its link,
recent desks without secrets, a viewer refused in one line, and an entry that stays in the
entry line when it cannot be stored (a locked file, a lost server connection)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt

from sarapp.store import Desk
from sarapp.store.pg.location import connect
from sarapp.store.pg.roles import create_roles
from sarapp.ui import settings
from sarapp.ui.app import parse_args, start_location
from sarapp.ui.main_window import MainWindow
from sarapp.ui.open_desk_dialog import OpenDeskDialog, fill_recent_menu

WAIT_MS = 10000


def _case(location) -> str:
    with Desk.open(location) as desk:
        (case_id,) = desk.cases.create(title="Yacht LUNA dismasted", author="op1").cases
    return case_id


def _enter(qtbot, window, text: str) -> None:
    window.case_log.quick_entry.setText(text)
    qtbot.keyClick(window.case_log.quick_entry, Qt.Key.Key_Return)


def test_a_server_desk_opened_from_the_menu_is_named_in_the_status_bar(
    qtbot, open_window, desk_path, pg_desk
):
    case_id = _case(pg_desk)
    window = open_window(desk_path)
    assert window.desk_status.plain_text() == "Desk file desk.sqlite · open"
    dialog = window.choose_desk()
    dialog.server_choice.setChecked(True)
    dialog.server.setText(pg_desk)
    dialog.accept()
    qtbot.waitUntil(lambda: window.store.path is None, timeout=WAIT_MS)  # reached in a worker
    database = pg_desk.split("dbname=")[1].split()[0]
    line = window.desk_status.plain_text()
    assert line.startswith("RCC server ") and f"/{database} as postgres (owner)" in line
    assert line.endswith(" · connected")
    assert window.windowTitle().startswith("sarapp — ") and database in window.windowTitle()
    assert [c.id for c in window.case_list.model.cases] == [case_id]
    assert settings.recent_desks() == [pg_desk]
    assert window.switch_desk(desk_path)
    assert settings.recent_desks() == [str(desk_path), pg_desk]
    fill_recent_menu(window.recent_menu, window.open_location)
    file_action, server_action = window.recent_menu.actions()
    assert file_action.text() == "&1 desk.sqlite (file)"
    assert "(server)" in server_action.text() and database in server_action.text()
    server_action.trigger()
    qtbot.waitUntil(lambda: window.store.path is None, timeout=WAIT_MS)
    assert settings.recent_desks() == [pg_desk, str(desk_path)]


def test_the_open_desk_dialog_refuses_a_password_and_a_non_location_at_the_field(qtbot):
    dialog = OpenDeskDialog(Path("desk.sqlite"))
    qtbot.addWidget(dialog)
    dialog.server_choice.setChecked(True)
    dialog.server.setText("postgresql://alice:s3cret@rcc-db/sar")
    dialog.accept()
    assert dialog.location() is None and "~/.pgpass" in dialog.error.text()
    assert "s3cret" not in dialog.error.text()
    dialog.server.setText("rcc-db/sar")
    dialog.accept()
    assert "not a PostgreSQL location" in dialog.error.text()
    dialog.server.setText("service=rcc")
    dialog.accept()
    assert dialog.location() == "service=rcc"
    again = OpenDeskDialog("service=rcc")
    qtbot.addWidget(again)
    assert again.server_choice.isChecked() and again.server.text() == "service=rcc"


def test_db_and_sarapp_db_take_a_server_location_whole(monkeypatch, tmp_path):
    monkeypatch.delenv("SARAPP_DB", raising=False)
    uri = "postgresql://officer1@rcc-db/sar"
    assert start_location(parse_args(["--db", uri])) == uri  # a Path would make "postgresql:/"
    monkeypatch.setenv("SARAPP_DB", "host=rcc-db dbname=sar")
    assert start_location(parse_args([])) == "host=rcc-db dbname=sar"
    monkeypatch.setenv("SARAPP_DB", str(tmp_path / "a=b.sqlite"))
    assert start_location(parse_args([])) == tmp_path / "a=b.sqlite"


def test_an_entry_that_cannot_be_stored_stays_in_the_entry_line(qtbot, desk_path):
    case_id = _case(desk_path)
    window = MainWindow(Desk.open(desk_path, busy_timeout_ms=50))
    qtbot.addWidget(window)
    window.case_list.select(case_id)
    blocker = sqlite3.connect(desk_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the desk's write lock
    try:
        _enter(qtbot, window, "MAYDAY relay sent, no answer from LUNA")
        assert window.case_log.quick_entry.text() == "MAYDAY relay sent, no answer from LUNA"
        assert "locked" in window.last_error
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.keyClick(window.case_log.quick_entry, Qt.Key.Key_Return)  # Enter again: stored
    assert window.case_log.quick_entry.text() == ""
    assert window.case_log.model.entries[-1].text == "MAYDAY relay sent, no answer from LUNA"
    window.store.close()


def test_an_entry_whose_answer_was_lost_is_not_stored_twice_on_enter_again(qtbot, desk_path):
    """The commit may land while its answer is lost: Enter again sends the same entry id."""
    case_id = _case(desk_path)
    window = MainWindow(Desk.open(desk_path, busy_timeout_ms=50))
    qtbot.addWidget(window)
    window.case_list.select(case_id)
    text = "Rescue 169 winching the first person"
    blocker = sqlite3.connect(desk_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        _enter(qtbot, window, text)
        assert window.case_log.quick_entry.text() == text  # refused: it waits in the line
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    sent_as = window.case_log.entry_id_for(case_id, text)  # the id the attempt was sent under
    with Desk.open(desk_path) as other:  # as if that attempt's commit had landed after all
        other.log.append(case_id, text, author="op1", entry_id=sent_as)
    qtbot.keyClick(window.case_log.quick_entry, Qt.Key.Key_Return)
    assert window.case_log.quick_entry.text() == ""
    with Desk.open(desk_path) as desk:
        assert [e.text for e in desk.log.entries(case_id)].count(text) == 1
    _enter(qtbot, window, text)  # typed again on purpose once stored: a new entry
    with Desk.open(desk_path) as desk:
        assert [e.text for e in desk.log.entries(case_id)].count(text) == 2
    window.store.close()


def test_a_lost_server_connection_is_one_line_and_the_typed_entry_waits(
    qtbot, open_window, pg_desk
):
    case_id = _case(pg_desk)
    window = open_window(pg_desk)
    window.case_list.select(case_id)
    with connect(pg_desk) as admin:  # the server drops the desk's connection
        admin.execute("SELECT pg_terminate_backend(%s)", (window.store.conn.info.backend_pid,))
    _enter(qtbot, window, "Rescue 169 winching the first person")
    assert window.case_log.quick_entry.text() == "Rescue 169 winching the first person"
    assert window.last_error.startswith("desk read-only: connection lost — ")
    assert "\n" not in window.last_error
    assert window.case_form.case.id == case_id  # the case stays on screen
    assert "desk read-only: connection lost" in window.desk_status.plain_text()
    title = window.case_form.editors["title"].edit
    assert title.isReadOnly() and title.text() == "Yacht LUNA dismasted"  # shown, read-only
    # The server answers: the desk is reached again in a worker, the case still shown.
    qtbot.waitUntil(lambda: window.desk_status.link == "connected", timeout=WAIT_MS)
    assert window.current == case_id and not title.isReadOnly()
    qtbot.keyClick(window.case_log.quick_entry, Qt.Key.Key_Return)
    assert window.case_log.quick_entry.text() == ""
    with Desk.open(pg_desk) as desk:
        assert desk.log.entries(case_id)[-1].text == "Rescue 169 winching the first person"


@pytest.fixture
def viewer_location(pg_desk):
    """The desk as seen by liaison_fr, a member of the desk's viewer role."""
    with connect(pg_desk) as conn:
        roles = create_roles(conn)
        conn.execute("DROP ROLE IF EXISTS liaison_fr")
        conn.execute(f"CREATE ROLE liaison_fr LOGIN IN ROLE {roles.viewer}")
    yield f"{pg_desk} user=liaison_fr"
    with connect(pg_desk) as conn:
        conn.execute("DROP OWNED BY liaison_fr")
        conn.execute("DROP ROLE liaison_fr")


def test_a_viewer_sees_the_cases_and_every_write_is_refused_in_one_line(
    qtbot, open_window, pg_desk, viewer_location
):
    case_id = _case(pg_desk)
    window = open_window(viewer_location)
    assert [c.id for c in window.case_list.model.cases] == [case_id]
    window.case_list.select(case_id)
    assert window.case_form.case.title == "Yacht LUNA dismasted"
    line = window.desk_status.plain_text()
    assert "as liaison_fr (viewer)" in line
    assert "read-only: connected as liaison_fr, a viewer" in line
    assert not window.case_log.quick_entry.isEnabled()
    assert "a viewer" in window.case_log.quick_entry.placeholderText()
    assert not window.new_case_action.isEnabled()
    assert not any(a.isEnabled() for a in window.phase_actions.values())
    assert not window.close_case_action.isEnabled()
    assert window.case_form.editors["pob"].edit.isReadOnly()
    window._on_entry_typed("note from the liaison officer")  # had it got through anyway
    assert "connected as liaison_fr, a viewer" in window.last_error
    assert "\n" not in window.last_error
    window.set_phase("DETRESFA")
    with Desk.open(pg_desk) as desk:
        assert [e.kind.value for e in desk.log.entries(case_id)] == ["created"]
        assert desk.cases.get(case_id).phase.value == "INCERFA"


def test_a_viewer_still_sees_what_officers_change(qtbot, open_window, pg_desk, viewer_location):
    case_id = _case(pg_desk)
    window = open_window(viewer_location)
    window.case_list.select(case_id)
    with Desk.open(pg_desk) as officer:
        officer.log.append(case_id, "Persons in the water: 2", author="op1")
    qtbot.waitUntil(
        lambda: window.case_log.model.entries[-1].text == "Persons in the water: 2",
        timeout=WAIT_MS,
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege), connect(viewer_location) as conn:
        conn.execute("UPDATE cases SET pob = 1")  # the server, not only the app, refuses


def test_the_app_signs_what_it_committed_within_a_second_or_two(qtbot, pg_desk, tmp_path):
    """A server desk signs a computer's commits in batches; the window has an idle desk's
    last entries signed within a second (the session's timer)."""
    from sarapp.exchange.desk_signer import attach_checkpoint_signer

    case_id = _case(pg_desk)
    desk = Desk.open(pg_desk)
    keys = tmp_path / "keys"
    keys.mkdir()
    assert attach_checkpoint_signer(desk, keys) is not None
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.case_list.select(case_id)

    def signed() -> int:
        with connect(pg_desk) as conn:
            return conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0]

    before = signed()
    _enter(qtbot, window, "Rescue 169 on scene")
    assert window.case_log.quick_entry.text() == ""
    qtbot.waitUntil(lambda: signed() == before + 1, timeout=WAIT_MS)
    window.store.close()
