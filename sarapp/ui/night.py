"""The night palette, for a darkened operations room: a dark scheme for the whole app and a
dimmed red-on-black chart (red spares the eyes' dark adaptation), switched from the View menu
and remembered. Text never goes below 10 pt in either palette."""

from __future__ import annotations

from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from sarapp.ui import settings

MIN_POINT_SIZE = 10
NIGHT_TEXT = "#d85a50"  # dim red: readable in the dark without glare, 4.5:1 on every surface
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text


def dark_palette() -> QPalette:
    """Near-black surfaces, dim red text: nothing brighter than the chart."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#141010",
        QPalette.ColorRole.WindowText: NIGHT_TEXT,
        QPalette.ColorRole.Base: "#0c0808",
        QPalette.ColorRole.AlternateBase: "#181212",
        QPalette.ColorRole.Text: NIGHT_TEXT,
        QPalette.ColorRole.Button: "#1c1414",
        QPalette.ColorRole.ButtonText: NIGHT_TEXT,
        QPalette.ColorRole.Highlight: "#5a1410",
        QPalette.ColorRole.HighlightedText: "#f08070",
        QPalette.ColorRole.ToolTipBase: "#1c1414",
        QPalette.ColorRole.ToolTipText: NIGHT_TEXT,
        QPalette.ColorRole.PlaceholderText: "#7a3a36",
        QPalette.ColorRole.BrightText: "#ff6a5a",
        QPalette.ColorRole.Link: "#e06a50",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):  # a toolbar's disabled action too  # fmt: skip
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#5a2a26"))
    return palette


def _luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""
    channels = (colour.redF(), colour.greenF(), colour.blueF())
    r, g, b = (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def legible_selection(palette: QPalette) -> QPalette:
    """The palette with its selection darkened until the selected text reads at 4.5:1 (the
    Fusion style's blue under white text reads at 3.7:1)."""
    palette = QPalette(palette)
    text = palette.color(QPalette.ColorRole.HighlightedText)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        highlight = palette.color(group, QPalette.ColorRole.Highlight)
        while contrast(highlight, text) < MIN_CONTRAST and highlight.value() > 0:
            highlight = highlight.darker(110)
        palette.setColor(group, QPalette.ColorRole.Highlight, highlight)
    return palette


def readable_font(app: QApplication) -> None:
    """The application font at least ``MIN_POINT_SIZE`` points."""
    font = QFont(app.font())
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
        app.setFont(font)


def apply_palette(app: QApplication, night: bool, chart: QWidget | None = None) -> None:
    """Switch the whole app (and the chart with its legend, when given) to the night or the day
    palette."""
    if not hasattr(app, "_sarapp_day_palette"):
        app._sarapp_day_palette = legible_selection(app.palette())
        app._sarapp_day_style = app.style().name()
    app.setStyle("Fusion" if night else app._sarapp_day_style)
    app.setPalette(dark_palette() if night else app._sarapp_day_palette)
    readable_font(app)
    if chart is not None:
        chart.set_night(night)


def add_view_menu(window, menu: QMenu) -> QAction:
    """The View menu's "Night palette" toggle (Ctrl+Shift+N), applied and remembered."""
    action = QAction("&Night palette", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+N"))
    action.setCheckable(True)

    def on_toggled(on: bool) -> None:
        settings.set_night_palette(on)
        apply_palette(QApplication.instance(), on, window.map_view)

    action.toggled.connect(on_toggled)
    menu.addAction(action)
    return action


def restore(window) -> None:
    """At start: the palette the desk was left in (text at least 10 pt either way)."""
    app = QApplication.instance()
    readable_font(app)
    if settings.night_palette():
        window.night_action.setChecked(True)
    else:
        apply_palette(app, False)  # the day palette, its selection legible
