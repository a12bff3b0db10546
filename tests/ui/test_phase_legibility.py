"""The alert phase is the most legible thing on the desk, by day and in the night palette: the
badge in the case header and the case list's phase column, selected or not, read at 4.5:1 or
better as they are rendered (WCAG 2 contrast of the drawn text on the drawn box)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication

from sarapp.model import AlertPhase, Case, CaseId, CaseStatus
from sarapp.ui import night
from sarapp.ui.case_form import CaseForm
from sarapp.ui.case_list import CaseListPanel
from tests.ui.contrast import MIN_CONTRAST, luminance, rendered_contrast

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _cases() -> list[Case]:
    cases = [
        Case(CaseId(p.value), f"2026-000{k}", f"Case {p.value}", p, CaseStatus.OPEN, NOW, NOW)
        for k, p in enumerate(AlertPhase, start=1)
    ]
    closed = Case(
        CaseId("closed"), "2026-0009", "Closed", AlertPhase.DETRESFA, CaseStatus.CLOSED, NOW, NOW
    )
    return [*cases, closed]


@pytest.fixture(params=["day", "night"])
def palette(request, qapp):
    app = QApplication.instance()
    night.apply_palette(app, request.param == "night")
    yield request.param
    night.apply_palette(app, False)


def test_the_phase_badge_reads_at_4_5_to_1_in_both_palettes(qtbot, palette):
    """Before (docs/screenshot-night.png): the night palette's red text on the red DETRESFA box."""
    form = CaseForm()
    qtbot.addWidget(form)
    form.resize(500, 600)
    form.show()
    qtbot.waitExposed(form)
    poor = []
    for case in _cases():
        form.show_case(case)
        QApplication.processEvents()
        ratio, seen = rendered_contrast(form.phase_badge)
        if ratio < MIN_CONTRAST:
            poor.append(f"{case.phase.value} {case.status.value}: {seen} {ratio:.1f}:1")
        assert case.phase.value in form.phase_badge.text()
    assert not poor, f"{palette}: {poor}"


def test_the_case_lists_phase_column_and_selected_row_read_at_4_5_to_1(qtbot, palette):
    """Before: at night the phase column drew the palette's red text on the phase's red, 1.2:1,
    and a closed case's grey on its grey box."""
    panel = CaseListPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.status_filter.setCurrentIndex(2)  # all
    panel.set_cases(_cases())
    table = panel.table
    poor = []
    for selected in (None, *(c.id for c in _cases())):
        table.clearSelection()
        if selected is not None:
            panel.select(selected)
        QApplication.processEvents()
        for row in range(panel.proxy.rowCount()):
            for column in range(panel.proxy.columnCount()):
                index = panel.proxy.index(row, column)
                if not index.data():
                    continue
                rect = table.visualRect(index).adjusted(3, 3, -3, -3)
                ratio, seen = rendered_contrast(table.viewport(), rect)
                if ratio < MIN_CONTRAST:
                    state = "selected" if table.selectionModel().isRowSelected(row) else "plain"
                    poor.append(f"{index.data()!r} ({state}): {seen} {ratio:.1f}:1")
    assert not poor, f"{palette}: {sorted(set(poor))}"


def test_the_badge_follows_a_switch_of_palette(qtbot):
    """The badge shown by day takes the night colours when the palette is switched."""
    app = QApplication.instance()
    night.apply_palette(app, False)
    form = CaseForm()
    qtbot.addWidget(form)
    form.show()
    form.show_case(_cases()[2])  # DETRESFA
    day_box = form.phase_badge.grab().toImage().pixelColor(1, 1)
    try:
        night.apply_palette(app, True)
        QApplication.processEvents()
        night_box = form.phase_badge.grab().toImage().pixelColor(1, 1)
        ratio, seen = rendered_contrast(form.phase_badge)
    finally:
        night.apply_palette(app, False)
    assert luminance(day_box) > 0.2 and luminance(night_box) < 0.06  # no bright box at night
    assert ratio >= MIN_CONTRAST, seen
