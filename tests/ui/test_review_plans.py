"""Review findings: the Plans tab's POS follows the case's latest kept drift, and says what
it is doing."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.model import Position
from sarapp.planning.tasking import task_unit
from sarapp.store import Desk


def _case_with_plan(desk_path) -> str:
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC), accuracy_m=500)
        (case_id,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
        task_unit(
            store,
            case_id,
            unit="SNS 061",
            kind="expanding-square",
            csp=(43.0, 9.0),
            course_deg=0,
            spacing_nm=1,
            pod=0.5,
            legs=8,
            author="op",
        )
    return case_id


def _run_small_drift(qtbot, window) -> str:
    panel = window.drift_panel
    panel.hours.setValue(3)
    panel.particles.setValue(500)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    before = window.chart.last_drift
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.chart.last_drift not in (None, before), timeout=30000)
    return window.chart.last_drift


def test_a_new_drift_of_the_case_recomputes_pos_on_it(qtbot, desk_path, open_window):
    case_id = _case_with_plan(desk_path)
    window = open_window(desk_path)
    window.case_list.select(case_id)
    first = _run_small_drift(qtbot, window)
    plans = window.plan_panel
    qtbot.waitUntil(
        lambda: plans.pos is not None and plans.pos.drift_run_id == first, timeout=30000
    )
    second = _run_small_drift(qtbot, window)
    qtbot.waitUntil(
        lambda: plans.pos is not None and plans.pos.drift_run_id == second, timeout=30000
    )


def test_a_case_with_a_drift_but_no_plan_is_not_told_it_has_no_drift(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC))
        (case_id,) = store.cases.create(title="Kayak overdue", author="op", lkp=lkp).cases
    window = open_window(desk_path)
    window.case_list.select(case_id)
    assert "No kept drift" in window.plan_panel.summary.text()
    _run_small_drift(qtbot, window)
    window.case_list.select(case_id)
    window._show_plans(case_id)  # as when the case is selected again
    assert "No kept drift" not in window.plan_panel.summary.text()
    assert "plan" in window.plan_panel.summary.text()
