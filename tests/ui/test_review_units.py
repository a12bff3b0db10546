"""Review finding: a unit registered in Tools → Rescue units can be tasked at once."""

from __future__ import annotations

from sarapp.demo import create_demo_case
from sarapp.store import Desk


def test_a_unit_registered_in_the_dialog_is_offered_in_the_plans_tab(qtbot, desk_path, open_window):
    with Desk.open(desk_path) as store:
        create_demo_case(store)
    window = open_window(desk_path)
    dialog = window.chart.open_units()
    dialog.name.setText("Rescue 22")
    assert dialog.register_unit()
    combo = window.plan_panel.unit
    assert "Rescue 22" in [combo.itemText(i) for i in range(combo.count())]
    dialog.close()
