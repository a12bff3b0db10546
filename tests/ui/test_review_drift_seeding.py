"""Review findings: the drift seeding must follow the case on screen and its latest LKP."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.drift.params import PARAM_SPECS
from sarapp.model import Position
from sarapp.store import Desk


def _two_cases(desk_path) -> tuple[str, str]:
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC), accuracy_m=500)
        (first,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
        (second,) = store.cases.create(title="Kayak overdue", author="op").cases
    return first, second


def test_a_case_without_lkp_does_not_inherit_the_drift_seeding_of_the_previous_one(
    qtbot, desk_path, open_window
):
    first, second = _two_cases(desk_path)
    window = open_window(desk_path)
    window.case_list.select(first)
    assert window.drift_panel.position.text() == "43.00000, 9.00000"
    window.case_list.select(second)
    assert window.drift_panel.position.text() == ""
    assert window.drift_panel.start.text() == ""
    assert window.drift_panel.radius.value() == PARAM_SPECS["radius_m"].default  # not the 500


def test_a_reported_position_reseeds_the_drift_from_the_new_lkp(qtbot, desk_path, open_window):
    first, _ = _two_cases(desk_path)
    window = open_window(desk_path)
    window.case_list.select(first)
    form = window.case_form
    form.position_text.setText("4330N 00930E")
    form.position_time.setText("261600Z NOV 26")
    form.position_button.click()
    assert window.store.cases.get(first).lkp.lat == 43.5
    assert window.drift_panel.position.text() == "43.50000, 9.50000"
    assert window.drift_panel.start.text() == "261600Z NOV 26"


def test_a_drift_form_edited_by_hand_is_kept_when_only_the_log_changes(
    qtbot, desk_path, open_window
):
    first, _ = _two_cases(desk_path)
    window = open_window(desk_path)
    window.case_list.select(first)
    window.drift_panel.position.setText("43.2, 9.1")
    window._on_entry_typed("Helicopter Rescue 22 airborne")
    assert window.drift_panel.position.text() == "43.2, 9.1"
