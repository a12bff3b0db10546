"""Review finding: the New position line kept what was typed for the previous case."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.model import Position
from sarapp.store import Desk


def _two_cases(desk_path) -> tuple[str, str]:
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC), accuracy_m=500)
        (first,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
        (second,) = store.cases.create(title="Kayak overdue", author="op").cases
    return first, second


def test_a_position_typed_for_one_case_is_not_left_for_the_next(qtbot, desk_path, open_window):
    first, second = _two_cases(desk_path)
    window = open_window(desk_path)
    window.case_list.select(first)
    window.case_form.position_text.setText("95N 5E")
    window.case_form.position_button.click()
    assert window.case_form.position_error.isVisible()
    window.case_list.select(second)
    assert window.case_form.position_text.text() == ""
    assert window.case_form.position_error.isHidden()
