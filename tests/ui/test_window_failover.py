"""The app through a failover (issue 14): a window on a multi-host location (primary and its
synchronous standby, ``target_session_attrs=read-write``); the primary is killed and the
standby promoted. The status bar says the connection is lost and then reconnecting, the case
stays on screen read-only with the typed entry in its line, and the window carries on against
the promoted standby without a restart: the entry is stored there."""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt

from sarapp.store import Desk
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.local_server import SUPERUSER, LocalServer

WAIT_MS = 30000


@pytest.fixture
def pair(pg_server):
    """A primary and its synchronous standby of this test's own (``pg_server``: the skip
    where there is no PostgreSQL)."""
    primary = LocalServer.start(durable=True)
    standby = None
    try:
        with psycopg.connect(primary.conninfo(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE sar")
        open_desk(primary.conninfo("sar"), create=True).close()
        standby = LocalServer.standby_of(primary)
        yield primary, standby
    finally:
        if standby is not None:
            standby.stop()
        primary.stop()


def test_the_window_carries_on_against_the_promoted_standby(qtbot, open_window, pair):
    primary, standby = pair
    location = (f"host={primary.folder},{standby.folder} dbname=sar user={SUPERUSER} "
                "target_session_attrs=read-write connect_timeout=2")  # fmt: skip
    with Desk.open(location) as desk:
        (case_id,) = desk.cases.create(title="Yacht LUNA dismasted", author="op1").cases
    window = open_window(location)
    window.case_list.select(case_id)
    primary.crash()

    entry = window.case_log.quick_entry
    entry.setText("Rescue 169 winching the first person")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert entry.text() == "Rescue 169 winching the first person"
    assert "connection lost, reconnecting…" in window.desk_status.plain_text()
    assert window.case_form.case.id == case_id and window.current == case_id

    standby.promote()
    qtbot.waitUntil(lambda: window.desk_status.link == "connected", timeout=WAIT_MS)
    assert window.current == case_id and entry.text() == "Rescue 169 winching the first person"
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert entry.text() == ""
    with Desk.open(standby.conninfo("sar")) as desk:
        texts = [e.text for e in desk.log.entries(case_id)]
    assert texts.count("Rescue 169 winching the first person") == 1
