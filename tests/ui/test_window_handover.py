"""The window and the handover dialog: a dropped package previews then imports; each
operation's Changes is applied once; sending to a peer never holds the desk (issue 11)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl

from sarapp.exchange import keyring, keys
from sarapp.model import AlertPhase, Position
from sarapp.store import Desk
from sarapp.ui import imports
from sarapp.ui.handover_dialog import HandoverDialog

from ..exchange.peers import dropping_peer, inbox_peer, serving, slow_peer

ETEL = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FALMOUTH = keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB")


def _desks(tmp_path: Path, trust_each_other) -> tuple[Path, Path, str]:
    """Desk A with a case, desk B, trusting each other; returns (keys folder, same, case)."""
    folder = tmp_path / "keys"
    folder.mkdir()
    with Desk.open(tmp_path / "a.sqlite") as a, Desk.open(tmp_path / "b.sqlite") as b:
        keyring.set_rcc(a, ETEL, keys_dir=folder), keyring.set_rcc(b, FALMOUTH, keys_dir=folder)
        (case_id,) = a.cases.create(
            title="Yacht LUNA dismasted", author="op", phase=AlertPhase.ALERFA
        ).cases
        a.cases.add_position(case_id, Position(47.2, -4.1, source="reported"), author="op")
    trust_each_other((tmp_path / "a.sqlite", folder), (tmp_path / "b.sqlite", folder))
    return folder, folder, case_id


def _idle(qtbot, dialog: HandoverDialog) -> None:
    """Wait for the dialog's workers (none, on a desk that sends on the GUI thread)."""
    qtbot.waitUntil(lambda: getattr(dialog, "send_worker", None) is None, timeout=20000)
    qtbot.wait(300)  # queued results and any second refresh have arrived


def test_dropped_package_previews_then_imports(
    qtbot, tmp_path: Path, open_window, monkeypatch, trust_each_other
) -> None:
    ka, kb, case_id = _desks(tmp_path, trust_each_other)
    with Desk.open(tmp_path / "a.sqlite") as a:
        sender = HandoverDialog(a, case_id, keys_dir=ka)
        qtbot.addWidget(sender)
        with qtbot.waitSignal(sender.package_sent, timeout=10000):
            sender.save_to(tmp_path / "luna.sarpkg")
        _idle(qtbot, sender)
    monkeypatch.setenv("SARAPP_KEYS_DIR", str(kb))
    window = open_window(tmp_path / "b.sqlite")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "luna.sarpkg"))])
    assert imports.drop_mime(window, mime)
    page = window.handover_dialog.importer
    qtbot.waitUntil(lambda: page.preview is not None, timeout=10000)
    assert window.store.cases.list() == []  # nothing yet
    with qtbot.waitSignal(window.handover_dialog.changes_made, timeout=10000):
        page.import_now()
    (case,) = window.store.cases.list()
    assert case.id == case_id and case.title == "Yacht LUNA dismasted"
    assert [c.id for c in window.case_list.model.cases] == [case_id]
    assert window.case_form.coordinator.text()  # the shown case was refreshed


def test_each_operation_is_applied_once(
    qtbot, tmp_path, open_window, monkeypatch, trust_each_other
):
    """The dialog's Changes used to refresh the window twice (apply, then refresh_cases)."""
    ka, _, case_id = _desks(tmp_path, trust_each_other)
    monkeypatch.setenv("SARAPP_KEYS_DIR", str(ka))
    window = open_window(tmp_path / "a.sqlite")
    window.case_list.select(case_id)
    refreshes = []
    original = window.refresh_cases
    monkeypatch.setattr(window, "refresh_cases", lambda: (refreshes.append(1), original()))
    dialog = window.open_handover()
    qtbot.waitUntil(lambda: bool(dialog.preview_text.toPlainText()), timeout=10000)
    dialog.save_to(tmp_path / "out.sarpkg")
    _idle(qtbot, dialog)
    assert len(refreshes) == 1
    assert "sent to MRCC-FALMOUTH" in window.case_log.model.entries[-1].text


def test_a_peer_that_files_but_never_answers_leaves_a_record(
    qtbot, tmp_path: Path, trust_each_other
) -> None:
    """The sender used to roll back: no record, SITREP number reused, while the peer had it."""
    ka, _, case_id = _desks(tmp_path, trust_each_other)
    inbox = tmp_path / "inbox"
    with Desk.open(tmp_path / "a.sqlite") as a, serving(dropping_peer(inbox)) as url:
        dialog = HandoverDialog(a, case_id, keys_dir=ka)
        qtbot.addWidget(dialog)
        dialog.url.setText(url)
        dialog.send_to(url)
        _idle(qtbot, dialog)
        assert len(list(inbox.iterdir())) == 1  # the peer has it
        texts = [e.text for e in a.log.entries(case_id)]
        assert any("with SITREP 1" in t for t in texts)  # recorded as sent, number taken
        assert any(t.endswith("will retry") for t in texts)
        assert "will be retried" in dialog.send_status.text()
        (item,) = a.outbox.items(case_id)
        assert item.state == "failed"
        # The peer comes back as an inbox that knows the package: the retry is recognised.
        (only,) = inbox.iterdir()
        only.rename(inbox / f"{item.package_id}.sarpkg")
    Desk.open(tmp_path / "c.sqlite").close()  # the peer's desk, which trusts A
    with Desk.open(tmp_path / "c.sqlite") as c:
        keyring.set_rcc(c, FALMOUTH, keys_dir=ka)
    trust_each_other((tmp_path / "a.sqlite", ka), (tmp_path / "c.sqlite", ka))
    with Desk.open(tmp_path / "a.sqlite") as a, serving(inbox_peer(inbox, c.path)) as url:
        a.conn.execute("UPDATE outbox SET url = ? WHERE package_id = ?", (url, item.package_id))
        from sarapp.exchange.outbox import deliver_pending

        (retry,) = deliver_pending(a, author="op")
        assert retry.delivered and len(list(inbox.iterdir())) == 1


def test_a_slow_peer_does_not_lock_the_desk(qtbot, tmp_path: Path, trust_each_other) -> None:
    """The send used to hold the desk's write lock while the peer took its time."""
    ka, _, case_id = _desks(tmp_path, trust_each_other)
    failures: list[str] = []

    def other_operator() -> None:  # another desk's coordinator writes meanwhile
        import time

        time.sleep(0.4)
        try:
            with Desk.open(tmp_path / "a.sqlite", busy_timeout_ms=300) as other:
                other.log.append(case_id, "JRCC Stavanger informed by phone", author="op2")
        except Exception as exc:  # the test reports what went wrong
            failures.append(str(exc))

    with Desk.open(tmp_path / "a.sqlite") as a, serving(slow_peer(1.5)) as url:
        dialog = HandoverDialog(a, case_id, keys_dir=ka)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: bool(dialog.preview_text.toPlainText()), timeout=10000)
        writer = threading.Thread(target=other_operator)
        writer.start()
        dialog.send_to(url)
        _idle(qtbot, dialog)
        writer.join()
    assert failures == []


def test_imported_entries_show_where_they_happened(
    qtbot, tmp_path: Path, open_window, monkeypatch, trust_each_other
) -> None:
    """An entry written on the other desk before one written here shows before it."""
    from sarapp.exchange.apply import import_package
    from sarapp.exchange.reader import read_package
    from sarapp.exchange.workflow import send_case

    ka, kb, case_id = _desks(tmp_path, trust_each_other)
    with Desk.open(tmp_path / "a.sqlite") as a, Desk.open(tmp_path / "b.sqlite") as b:
        sent = send_case(a, case_id, keys=keyring.desk_keys(a, ka), to=FALMOUTH, author="op")
        import_package(b, read_package(sent.content, trust=keyring.desk_trust(b)), author="op")
        b.log.append(case_id, "B: helicopter R169 airborne", author="opB")
        send_case(b, case_id, keys=keyring.desk_keys(b, kb), to=ETEL, author="opB",
                  output=tmp_path / "back.sarpkg")  # fmt: skip
    monkeypatch.setenv("SARAPP_KEYS_DIR", str(ka))
    window = open_window(tmp_path / "a.sqlite")
    window.case_list.select(case_id)
    window.store.log.append(case_id, "A: owner called", author="opA")  # later, filed first
    window.apply(window.store.log.append(case_id, "A: weather requested", author="opA"))
    read = read_package((tmp_path / "back.sarpkg").read_bytes(), trust=None)
    window.apply(import_package(window.store, read, author="opA").changes)
    shown = [e.text for e in window.case_log.model.entries]
    assert shown.index("B: helicopter R169 airborne") < shown.index("A: owner called")
