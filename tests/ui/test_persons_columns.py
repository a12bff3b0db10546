"""The Persons table in a narrow panel: columns hidden from the header's menu (never the
number, name or status), remembered for the next window; every field of a record readable
in its row's tooltip, whatever the panel shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sarapp.store import Desk
from sarapp.ui.persons_model import COLUMNS


def _boat(desk_path) -> str:
    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(title="Rubber boat, 60 POB", author="op").cases
        store.persons.add(case_id, {"name": "Hawa Camara", "age": 22, "sex": "F",
                                    "nationality": "CI", "status": "medevac",
                                    "unit": "Helo 15-01", "taken_to": "Lampedusa clinic",
                                    "medical": True, "note": "hypothermia"},
                          author="op")  # fmt: skip
    return case_id


def _shown(panel) -> list[str]:
    return [n for c, n in enumerate(COLUMNS) if not panel.table.isColumnHidden(c)]


def test_columns_hidden_from_the_header_menu_stay_hidden_in_the_next_window(desk_path, open_window):
    case_id = _boat(desk_path)
    panel = open_window(desk_path).persons_panel
    assert _shown(panel) == list(COLUMNS)  # all shown at first
    menu = panel.column_menu()
    ticks = {a.data(): a for a in menu.actions()}
    assert set(ticks) == set(COLUMNS) - {"number", "name", "status"}
    assert ticks["nationality"].text() == "Nationality" and ticks["nationality"].isChecked()
    ticks["recovered"].setChecked(False)
    ticks["medical"].setChecked(False)
    assert "recovered" not in _shown(panel) and "medical" not in _shown(panel)
    window = open_window(desk_path)  # the next start of the app on this computer
    window.case_list.select(case_id)
    again = window.persons_panel
    assert _shown(again) == [n for n in COLUMNS if n not in ("recovered", "medical")]
    ticks = {a.data(): a for a in again.column_menu().actions()}
    assert not ticks["recovered"].isChecked()
    ticks["recovered"].setChecked(True)
    assert "recovered" in _shown(again)
    again.hide_columns({"name", "status", "number", "note"})  # the first three stay
    assert _shown(again) == [n for n in COLUMNS if n != "note"]


def test_the_whole_record_is_in_the_rows_tooltip(desk_path, open_window):
    case_id = _boat(desk_path)
    window = open_window(desk_path)
    window.case_list.select(case_id)
    panel = window.persons_panel
    tip = panel.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines() == [
        "P1", "Name: Hawa Camara", "Age: 22", "Sex: F", "Nationality: CI", "Status: medevac",
        "Unit: Helo 15-01", "Taken to: Lampedusa clinic", "Medical: yes", "Note: hypothermia",
    ]  # fmt: skip
    status_tip = panel.proxy.index(0, COLUMNS.index("status")).data(Qt.ItemDataRole.ToolTipRole)
    assert status_tip.endswith("(double-click to change the status)")
