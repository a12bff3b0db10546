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


def optional_box(
    lo: float, hi: float, *, decimals: int = 1, suffix: str = "", empty: str = ""
) -> QDoubleSpinBox:
    """A number field that starts empty: below ``lo`` it shows ``empty`` (a placeholder, not a
    value), so nothing looks like an observation until someone types one. ``value_of`` reads
    it (None when empty)."""
    step = 10.0**-decimals
    box = number_box(lo - step, lo - step, hi, decimals=decimals, suffix=suffix)
    box.setSpecialValueText(empty)
    return box


def value_of(box: QDoubleSpinBox) -> float | None:
    """The number in an ``optional_box`` (None while it shows its placeholder)."""
    return None if box.value() == box.minimum() else box.value()


def spec_box(spec, *, decimals: int = 0, scale: float = 1.0, suffix: str = "") -> QDoubleSpinBox:
    """A number field ranged and filled from a declared parameter (``sarapp.drift.params``),
    shown in ``scale`` × the declared unit."""
    return number_box(
        spec.default * scale, spec.low * scale, spec.high * scale, decimals=decimals, suffix=suffix
    )
