"""Tasking a unit from the Plans tab draws the plan on the chart and logs it."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.model import Position
from sarapp.store import Desk


def test_plan_tasked_in_the_window_is_drawn_and_logged(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 0, tzinfo=UTC))
        (case_id,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
        store.units.add(name="Rescue 22", unit_type="helicopter")
    window = open_window(desk_path)
    panel = window.plan_panel
    assert panel is not None and panel.case_id == case_id
    panel.unit.setCurrentText("Rescue 22")
    panel.kind.setCurrentIndex(panel.kind.findData("expanding-square"))
    panel.spacing.setValue(0.5)
    panel.legs.setValue(8)
    panel.pod.setValue(0.7)
    with qtbot.waitSignal(panel.plans_changed, timeout=20000):
        panel.task_button.click()
    (shape,) = window.map_view.plans_layer.shapes
    assert shape.unit_name == "Rescue 22" and shape.status == "planned"
    assert window.case_log.model.entries[-1].text.startswith("Rescue 22 tasked")
    assert "search area (planned)" in [e.text for e in window.map_view.plans_layer.legend()]


def test_a_tasking_is_applied_once(qtbot, desk_path, open_window, monkeypatch):
    """The panel's change used to redraw the chart's plans twice (its own signal, then the
    window's refresh of the case)."""
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 0, tzinfo=UTC))
        store.cases.create(title="Liferaft adrift", author="op", lkp=lkp)
    window = open_window(desk_path)
    redraws, refreshes = [], []
    draw, refresh = window.chart.refresh_plans, window.refresh_cases
    monkeypatch.setattr(window.chart, "refresh_plans", lambda c: (redraws.append(c), draw(c)))
    monkeypatch.setattr(window, "refresh_cases", lambda: (refreshes.append(1), refresh()))
    panel = window.plan_panel
    panel.unit.setCurrentText("Rescue 22")
    panel.kind.setCurrentIndex(panel.kind.findData("expanding-square"))
    panel.spacing.setValue(0.5)
    panel.legs.setValue(8)
    with qtbot.waitSignal(panel.plans_changed, timeout=20000):
        panel.task_button.click()
    assert (len(redraws), len(refreshes)) == (1, 1)
    assert len(window.map_view.plans_layer.shapes) == 1
