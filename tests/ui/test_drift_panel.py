"""A drift from the case view: run in a worker, kept with the case, listed, cancellable."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.model import Position
from sarapp.store import Desk


def _case_with_lkp(desk_path) -> str:
    with Desk.open(desk_path) as store:
        lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC), accuracy_m=500)
        (case_id,) = store.cases.create(title="Liferaft adrift", author="op", lkp=lkp).cases
    return case_id


def test_drift_runs_in_a_worker_and_is_kept_with_the_case(qtbot, desk_path, open_window):
    case_id = _case_with_lkp(desk_path)
    window = open_window(desk_path)
    panel = window.drift_panel
    assert panel.position.text() == "43.00000, 9.00000"
    assert panel.start.text() == "261430Z NOV 26" and panel.radius.value() == 500
    qtbot.keyClicks(panel.search, "raft")
    assert "raft" in panel.category.currentText().lower()
    panel.hours.setValue(6)
    panel.particles.setValue(1000)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    panel.wind_from.setValue(0)  # from the north: the raft goes south
    panel.current_kt.setValue(0)
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=20000)
    (record,) = window.store.drift.runs(case_id)
    assert record.id == window.chart.last_drift
    assert record.summary["final"]["centroid"]["lat"] < 43.0
    assert panel.runs.count() == 1 and panel.run_button.isEnabled()
    assert window.store.log.entries(case_id)[-1].text.startswith("Leeway drift:")


def test_bad_seeding_is_named_and_nothing_runs(qtbot, desk_path, open_window):
    _case_with_lkp(desk_path)
    window = open_window(desk_path)
    window.drift_panel.position.setText("91N 9E")
    window.drift_panel.run_button.click()
    assert "latitude" in window.drift_panel.error.text()
    assert window.chart.drift_worker is None


def test_a_cancelled_drift_keeps_nothing(qtbot, desk_path, open_window):
    case_id = _case_with_lkp(desk_path)
    window = open_window(desk_path)
    panel = window.drift_panel
    panel.hours.setValue(240)
    panel.particles.setValue(200_000)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    panel.run_button.click()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: panel.run_button.isEnabled(), timeout=30000)
    assert window.store.drift.runs(case_id) == []


def test_finished_and_kept_runs_show_on_the_chart(qtbot, desk_path, open_window):
    case_id = _case_with_lkp(desk_path)
    window = open_window(desk_path)
    panel = window.drift_panel
    panel.hours.setValue(3)
    panel.particles.setValue(500)
    panel.wind_from.setValue(0)  # an observed wind: the form starts empty
    panel.wind_kt.setValue(15)
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=20000)
    shown = window.map_view.drift_layer.products
    assert shown is not None and shown.particle_count == 500
    first_final = (shown.datum_lat[-1], shown.datum_lon[-1])
    window.map_view.set_drift(None)
    item = panel.runs.item(0)
    item.setCheckState(item.checkState().Unchecked)
    item.setCheckState(item.checkState().Checked)  # show the kept run again: rerun by seed
    qtbot.waitUntil(lambda: window.chart.shown_drift == window.chart.last_drift, timeout=20000)
    again = window.map_view.drift_layer.products
    assert (again.datum_lat[-1], again.datum_lon[-1]) == first_final
    assert window.store.drift.runs(case_id)[0].id == window.chart.last_drift
