"""Review finding: a case just opened or imported is selected whatever the list's filters,
so the first log entry typed goes to it, not to the case selected before."""

from __future__ import annotations

from pathlib import Path

from sarapp.model import AlertPhase
from sarapp.store import Desk
from sarapp.ui import imports

SIT185 = Path(__file__).parents[1] / "data" / "sit185" / "initial_doppler.txt"


def _filtered_window(desk_path, open_window):
    with Desk.open(desk_path) as store:
        store.cases.create(title="Yacht aground", author="op", phase=AlertPhase.DETRESFA)
    window = open_window(desk_path)
    filters = window.case_list.phase_filter
    filters.setCurrentIndex(filters.findData(AlertPhase.DETRESFA))
    return window


def test_a_new_case_hidden_by_the_phase_filter_is_still_selected(qtbot, desk_path, open_window):
    window = _filtered_window(desk_path, open_window)
    case_id = window.create_case({"title": "Kayak overdue", "phase": AlertPhase.INCERFA})
    assert window.current == case_id
    assert case_id in [c.id for c in window.case_list.model.cases]


def test_an_imported_alert_hidden_by_the_phase_filter_is_still_selected(
    qtbot, desk_path, open_window
):
    window = _filtered_window(desk_path, open_window)
    window.case_list.search.setText("yacht")
    result = imports.import_alert_text(window, SIT185.read_text())
    assert result is not None
    assert window.current == result.case_id
