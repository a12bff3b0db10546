"""The worksheet form gives the CLI's figures and files them in the case log."""

from __future__ import annotations

import pytest

from sarapp.planning.iamsar import compute_worksheet
from sarapp.planning.worksheet_json import worksheet_input_from_json
from sarapp.store import Desk


def test_form_computes_the_same_worksheet_as_the_json_input(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        store.cases.create(title="PIW off Cap Corse", author="op")
    window = open_window(desk_path)
    dialog = window.open_worksheet()
    dialog.search_object.setCurrentText("PIW")
    dialog.wind.setValue(12)
    dialog.x.setValue(1)
    dialog.y.setValue(0.5)
    dialog.drift_distance.setValue(6)
    dialog.add_unit(
        name="Dragon 13", unit_type="helicopter", speed_kt=90, endurance_h=2, altitude_ft=500
    )
    ws = dialog.compute()
    assert ws is not None
    expected = compute_worksheet(worksheet_input_from_json(dialog.inputs()))
    assert ws.e_nm == pytest.approx(expected.e_nm)
    assert ws.e_nm == pytest.approx((1**2 + 0.5**2 + (0.3 * 6) ** 2) ** 0.5)
    assert [u.name for u in ws.units] == ["Unit 1", "Dragon 13"]
    assert "E" in dialog.result.toPlainText()
    dialog.log_button.click()
    last = window.store.log.entries(window.current)[-1]
    assert last.text.startswith("IAMSAR worksheet\n") and "Dragon 13" in last.text


def test_bad_input_is_named_and_nothing_is_shown(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    dialog = window.open_worksheet()
    dialog.search_object.setCurrentText("UFO")
    assert dialog.compute() is None
    assert "UFO" in dialog.error.text()
    assert dialog.result.toPlainText() == "" and not dialog.log_button.isEnabled()


def test_the_form_computes_with_its_own_defaults(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    dialog = window.open_worksheet()
    assert dialog.compute() is not None, dialog.error.text()
    assert dialog.error.text() == "" and dialog.log_button.isEnabled()
