"""How the alert phase is shown: a box of the phase's colour with text chosen for it, in the
day and the night palette. The phase is what a watch officer must read first, so every pair
reads at 5.5:1 or better (WCAG 2 contrast; 4.5:1 is the floor for normal text;
DETRESFA by day, black on red, is the lowest at 5.7:1).

By day the gravity colours of every RCC board (yellow, orange, red; grey once closed) with
black text. At night the same hues darkened, with light text: no bright box in a darkened
room, where the eyes are dark-adapted, and no dim text on a bright one.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from sarapp.model import AlertPhase, Case

PHASE_COLOURS = {
    AlertPhase.INCERFA: QColor("#f6d55c"),
    AlertPhase.ALERFA: QColor("#f39c4a"),
    AlertPhase.DETRESFA: QColor("#e5534b"),
}
CLOSED_COLOUR = QColor("#c8c8c8")
DAY_TEXT = QColor("#000000")

NIGHT_PHASE_COLOURS = {
    AlertPhase.INCERFA: QColor("#3d3208"),
    AlertPhase.ALERFA: QColor("#5a2e08"),
    AlertPhase.DETRESFA: QColor("#7a120c"),
}
NIGHT_CLOSED_COLOUR = QColor("#2a2424")
NIGHT_TEXT = QColor("#ffd0c0")  # light, warm: the brightest text of the night palette
NIGHT_CLOSED_TEXT = QColor("#c0a8a0")

# The rest of a closed case's row: dimmer than an open case's, still 4.5:1 on the list.
CLOSED_ROW_TEXT = {False: QColor("#5f5f5f"), True: QColor("#b86a60")}


def palette_is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette in use (the application's by default) is a dark one."""
    palette = palette if palette is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 100


def phase_colour(case: Case) -> QColor:
    """The day colour of the case's phase (grey once closed), as printed on reports."""
    return PHASE_COLOURS[case.phase] if case.is_open else CLOSED_COLOUR


def badge_colours(case: Case, *, dark: bool | None = None) -> tuple[QColor, QColor]:
    """(box, text) of the case's phase in the day palette or, ``dark``, the night one
    (default: whichever the application uses now)."""
    dark = palette_is_dark() if dark is None else dark
    if not dark:
        return phase_colour(case), DAY_TEXT
    if not case.is_open:
        return NIGHT_CLOSED_COLOUR, NIGHT_CLOSED_TEXT
    return NIGHT_PHASE_COLOURS[case.phase], NIGHT_TEXT


def badge_style(case: Case, *, dark: bool | None = None) -> str:
    """The style sheet of a phase badge (a ``QLabel``): its colours, bold, a little padding."""
    box, text = badge_colours(case, dark=dark)
    return (
        f"QLabel {{ background: {box.name()}; color: {text.name()}; font-weight: bold; "
        f"padding: 1px 6px; border-radius: 2px; }}"
    )
