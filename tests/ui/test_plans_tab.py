"""The Plans tab as a coordinator uses it: POD, POS and status in view, a CSP on land and a
unit tasked twice warned about, and the worksheet filled from the case, its sub-areas
suggested for the chosen units and tasked."""

from __future__ import annotations

import pytest

from sarapp.store import Desk
from sarapp.ui.plan_panel import PlanPanel
from tests.ui.test_plan_panel import _keep_drift, _task_square


@pytest.fixture
def desk(desk_path):
    from sarapp.model import Position
    from tests.ui.test_plan_panel import LKP_TIME

    store = Desk.open(desk_path)
    lkp = Position(43.0, 9.0, time=LKP_TIME, source="gnss", accuracy_m=926.0)
    (case_id,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
    store.units.add(name="Rescue 22", unit_type="helicopter", speed_kt=120, endurance_h=2.5)
    store.units.add(name="ALB Ajaccio", unit_type="lifeboat", speed_kt=18, endurance_h=6)
    _keep_drift(store, case_id)
    yield store, case_id
    store.close()


@pytest.fixture
def panel(qtbot, desk):
    store, case_id = desk
    widget = PlanPanel(store, case_id)
    qtbot.addWidget(widget)
    widget.resize(440, 900)  # the Plans tab's share of a laptop screen
    widget.show()
    return widget


def test_status_pod_and_pos_columns_are_in_view(qtbot, panel):
    """Before: 'Expanding square (SS)' and the window pushed POD and POS out of view."""
    _task_square(qtbot, panel)
    header = panel.table.horizontalHeader()
    for column in (3, 4, 5):  # Status, POD, POS
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= panel.table.viewport().width()
        text = panel.table.item(0, column).text()
        assert header.sectionSize(column) >= panel.table.fontMetrics().horizontalAdvance(text)


def test_a_csp_on_land_is_warned_about(qtbot, panel):
    panel.csp.setText("42°40.0'N 009°15.0'E")  # inland Corsica
    panel.csp.editingFinished.emit()
    assert "ON LAND" in panel.warning.text()
    panel.csp.setText("43°00.0'N 009°00.0'E")  # at sea
    panel.csp.editingFinished.emit()
    assert panel.warning.text() == ""


def test_a_unit_tasked_twice_in_overlapping_windows_is_warned_about(qtbot, panel, desk):
    _task_square(qtbot, panel)
    panel.start.setText("261800Z NOV 26")  # overlaps 1700–1900
    panel.end.setText("262000Z NOV 26")
    panel.task_button.click()
    assert "already tasked" in panel.warning.text()
    panel.unit.setCurrentText("ALB Ajaccio")
    panel.task_button.click()
    assert "already tasked" not in panel.warning.text()


def test_the_worksheet_is_filled_from_the_case_and_its_suggestion_tasked(qtbot, panel, desk):
    store, case_id = desk
    dialog = panel.open_suggestion()
    qtbot.addWidget(dialog)
    assert dialog.x.value() == pytest.approx(0.5)  # the LKP's 926 m
    assert dialog.de.value() > 0  # from the drift's spread
    names = [dialog.units.cellWidget(r, 0).text() for r in range(dialog.units.rowCount())]
    assert names == ["ALB Ajaccio", "Rescue 22"]
    dialog.search_object.setCurrentText("R4")  # a 4-person raft, in every unit's table
    assert dialog.compute() is not None, dialog.error.text()
    dialog.suggest_button.click()
    qtbot.waitUntil(lambda: dialog.task_button.isEnabled(), timeout=30000)
    tasked = dialog.task_plans()
    assert len(tasked) == 2
    assert {p.unit_name for p in store.plans.for_case(case_id)} == {"ALB Ajaccio", "Rescue 22"}
    assert panel.table.rowCount() == 2


def test_choosing_a_plan_snaps_the_chart_slider_to_its_window(qtbot, desk_path, open_window):
    """The window wires the Plans tab to the chart: the drift shown at the plan's hours."""
    from sarapp.model import Position
    from tests.ui.test_plan_panel import LKP_TIME

    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=LKP_TIME)
        (case_id,) = store.cases.create(title="Liferaft", author="op", lkp=lkp).cases
        _keep_drift(store, case_id)
    window = open_window(desk_path)
    window.case_list.select(case_id)
    qtbot.waitUntil(lambda: window.chart.shown_drift is not None, timeout=30000)
    panel = window.plan_panel
    panel.unit.setCurrentText("Rescue 22")
    panel.start.setText("261500Z NOV 26")  # the drift runs 1400Z–1800Z
    panel.end.setText("261700Z NOV 26")
    assert window.map_view.drift_layer.index == 4  # before: the run's end
    panel.task_button.click()  # the new plan is chosen at once
    assert window.map_view.drift_controls.window is not None
    assert window.map_view.drift_layer.index == 2  # 1600Z: the window's middle, +2 h
