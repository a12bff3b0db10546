"""Review findings: what a worker or an earlier case leaves behind must not show on another."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from sarapp.model import Position
from sarapp.store import Desk


def _two_cases(desk_path) -> tuple[str, str]:
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC), accuracy_m=500)
        (first,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
        other = Position(44.0, 8.0)
        (second,) = store.cases.create(title="Kayak overdue", author="op", lkp=other).cases
    return first, second


def test_a_drift_finishing_after_a_case_switch_lists_no_runs_of_the_other_case(
    qtbot, desk_path, open_window
):
    first, second = _two_cases(desk_path)
    window = open_window(desk_path)
    window.case_list.select(first)
    panel = window.drift_panel
    panel.hours.setValue(24)
    panel.particles.setValue(20_000)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    panel.run_button.click()
    window.case_list.select(second)
    assert window.current == second
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=60000)
    assert [r.id for r in window.store.drift.runs(first)] == [window.chart.last_drift]
    assert panel.case.id == second
    assert panel.runs.count() == 0  # the second case has no run
    assert panel.run_button.isEnabled()


def test_an_unticked_run_is_not_drawn_when_its_recomputation_finishes(
    qtbot, desk_path, open_window
):
    first, _ = _two_cases(desk_path)
    window = open_window(desk_path)
    window.case_list.select(first)
    panel = window.drift_panel
    panel.hours.setValue(6)
    panel.particles.setValue(1000)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=30000)
    panel.runs.item(0).setCheckState(Qt.CheckState.Unchecked)
    panel.runs.item(0).setCheckState(Qt.CheckState.Checked)  # recomputed in a worker…
    panel.runs.item(0).setCheckState(Qt.CheckState.Unchecked)  # …and hidden before it is back
    worker = window.chart.rerun_worker
    qtbot.waitUntil(lambda: worker.thread_.isFinished(), timeout=30000)
    qtbot.wait(100)  # the queued result
    assert window.map_view.drift_layer.products is None
    assert window.chart.shown_drift is None
