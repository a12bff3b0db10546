"""A handover package dropped on the window opens the import preview; the import lands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl

from sarapp.exchange import keyring, keys
from sarapp.model import AlertPhase
from sarapp.store import Store
from sarapp.ui import imports
from sarapp.ui.handover_dialog import HandoverDialog


def test_dropped_package_previews_then_imports(qtbot, tmp_path: Path, open_window, monkeypatch):
    folder = tmp_path / "keys"
    folder.mkdir()
    monkeypatch.setenv("SARAPP_KEYS_DIR", str(folder))
    with Store.open(tmp_path / "a.sqlite") as a, Store.open(tmp_path / "b.sqlite") as b:
        a_keys = keyring.set_rcc(a, keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR"))[0]
        b_keys = keyring.set_rcc(b, keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB"))[0]
        keyring.trust_key(b, keys.read_key_file(keys.public_key_file(a_keys)), author="opB")
        keyring.trust_key(a, keys.read_key_file(keys.public_key_file(b_keys)), author="opA")
        (case_id,) = a.create_case(
            title="Yacht LUNA dismasted", author="op", phase=AlertPhase.ALERFA
        ).cases
        sender = HandoverDialog(a, case_id)
        qtbot.addWidget(sender)
        assert sender.save_to(tmp_path / "luna.sarpkg") is not None
    window = open_window(tmp_path / "b.sqlite")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "luna.sarpkg"))])
    assert imports.drop_mime(window, mime)
    dialog = window.handover_dialog
    assert dialog.preview is not None and window.store.list_cases() == []  # nothing yet
    assert dialog.import_now()
    (case,) = window.store.list_cases()
    assert case.id == case_id and case.title == "Yacht LUNA dismasted"
    assert [c.id for c in window.case_list.model.cases] == [case_id]
