"""The handover dialog, offscreen: send to a file and over HTTP, preview an import before
writing it, refuse a damaged package, answer a proposal. Every core call runs in a worker:
the tests wait for the dialog's signals."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sarapp.exchange import keyring, keys
from sarapp.exchange.inbox import make_inbox_server
from sarapp.exchange.reader import read_package_file
from sarapp.model import AlertPhase, Position
from sarapp.store import Desk
from sarapp.ui.handover_dialog import HandoverDialog

ETEL = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FALMOUTH = keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB")


@pytest.fixture
def two_desks(tmp_path: Path, trust_each_other):
    """Desk A with one case, empty desk B, RCCs that trust each other's key; the keys folder
    (each desk's key under its id) is passed to the dialogs as both ``ka`` and ``kb``."""
    ka = kb = tmp_path / "keys"
    ka.mkdir()
    a, b = Desk.open(tmp_path / "a.sqlite"), Desk.open(tmp_path / "b.sqlite")
    keyring.set_rcc(a, ETEL, keys_dir=ka), keyring.set_rcc(b, FALMOUTH, keys_dir=kb)
    trust_each_other((a.path, ka), (b.path, kb))
    created = a.cases.create(
        title="Yacht LUNA dismasted", author="op", phase=AlertPhase.ALERFA, values={"pob": "3"}
    )
    case_id = next(iter(created.cases))
    a.cases.add_position(case_id, Position(47.2, -4.1, source="reported"), author="op")
    yield a, b, case_id, ka, kb
    a.close()
    b.close()


def _dialog(qtbot, store: Desk, case_id, keys_dir: Path) -> HandoverDialog:
    """The dialog, its first send preview shown (when it has a case)."""
    if case_id is None:
        dialog = HandoverDialog(store, case_id, keys_dir=keys_dir)
    else:
        dialog = HandoverDialog(store, case_id, keys_dir=keys_dir)
        qtbot.waitUntil(lambda: bool(dialog.preview_text.toPlainText()), timeout=10000)
    qtbot.addWidget(dialog)
    return dialog


def save(qtbot, dialog: HandoverDialog, path: Path):
    """Sign and save in the dialog's worker; the SentPackage once recorded and written."""
    with qtbot.waitSignal(dialog.package_sent, timeout=10000) as sent:
        assert dialog.save_to(path) is not None
    qtbot.waitUntil(lambda: dialog.send_worker is None, timeout=10000)
    return sent.args[0]


def load(qtbot, dialog: HandoverDialog, path: Path):
    """Read, verify and plan ``path`` in the import page's worker; the preview or None."""
    with qtbot.waitSignal(dialog.importer.preview_shown, timeout=10000) as shown:
        dialog.importer.load_package(path)
    return shown.args[0]


def import_now(qtbot, dialog: HandoverDialog):
    """Import the previewed package in the worker; the Changes it made."""
    with qtbot.waitSignal(dialog.changes_made, timeout=10000) as changed:
        assert dialog.importer.import_now() is not None
    qtbot.waitUntil(lambda: not dialog.importer.busy, timeout=10000)
    return changed.args[0]


def test_send_page_previews_and_saves_a_signed_package(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, _kb = two_desks
    dialog = _dialog(qtbot, a, case_id, ka)
    assert dialog.peer.itemText(0) == "MRCC-FALMOUTH — MRCC Falmouth"
    preview = dialog.preview_text.toPlainText()
    assert "2 log entries" in preview and "1 positions" in preview
    assert "URGENCY" in preview or "DISTRESS" in preview  # the SITREP as it will be sent
    with qtbot.waitSignal(dialog.changes_made) as changed:
        sent = save(qtbot, dialog, tmp_path / "out.sarpkg")
    assert changed.args[0].packages == (sent.package_id,)
    assert sent is not None and "saved" in dialog.send_status.text()
    read = read_package_file(tmp_path / "out.sarpkg", trust=keyring.desk_trust(b))
    assert read.signature.status.value == "valid-and-trusted"
    assert read.header["to"]["id"] == "MRCC-FALMOUTH" and read.body["sitrep"]
    assert "sent to MRCC-FALMOUTH" in a.log.entries(case_id)[-1].text


def test_a_proposal_keeps_this_rcc_coordinating(qtbot, two_desks, tmp_path) -> None:
    a, _, case_id, ka, _ = two_desks
    dialog = _dialog(qtbot, a, case_id, ka)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("request-coordination"))
    sent = save(qtbot, dialog, tmp_path / "proposal.sarpkg")
    assert sent.document["header"]["purpose"] == "request-coordination"
    assert a.coordination.coordinator(case_id).rcc_id == "MRCC-ETEL"
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000) as ready:
        pass  # the preview is rebuilt after a send
    assert "Coordinating RCC: MRCC-ETEL" in ready.args[0]


def test_send_over_http_to_a_peer_inbox(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, _kb = two_desks
    server = make_inbox_server(desk=b.path, inbox_dir=tmp_path / "inbox")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dialog = _dialog(qtbot, a, case_id, ka)
        host, port = server.server_address[:2]
        dialog.url.setText(f"http://{host}:{port}/packages")
        with qtbot.waitSignal(dialog.delivery_done, timeout=10000) as done:
            dialog.send_to(dialog.url.text())
        assert done.args[0].delivered and "delivered" in dialog.send_status.text()
        sent = dialog.last_sent
        assert (tmp_path / "inbox" / f"{sent.package_id}.sarpkg").exists()
        with qtbot.waitSignal(dialog.delivery_done, timeout=10000) as refused:
            dialog.send_to(f"http://{host}:{port}/nowhere")  # refused by the peer
        assert not refused.args[0].delivered and "will be retried" in dialog.send_status.text()
        assert a.outbox.item(refused.args[0].package_id).state == "failed"
    finally:
        server.shutdown()
        server.server_close()


def test_import_shows_the_changes_before_writing(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    save(qtbot, _dialog(qtbot, a, case_id, ka), tmp_path / "p.sarpkg")
    dialog = _dialog(qtbot, b, None, kb)
    assert dialog.tabs.currentIndex() == 1 and not dialog.tabs.isTabEnabled(0)
    before = list(b.conn.iterdump())
    preview = load(qtbot, dialog, tmp_path / "p.sarpkg")
    page = dialog.importer
    assert preview is not None and preview.plan.new_case
    assert "valid-and-trusted by MRCC-ETEL" in page.signature_label.text()
    assert "New case on this desk: Yacht LUNA dismasted" in page.summary_label.text()
    assert "3 log entries, 1 positions" in page.summary_label.text()
    assert list(b.conn.iterdump()) == before  # nothing written by the preview
    page.cancel_button.click()
    assert not page.import_button.isEnabled() and list(b.conn.iterdump()) == before
    load(qtbot, dialog, tmp_path / "p.sarpkg")
    changes = import_now(qtbot, dialog)
    assert changes.created and b.cases.get(case_id).title == "Yacht LUNA dismasted"


def test_conflicts_are_listed_with_both_values(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    save(qtbot, _dialog(qtbot, a, case_id, ka), tmp_path / "p1.sarpkg")
    importer = _dialog(qtbot, b, None, kb)
    load(qtbot, importer, tmp_path / "p1.sarpkg")
    import_now(qtbot, importer)
    a.cases.set_field(case_id, "pob", "5", author="op")
    b.cases.set_field(case_id, "pob", "4", author="op")  # both desks changed it: a conflict
    save(qtbot, _dialog(qtbot, a, case_id, ka), tmp_path / "p2.sarpkg")
    load(qtbot, importer, tmp_path / "p2.sarpkg")
    cells = [importer.importer.conflicts.item(0, c).text() for c in range(4)]
    assert cells == ["pob", "4", "5", "kept local value"]


def test_a_damaged_package_is_refused_with_the_reason(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    save(qtbot, _dialog(qtbot, a, case_id, ka), tmp_path / "p.sarpkg")
    content = (tmp_path / "p.sarpkg").read_bytes().replace(b"dismasted", b"DISMASTED")
    (tmp_path / "bad.sarpkg").write_bytes(content)
    dialog = _dialog(qtbot, b, None, kb)
    assert load(qtbot, dialog, tmp_path / "bad.sarpkg") is None
    page = dialog.importer
    shown = page.signature_label.text() + page.summary_label.text()
    assert "Refused" in shown and "altered" in shown  # the reason, from the hash chain check
    assert not page.import_button.isEnabled() and b.cases.list() == []


def test_a_received_proposal_is_answered_from_the_import_page(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    sender = _dialog(qtbot, a, case_id, ka)
    sender.purpose.setCurrentIndex(sender.purpose.findData("request-coordination"))
    save(qtbot, sender, tmp_path / "proposal.sarpkg")
    dialog = _dialog(qtbot, b, None, kb)
    load(qtbot, dialog, tmp_path / "proposal.sarpkg")
    page = dialog.importer
    assert not page.accept_button.isHidden()  # answering imports it first
    with qtbot.waitSignal(dialog.changes_made, timeout=10000) as changed:
        page.answer_to(tmp_path / "answer.sarpkg", accept=True, smc="SMC Pengelly")
    assert changed.args[0].created and changed.args[0].coordination == {case_id}
    assert page.last_answer.document["header"]["purpose"] == "acceptance"
    assert b.coordination.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"
    assert b.cases.get(case_id).smc == "SMC Pengelly"
    back = _dialog(qtbot, a, None, ka)
    load(qtbot, back, tmp_path / "answer.sarpkg")
    import_now(qtbot, back)
    assert a.coordination.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"
    assert a.cases.get(case_id).smc == "SMC Pengelly"


def test_attachments_chosen_in_the_dialog_travel_with_the_package(qtbot, two_desks, tmp_path):
    a, _, case_id, ka, _kb = two_desks
    photo = tmp_path / "liferaft photo (1).jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 fake jpeg " * 50)
    dialog = _dialog(qtbot, a, case_id, ka)
    assert not dialog.add_attachments([tmp_path / "missing.pdf"])
    assert "cannot read" in dialog.send_status.text()
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000) as ready:
        assert dialog.add_attachments([photo])
    assert "1 attachments" in ready.args[0]
    assert save(qtbot, dialog, tmp_path / "with-photo.sarpkg") is not None
    read = read_package_file(tmp_path / "with-photo.sarpkg", trust=None)
    (attached,) = read.body["attachments"]
    assert attached["name"] == "liferaft photo _1_.jpg" and attached["media_type"] == "image/jpeg"
    assert attached["size"] == photo.stat().st_size


def test_the_persons_data_goes_as_the_purpose_says(qtbot, two_desks, tmp_path) -> None:
    """Information to a flag state carries counts and statuses; the tick needs a reason and
    then carries the names; a handover of coordination carries them with no tick."""
    a, _b, case_id, ka, _kb = two_desks
    a.persons.add(case_id, {"name": "Jan Jansen", "status": "rescued"}, author="op")
    dialog = _dialog(qtbot, a, case_id, ka)
    assert dialog.data_purpose.currentData() == "flag-state"
    qtbot.waitUntil(lambda: "counts and statuses only" in dialog.preview_text.toPlainText(),
                    timeout=10000)  # fmt: skip
    sent = save(qtbot, dialog, tmp_path / "info.sarpkg")
    assert sent.document["header"]["data_protection"]["personal_data"] is False
    assert b"Jansen" not in (tmp_path / "info.sarpkg").read_bytes()
    dialog.include_personal.setChecked(True)
    assert dialog.save_to(tmp_path / "none.sarpkg") is None
    assert "needs a reason" in dialog.send_status.text()
    dialog.personal_reason.setText("the family asked the flag state")
    sent = save(qtbot, dialog, tmp_path / "named.sarpkg")
    assert sent.document["header"]["data_protection"]["reason"] == "the family asked the flag state"
    assert b"Jansen" in (tmp_path / "named.sarpkg").read_bytes()
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("request-coordination"))
    assert dialog.data_purpose.currentData() == "coordination"
    assert not dialog.data_purpose.isEnabled() and not dialog.include_personal.isEnabled()
