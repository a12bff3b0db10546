"""The night palette (View menu, remembered, whole app and chart) and times shown as DTGs."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from sarapp.geo import format_dtg
from sarapp.maps.plan_layer_data import PlanShape
from sarapp.model import Position
from sarapp.store import Desk
from sarapp.ui import settings


def _case(desk_path) -> str:
    with Desk.open(desk_path) as store:
        lkp = Position(61.7, 4.7, datetime(2026, 12, 3, 12, 0, tzinfo=UTC), "gnss", 185.0)
        (case_id,) = store.cases.create(title="EPIRB", author="op", lkp=lkp).cases
    return case_id


def test_night_palette_from_the_view_menu_is_applied_and_remembered(qtbot, desk_path, open_window):
    window = open_window(desk_path)
    view_menu = next(a.menu() for a in window.menuBar().actions() if "View" in a.text())
    (action,) = [a for a in view_menu.actions() if "Night" in a.text()]
    action.trigger()
    app = QApplication.instance()
    try:
        assert settings.night_palette()
        window_colour = app.palette().color(QPalette.ColorRole.Window)
        assert window_colour.lightness() < 40  # dark scheme for the whole app
        canvas = window.map_view.canvas
        assert canvas.night and canvas.backgroundBrush().color().lightness() < 10
        assert app.font().pointSizeF() >= 10
        area = ((61.9, 4.9), (61.9, 5.1), (62.0, 5.1), (62.0, 4.9), (61.9, 4.9))
        window.map_view.set_plans(
            [PlanShape("p", "R22", "creeping-line", "CS", "planned", 0.5, area, area)]
        )
        drawn = window.map_view.plans_layer.items  # drawn after the switch: in reds too
        pens = [i.opts["pen"].color() for i in drawn if type(i).__name__ == "PlotCurveItem"]
        assert pens and all(c.red() > 3 * max(c.green(), c.blue()) for c in pens)
        again = open_window(desk_path)  # next start: still at night
        assert again.night_action.isChecked()
    finally:
        window.set_night(False)
    assert not settings.night_palette()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 100


def test_a_disabled_action_reads_as_disabled_at_night():
    """The toolbar's phase buttons draw with ButtonText: a phase the case is already in must
    look disabled in the night palette too (it read as enabled, the same red)."""
    from sarapp.ui.night import dark_palette

    palette = dark_palette()
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.Text):  # fmt: skip
        enabled = palette.color(QPalette.ColorGroup.Active, role)
        disabled = palette.color(QPalette.ColorGroup.Disabled, role)
        assert disabled.lightness() < enabled.lightness() * 0.6, role


def test_the_case_log_shows_dtgs(qtbot, desk_path, open_window):
    """Before: '03 DEC 12:00:05Z' in the log, DTGs elsewhere."""
    case_id = _case(desk_path)
    window = open_window(desk_path)
    window.case_list.select(case_id)
    model = window.case_log.model
    entry = model.entries[0]
    shown = model.data(model.index(0, 1))
    assert shown == format_dtg(entry.time)
