"""Case → Take on a laptop at the centre, and File → Sync with the centre on the laptop: a sync
in a worker with progress and a summary, one cancelled before it began, then completed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from sarapp.exchange import keyring
from sarapp.model import Rcc
from sarapp.store import Desk
from sarapp.ui.sync_dialog import open_laptop_cases, open_sync


@pytest.fixture
def centre_path(desk_path: Path, tmp_path: Path) -> Path:
    with Desk.open(desk_path) as centre:
        keyring.set_rcc(centre, Rcc("MRCC-ETEL", "MRCC Etel"))
        for title in ("FV Marie-Jo", "Kayaker overdue"):
            centre.cases.create(title=title, author="op1")
    return desk_path


@pytest.fixture
def laptop_path(empty_desk_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(empty_desk_file, path)
    with Desk.open(path) as laptop:
        keyring.set_rcc(laptop, Rcc("FIELD-1", "SAR team 1"))
    return path


def _give_first_case(window) -> str:
    dialog = open_laptop_cases(window)
    dialog.laptop.setCurrentText("FIELD-1")
    first = dialog.cases.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    assert dialog.save() is not None
    assert "FIELD-1 carries 1 case (1 given, 0 taken back)" in dialog.message.text()
    dialog.close()
    return first.data(Qt.ItemDataRole.UserRole)


def test_centre_gives_a_case_and_the_laptop_syncs_it_with_a_summary(
    qtbot, open_window, centre_path, laptop_path
):
    centre = open_window(centre_path)
    assert "Take on a &laptop…" in [
        a.text() for a in centre.menuBar().actions()[1].menu().actions()
    ]
    case_id = _give_first_case(centre)
    assert centre.store.sync.given("FIELD-1") == [case_id]

    laptop = open_window(laptop_path)
    assert laptop.case_list.model.cases == []
    file_menu = [a.text() for a in laptop.menuBar().actions()[0].menu().actions()]
    handover = file_menu.index("&Handover between RCCs…")
    assert file_menu[handover + 1] == "S&ync with the centre…"
    dialog = open_sync(laptop)
    dialog.centre.setText(str(centre_path))
    with qtbot.waitSignal(dialog.finished_sync, timeout=30000) as done:
        dialog.start()
    assert done.args[0] is not None, dialog.status.text()
    assert "came from MRCC-ETEL: the case itself" in dialog.summary.toPlainText()
    assert dialog.progress.value() == dialog.progress.maximum() == 1
    assert [c.id for c in laptop.case_list.model.cases] == [case_id]  # applied to the views


def test_a_cancelled_sync_changes_nothing_and_the_next_completes_it(
    qtbot, open_window, centre_path, laptop_path
):
    _give_first_case(open_window(centre_path))
    laptop = open_window(laptop_path)
    dialog = open_sync(laptop)
    dialog.centre.setText(str(centre_path))
    with qtbot.waitSignal(dialog.finished_sync, timeout=30000) as stopped:
        dialog.start()
        dialog.cancel()  # before its first case: the worker stops at its first step
    assert stopped.args[0] is None
    assert "cancelled" in dialog.status.text() and dialog.sync_button.isEnabled()
    assert laptop.store.cases.list() == []
    with qtbot.waitSignal(dialog.finished_sync, timeout=30000) as done:
        dialog.start()
    assert done.args[0] is not None and len(laptop.store.cases.list()) == 1


def test_a_centre_that_cannot_be_reached_is_said_in_one_line(
    qtbot, open_window, laptop_path, tmp_path
):
    dialog = open_sync(open_window(laptop_path))
    dialog.centre.setText(str(tmp_path / "nowhere" / "centre.sqlite"))
    with qtbot.waitSignal(dialog.finished_sync, timeout=30000):
        dialog.start()
    assert dialog.status.text().startswith("Sync stopped: ")
    assert dialog.sync_button.isEnabled()
