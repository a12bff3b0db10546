"""Small widget builders the panels and dialogs share."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox


def number_box(
    value: float, lo: float, hi: float, *, decimals: int = 1, suffix: str = ""
) -> QDoubleSpinBox:
    """A number field in [lo, hi] showing ``decimals`` places and its unit as ``suffix``."""
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setValue(value)
    box.setSuffix(suffix)
    return box
