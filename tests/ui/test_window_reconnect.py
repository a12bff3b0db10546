"""A server desk whose server dies under the window (issue 14): the status bar says
"reconnecting", the case stays on screen read-only, the typed entry stays in the entry line,
and once the server is back the window carries on by itself and stores it."""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt

from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.local_server import LocalServer
from sarapp.ui.connection import RECONNECTING


@pytest.fixture
def own_server(pg_server):
    """A server of this test's own (it is killed): ``pg_server`` for the skip where there is
    no PostgreSQL."""
    server = LocalServer.start(durable=True)  # what it acknowledged survives the kill
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE sar")
    open_desk(server.conninfo("sar"), create=True).close()
    yield server
    server.stop()


def test_a_lost_server_keeps_the_case_and_the_typed_entry_until_it_is_back(
    qtbot, open_window, own_server
):
    window = open_window(own_server.conninfo("sar"))
    window.create_case({"title": "FV Marie-Jo"})
    case_id = window.current
    own_server.crash()

    entry = window.case_log.quick_entry
    entry.setText("Dragon 13 on scene")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert window.connection.label.text() == RECONNECTING
    assert entry.text() == "Dragon 13 on scene" and entry.isEnabled()
    assert window.current == case_id and window.case_form.case is not None
    assert not window.case_form.isEnabled()
    assert not any(a.isEnabled() for a in window.phase_actions.values())
    qtbot.keyClick(entry, Qt.Key.Key_Return)  # again while it reconnects: still kept
    assert entry.text() == "Dragon 13 on scene"

    own_server.restart()
    qtbot.waitUntil(lambda: not window.connection.reconnecting, timeout=20000)
    assert window.connection.label.text() == "" and window.case_form.isEnabled()
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert entry.text() == "", (window.last_error, window.statusBar().currentMessage())
    texts = [e.text for e in window.store.log.entries(case_id)]
    assert texts.count("Dragon 13 on scene") == 1
