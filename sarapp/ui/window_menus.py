"""The main window's actions, menus and toolbar: what the coordinator can do from the keyboard
and the menus, each calling a method of the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from sarapp.model import AlertPhase
from sarapp.ui import imports, night
from sarapp.ui.open_desk_dialog import fill_recent_menu
from sarapp.ui.sync_dialog import add_sync_actions

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

PHASE_SHORTCUTS = {
    AlertPhase.INCERFA: "Ctrl+1",
    AlertPhase.ALERFA: "Ctrl+2",
    AlertPhase.DETRESFA: "Ctrl+3",
}


def window_action(
    window: MainWindow,
    text: str,
    slot: Callable,
    shortcut: str | QKeySequence.StandardKey | None = None,
) -> QAction:
    """A menu or toolbar action of the window; its slot gets no arguments."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def make_actions(window: MainWindow) -> None:
    """The window's actions (kept on it: ``window.new_case_action``, ``phase_actions``…),
    its menus and its toolbar."""

    def action(text: str, slot: Callable, shortcut: str | QKeySequence.StandardKey | None = None):
        return window_action(window, text, slot, shortcut)

    window.new_case_action = action("&New case…", window.new_case, QKeySequence.StandardKey.New)
    window.open_desk_action = action("&Open desk…", window.choose_desk, "Ctrl+O")
    window.recent_menu = QMenu("&Recent desks", window)
    window.recent_menu.aboutToShow.connect(
        lambda: fill_recent_menu(window.recent_menu, window.open_location)
    )
    window.import_alert_action = action(
        "&Import alert, AIS or DSC file…", lambda: imports.choose_alert_file(window), "Ctrl+I"
    )
    window.handover_action = action("&Handover between RCCs…", window.open_handover, "Ctrl+Shift+H")
    window.paste_alert_action = action(
        "&Paste alert (SIT 185, AIS or DSC)", lambda: imports.paste_alert(window), "Ctrl+Shift+V"
    )
    quit_action = action("&Quit", window.close, QKeySequence.StandardKey.Quit)
    window.phase_actions = {
        phase: action(
            f"{phase.value} ({phase.meaning})",
            lambda p=phase: window.set_phase(p.value),
            PHASE_SHORTCUTS[phase],
        )
        for phase in AlertPhase
    }
    window.close_case_action = action("&Close case…", window.close_case, "Ctrl+Shift+C")
    window.reopen_case_action = action("&Reopen case", window.reopen_case, "Ctrl+Shift+R")
    operator_action = action("&Operator name…", window.ask_operator, "Ctrl+,")
    check_action = action("&Check desk integrity", window.check_desk)
    worksheet_action = action("IAMSAR &worksheet…", window.open_worksheet, "Ctrl+Shift+W")

    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addActions([window.new_case_action, window.open_desk_action])
    file_menu.addMenu(window.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions(
        [window.import_alert_action, window.paste_alert_action, window.handover_action]
    )
    file_menu.addSeparator()
    file_menu.addActions(
        [
            action("Export chart as &PNG…", lambda: window.chart.export_png()),
            action(
                "Export case &features (KML, GeoJSON, GPX)…",
                lambda: window.chart.export_features(),
            ),
        ]
    )
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    case_menu = menu.addMenu("&Case")
    phase_menu = case_menu.addMenu("Alert &phase")
    phase_menu.addActions(list(window.phase_actions.values()))
    case_menu.addActions([window.close_case_action, window.reopen_case_action])
    add_sync_actions(window, file_menu, case_menu)  # the field laptop and its centre
    tools = menu.addMenu("&Tools")
    units_action = action("Rescue &units…", lambda: window.chart.open_units(), "Ctrl+U")
    tiles_action = action("Chart &tiles…", lambda: window.chart.open_tiles())
    tools.addActions([worksheet_action, units_action, tiles_action])
    tools.addAction(action("&Annual report…", window.open_annual_report))
    tools.addAction(action("&Data protection…", window.open_data_protection))
    tools.addSeparator()
    tools.addActions([check_action, operator_action])
    window.night_action = night.add_view_menu(window, menu.addMenu("&View"))

    toolbar = window.addToolBar("Case")
    toolbar.setObjectName("case_toolbar")
    toolbar.addAction(window.new_case_action)
    toolbar.addAction(window.import_alert_action)
    toolbar.addSeparator()
    toolbar.addActions(list(window.phase_actions.values()))
    toolbar.addSeparator()
    toolbar.addAction(window.close_case_action)


__all__ = ["PHASE_SHORTCUTS", "make_actions", "window_action"]
