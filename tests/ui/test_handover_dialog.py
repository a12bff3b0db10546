"""The handover dialog, offscreen: send to a file and over HTTP, preview an import before
writing it, refuse a damaged package, answer a proposal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sarapp.exchange import keyring, keys
from sarapp.exchange.inbox import make_inbox_server
from sarapp.exchange.reader import read_package_file
from sarapp.model import AlertPhase, Position
from sarapp.store import Store
from sarapp.ui.handover_dialog import HandoverDialog

ETEL = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FALMOUTH = keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB")


@pytest.fixture
def two_desks(tmp_path: Path):
    """Desk A with one case, empty desk B, RCCs that trust each other's key; the keys folder
    (each desk's key under its id) is passed to the dialogs as both ``ka`` and ``kb``."""
    ka = kb = tmp_path / "keys"
    ka.mkdir()
    a, b = Store.open(tmp_path / "a.sqlite"), Store.open(tmp_path / "b.sqlite")
    a_keys = keyring.set_rcc(a, ETEL, keys_dir=ka)[0]
    b_keys = keyring.set_rcc(b, FALMOUTH, keys_dir=kb)[0]
    keyring.trust_key(a, keys.read_key_file(keys.public_key_file(b_keys)), author="opA")
    keyring.trust_key(b, keys.read_key_file(keys.public_key_file(a_keys)), author="opB")
    created = a.create_case(
        title="Yacht LUNA dismasted", author="op", phase=AlertPhase.ALERFA, values={"pob": "3"}
    )
    case_id = next(iter(created.cases))
    a.add_position(case_id, Position(47.2, -4.1, source="reported"), author="op")
    yield a, b, case_id, ka, kb
    a.close()
    b.close()


def _dialog(qtbot, store: Store, case_id, keys_dir: Path) -> HandoverDialog:
    dialog = HandoverDialog(store, case_id, keys_dir=keys_dir)
    qtbot.addWidget(dialog)
    return dialog


def test_send_page_previews_and_saves_a_signed_package(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, _kb = two_desks
    dialog = _dialog(qtbot, a, case_id, ka)
    assert dialog.peer.itemText(0) == "MRCC-FALMOUTH — MRCC Falmouth"
    preview = dialog.preview_text.toPlainText()
    assert "2 log entries" in preview and "1 positions" in preview
    assert "URGENCY" in preview or "DISTRESS" in preview  # the SITREP as it will be sent
    with qtbot.waitSignal(dialog.changes_made):
        sent = dialog.save_to(tmp_path / "out.sarpkg")
    assert sent is not None and "out.sarpkg" in dialog.send_status.text()
    read = read_package_file(tmp_path / "out.sarpkg", trust=keyring.desk_trust(b))
    assert read.signature.status.value == "valid-and-trusted"
    assert read.header["to"]["id"] == "MRCC-FALMOUTH" and read.body["sitrep"]
    assert "sent to MRCC-FALMOUTH" in a.log(case_id)[-1].text


def test_a_proposal_keeps_this_rcc_coordinating(qtbot, two_desks, tmp_path) -> None:
    a, _, case_id, ka, _ = two_desks
    dialog = _dialog(qtbot, a, case_id, ka)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("request-coordination"))
    sent = dialog.save_to(tmp_path / "proposal.sarpkg")
    assert sent.document["header"]["purpose"] == "request-coordination"
    assert a.coordinator(case_id).rcc_id == "MRCC-ETEL"
    assert "Coordinating RCC: MRCC-ETEL" in dialog.preview_text.toPlainText()


def test_send_over_http_to_a_peer_inbox(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, _kb = two_desks
    server = make_inbox_server(desk=b.path, inbox_dir=tmp_path / "inbox")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dialog = _dialog(qtbot, a, case_id, ka)
        host, port = server.server_address[:2]
        dialog.url.setText(f"http://{host}:{port}/packages")
        sent = dialog.send_to(dialog.url.text())
        assert sent is not None
        assert (tmp_path / "inbox" / f"{sent.package_id}.sarpkg").exists()
        before = len(a.log(case_id))
        assert dialog.send_to(f"http://{host}:{port}/nowhere") is None  # refused by the peer
        assert "Not sent" in dialog.send_status.text() and len(a.log(case_id)) == before
    finally:
        server.shutdown()
        server.server_close()


def test_import_shows_the_changes_before_writing(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    _dialog(qtbot, a, case_id, ka).save_to(tmp_path / "p.sarpkg")
    dialog = _dialog(qtbot, b, None, kb)
    assert dialog.tabs.currentIndex() == 1 and not dialog.tabs.isTabEnabled(0)
    before = list(b.conn.iterdump())
    preview = dialog.load_package(tmp_path / "p.sarpkg")
    assert preview is not None and preview.plan.new_case
    assert "valid-and-trusted by MRCC-ETEL" in dialog.signature_label.text()
    assert "New case on this desk: Yacht LUNA dismasted" in dialog.summary_label.text()
    assert "3 log entries, 1 positions" in dialog.summary_label.text()
    assert list(b.conn.iterdump()) == before  # nothing written by the preview
    dialog.cancel_button.click()
    assert not dialog.import_button.isEnabled() and list(b.conn.iterdump()) == before
    dialog.load_package(tmp_path / "p.sarpkg")
    with qtbot.waitSignal(dialog.changes_made) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].created and b.get_case(case_id).title == "Yacht LUNA dismasted"


def test_conflicts_are_listed_with_both_values(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    _dialog(qtbot, a, case_id, ka).save_to(tmp_path / "p1.sarpkg")
    importer = _dialog(qtbot, b, None, kb)
    importer.load_package(tmp_path / "p1.sarpkg")
    importer.import_now()
    a.set_field(case_id, "pob", "5", author="op")
    _dialog(qtbot, a, case_id, ka).save_to(tmp_path / "p2.sarpkg")
    importer.load_package(tmp_path / "p2.sarpkg")
    cells = [importer.conflicts.item(0, c).text() for c in range(4)]
    assert cells == ["pob", "3", "5", "kept local value"]


def test_a_damaged_package_is_refused_with_the_reason(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    _dialog(qtbot, a, case_id, ka).save_to(tmp_path / "p.sarpkg")
    content = (tmp_path / "p.sarpkg").read_bytes().replace(b"dismasted", b"DISMASTED")
    (tmp_path / "bad.sarpkg").write_bytes(content)
    dialog = _dialog(qtbot, b, None, kb)
    assert dialog.load_package(tmp_path / "bad.sarpkg") is None
    shown = dialog.signature_label.text() + dialog.summary_label.text()
    assert "Refused" in shown and "altered" in shown  # the reason, from the hash chain check
    assert not dialog.import_button.isEnabled() and b.list_cases() == []


def test_a_received_proposal_is_answered_from_the_import_page(qtbot, two_desks, tmp_path) -> None:
    a, b, case_id, ka, kb = two_desks
    sender = _dialog(qtbot, a, case_id, ka)
    sender.purpose.setCurrentIndex(sender.purpose.findData("request-coordination"))
    sender.save_to(tmp_path / "proposal.sarpkg")
    dialog = _dialog(qtbot, b, None, kb)
    dialog.load_package(tmp_path / "proposal.sarpkg")
    assert dialog.accept_button.isHidden()
    dialog.import_now()
    assert not dialog.accept_button.isHidden()
    answer = dialog.answer_to(tmp_path / "answer.sarpkg", accept=True)
    assert answer.document["header"]["purpose"] == "acceptance"
    assert b.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"
    back = _dialog(qtbot, a, None, ka)
    back.load_package(tmp_path / "answer.sarpkg")
    back.import_now()
    assert a.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"


def test_attachments_chosen_in_the_dialog_travel_with_the_package(qtbot, two_desks, tmp_path):
    a, _, case_id, ka, _kb = two_desks
    photo = tmp_path / "liferaft photo (1).jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 fake jpeg " * 50)
    dialog = _dialog(qtbot, a, case_id, ka)
    assert not dialog.add_attachments([tmp_path / "missing.pdf"])
    assert "cannot read" in dialog.send_status.text()
    assert dialog.add_attachments([photo])
    assert "1 attachments" in dialog.preview_text.toPlainText()
    assert dialog.save_to(tmp_path / "with-photo.sarpkg") is not None
    read = read_package_file(tmp_path / "with-photo.sarpkg", trust=None)
    (attached,) = read.body["attachments"]
    assert attached["name"] == "liferaft photo _1_.jpg" and attached["media_type"] == "image/jpeg"
    assert attached["size"] == photo.stat().st_size
