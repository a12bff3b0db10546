"""Contrast as the screen shows it: WCAG 2 relative luminance and contrast ratio, and the text
and background colours read back from a widget's rendered pixels (not from the colours the
code meant to use, which a style or a style sheet may override)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_and_background(image: QImage) -> tuple[QColor, QColor]:
    """The background (the commonest colour) and the text: of the other colours drawn on 2 %
    of the rest or more, the one farthest from the background (glyph cores; anti-aliased
    edges lie between)."""
    counts = Counter(
        image.pixel(x, y) & 0xFFFFFF for y in range(image.height()) for x in range(image.width())
    )
    (background, n_background), *others = counts.most_common()
    rest = image.width() * image.height() - n_background
    others = [(rgb, n) for rgb, n in others if n >= max(3, 0.02 * rest)]
    assert others, "no text drawn"
    bg = QColor.fromRgb(background)
    text = max((QColor.fromRgb(rgb) for rgb, _ in others), key=lambda c: contrast(c, bg))
    return text, bg


def rendered_contrast(widget: QWidget, rect: QRect | None = None) -> tuple[float, str]:
    """The contrast of the text drawn in ``widget`` (within ``rect``), and a description."""
    image = widget.grab(rect or widget.rect()).toImage()
    text, bg = text_and_background(image)
    return contrast(text, bg), f"{text.name()} on {bg.name()}"
