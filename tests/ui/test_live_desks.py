"""Live across the watch: two app windows on one desk (the same SQLite file, or one
PostgreSQL database) see each other's changes without a manual refresh, and a field edited on
both is a conflict the second officer settles."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sarapp.model import EntryKind
from sarapp.store import Desk
from sarapp.ui import settings

LIVE_TIMEOUT_MS = 5000  # generous for a loaded CI machine; the feed itself takes ~50 ms


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, desk_path):
    """One desk two windows open: a SQLite file, or a PostgreSQL database."""
    return desk_path if request.param == "sqlite" else request.getfixturevalue("pg_desk")


def _two_windows(open_window, location):
    with Desk.open(location) as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo taking water", author="op1").cases
    first, second = open_window(location), open_window(location)
    for window in (first, second):
        window.case_list.select(case_id)
        assert window.current == case_id
    return first, second, case_id


def _log_texts(window) -> list[str]:
    return [entry.text for entry in window.case_log.model.entries]


def _type(qtbot, line_edit, text: str) -> None:
    """Type as an officer does (the line edit then counts as modified)."""
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)


def test_an_entry_added_in_one_window_appears_in_the_others_log(qtbot, open_window, location):
    first, second, _ = _two_windows(open_window, location)
    first.case_log.quick_entry.setText("Dragon 13 on scene")
    qtbot.keyClick(first.case_log.quick_entry, Qt.Key.Key_Return)
    assert "Dragon 13 on scene" in _log_texts(first)
    qtbot.waitUntil(lambda: "Dragon 13 on scene" in _log_texts(second), timeout=LIVE_TIMEOUT_MS)
    first.set_phase("DETRESFA")  # a phase: the other's form and list follow
    qtbot.waitUntil(
        lambda: second.case_form.phase.currentData() == "DETRESFA", timeout=LIVE_TIMEOUT_MS
    )
    assert second.case_list.model.cases[0].phase.value == "DETRESFA"
    assert _log_texts(second).count("Dragon 13 on scene") == 1  # applied once


def test_a_field_edited_in_one_window_shows_in_the_other_without_clobbering_typing(
    qtbot, open_window, location
):
    first, second, _ = _two_windows(open_window, location)
    vessel = second.case_form.editors["vessel_name"].edit
    _type(qtbot, vessel, "Marie J")  # the second officer is typing the vessel's name
    first.case_form.editors["pob"].edit.setText("4")
    first.case_form.editors["pob"].edit.editingFinished.emit()
    first.case_form.editors["vessel_name"].edit.setText("MARIE-JO")
    first.case_form.editors["vessel_name"].edit.editingFinished.emit()
    qtbot.waitUntil(
        lambda: second.case_form.editors["pob"].edit.text() == "4", timeout=LIVE_TIMEOUT_MS
    )
    qtbot.waitUntil(lambda: second.case_form.case.vessel_name == "MARIE-JO")
    assert vessel.text() == "Marie J"  # what the officer types stays under their fingers
    assert second.case_form.seen["vessel_name"] == ""  # and what they saw is remembered
    assert second.case_form.seen["pob"] == 4


def test_the_same_field_saved_in_two_windows_shows_both_values_and_keeps_the_choice(
    qtbot, open_window, location
):
    first, second, case_id = _two_windows(open_window, location)
    pob = second.case_form.editors["pob"].edit
    _type(qtbot, pob, "5")  # the second officer counts five
    settings.set_operator_name("Officer Ana")
    first.case_form.editors["pob"].edit.setText("4")  # the first saves four meanwhile
    first.case_form.editors["pob"].edit.editingFinished.emit()
    qtbot.waitUntil(lambda: second.case_form.case.pob == 4, timeout=LIVE_TIMEOUT_MS)
    assert pob.text() == "5"
    settings.set_operator_name("Officer Ben")
    qtbot.keyClick(pob, Qt.Key.Key_Return)
    dialog = second.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    shown = {caption: label.text() for caption, label in dialog.values.items()}
    assert shown == {"You saw": "<b>(empty)</b>", "Stored now": "<b>4</b>",
                     "You entered": "<b>5</b>"}  # fmt: skip
    intro = dialog.findChildren(type(dialog.values["You saw"]))[0].text()
    login = " (login postgres)" if isinstance(location, str) else ""  # the server's record
    assert f"Officer Ana{login} changed it at" in intro
    with Desk.open(location) as desk:
        assert desk.cases.get(case_id).pob == 4  # nothing saved before the choice
    dialog.mine_button.click()
    assert second.conflict_dialog is None
    with Desk.open(location) as desk:
        assert desk.cases.get(case_id).pob == 5
        fields = [e for e in desk.log.entries(case_id) if e.kind is EntryKind.FIELD]
        assert [(e.author, e.data["old"], e.data["new"]) for e in fields] == [
            ("Officer Ana", None, 4), ("Officer Ben", 4, 5)]  # fmt: skip
        assert desk.check().ok
    assert pob.text() == "5" and not pob.isModified()
    qtbot.waitUntil(lambda: first.case_form.case.pob == 5, timeout=LIVE_TIMEOUT_MS)


def test_taking_the_stored_value_logs_the_one_not_saved(qtbot, open_window, desk_path):
    first, second, case_id = _two_windows(open_window, desk_path)
    vessel = second.case_form.editors["vessel_name"].edit
    _type(qtbot, vessel, "MARIE JO")
    first.case_form.editors["vessel_name"].edit.setText("MARIE-JO")
    first.case_form.editors["vessel_name"].edit.editingFinished.emit()
    qtbot.waitUntil(lambda: second.case_form.case.vessel_name == "MARIE-JO")
    qtbot.keyClick(vessel, Qt.Key.Key_Return)
    second.conflict_dialog.stored_button.click()
    assert vessel.text() == "MARIE-JO" and not vessel.isModified()
    with Desk.open(desk_path) as desk:
        assert desk.cases.get(case_id).vessel_name == "MARIE-JO"
        note = desk.log.entries(case_id)[-1]
        assert note.data == {"conflict": {"field": "vessel_name", "kept": "MARIE-JO",
                                          "not_saved": "MARIE JO"}}  # fmt: skip
        assert "'MARIE JO'" not in note.text and "MARIE JO entered by" in note.text


def test_an_edited_choice_is_checked_at_the_field_then_saved(qtbot, open_window, desk_path):
    first, second, case_id = _two_windows(open_window, desk_path)
    pob = second.case_form.editors["pob"].edit
    _type(qtbot, pob, "5")
    first.case_form.editors["pob"].edit.setText("4")
    first.case_form.editors["pob"].edit.editingFinished.emit()
    qtbot.waitUntil(lambda: second.case_form.case.pob == 4)
    qtbot.keyClick(pob, Qt.Key.Key_Return)
    dialog = second.conflict_dialog
    dialog.edit.setText("five")
    dialog.edited_button.click()
    assert dialog.isVisible() and "not a whole number" in dialog.error.text()
    dialog.edit.setText("6")
    dialog.edited_button.click()
    with Desk.open(desk_path) as desk:
        assert desk.cases.get(case_id).pob == 6
    assert pob.text() == "6"


def test_the_live_feed_does_not_apply_a_windows_own_change_twice(qtbot, open_window, desk_path):
    first, _second, _case_id = _two_windows(open_window, desk_path)
    refreshes = []
    original = first.refresh_cases
    first.refresh_cases = lambda: (refreshes.append(1), original())
    first.case_log.quick_entry.setText("Helicopter Rescue 169 airborne")
    qtbot.keyClick(first.case_log.quick_entry, Qt.Key.Key_Return)
    qtbot.wait(500)  # the feed's polls have come and gone
    assert refreshes == [1]


def test_a_unit_a_drift_run_and_a_plan_from_another_desk_show_without_a_refresh(
    qtbot, open_window, desk_path
):
    from datetime import timedelta

    import numpy as np

    from sarapp.drift.categories import leeway_category
    from sarapp.drift.engine import run_drift
    from sarapp.drift.forcing import constant_forcing
    from sarapp.drift.params import DriftParams
    from sarapp.drift.records import keep_run
    from sarapp.drift.summary import summarise
    from sarapp.model import Position, UnitPosition, utc_now

    lkp_time = utc_now() - timedelta(hours=1)
    with Desk.open(desk_path) as desk:
        lkp = Position(43.0, 9.0, time=lkp_time)
        (case_id,) = desk.cases.create(title="Liferaft adrift", author="op1", lkp=lkp).cases
    window = open_window(desk_path)
    window.case_list.select(case_id)
    assert window.chart.map_view.units_layer.units == [] and window.drift_panel.runs.count() == 0
    with Desk.open(desk_path) as other:
        (unit_id,) = other.units.add(name="SNS 061", unit_type="lifeboat").units
        other.units.add_positions([UnitPosition(unit_id, 43.1, 9.1, utc_now())])
        qtbot.waitUntil(
            lambda: [u.name for u in window.chart.map_view.units_layer.units] == ["SNS 061"],
            timeout=LIVE_TIMEOUT_MS,
        )
        params = DriftParams(category=1, lat=43.0, lon=9.0, start=lkp_time, hours=2,
                             particles=500, radius_m=2000.0, stranding=False)  # fmt: skip
        forcing = constant_forcing(wind_u=0.0, wind_v=-10.0, current_u=0.2, current_v=0.0)
        summary = summarise(run_drift(params, forcing, np.random.default_rng(3), land=None))
        keep_run(other, case_id, category=leeway_category(1), forcing=forcing, summary=summary,
                 seed=3, author="op2")  # fmt: skip
        qtbot.waitUntil(lambda: window.drift_panel.runs.count() == 1, timeout=LIVE_TIMEOUT_MS)
        other.plans.add(case_id, unit="SNS 061", pattern="expanding-square",
                        params={"track_spacing_nm": 0.5}, waypoints=[("CSP", 43.0, 9.0)],
                        start=None, end=None, pod=None, drift_run_id=None,
                        author="op2")  # fmt: skip
    qtbot.waitUntil(lambda: len(window.plan_panel.plans) == 1, timeout=LIVE_TIMEOUT_MS)
    assert window.plan_panel.unit.findText("SNS 061") >= 0  # offered in the Plans tab too
