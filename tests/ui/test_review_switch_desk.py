"""Review findings: opening another desk must leave nothing of the previous one working on
its closed file."""

from __future__ import annotations

from sarapp.demo import create_demo_case
from sarapp.store import Desk
from sarapp.ui.plan_panel import PlanPanel


def test_the_plans_tab_does_not_keep_the_previous_desk(qtbot, desk_path, open_window, tmp_path):
    with Desk.open(desk_path) as store:
        create_demo_case(store)
    window = open_window(desk_path)
    assert isinstance(window.case_tabs.widget(2), PlanPanel)
    assert window.switch_desk(tmp_path / "other.sqlite")
    assert window.plan_panel is None
    assert not isinstance(window.case_tabs.widget(2), PlanPanel)
    assert window.case_tabs.tabText(2) == "Plans"


def test_a_drift_running_when_the_desk_is_changed_is_not_kept_in_the_other_desk(
    qtbot, desk_path, open_window, tmp_path
):
    with Desk.open(desk_path) as store:
        create_demo_case(store)
    window = open_window(desk_path)
    panel = window.drift_panel
    panel.particles.setValue(20_000)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    panel.run_button.click()
    assert window.switch_desk(tmp_path / "other.sqlite")
    qtbot.waitUntil(
        lambda: panel.run_button.isEnabledTo(panel) or bool(window.last_error), timeout=60000
    )
    qtbot.wait(200)
    assert "on this desk" not in window.last_error
    assert not panel.cancel_button.isEnabledTo(panel)  # no longer running
