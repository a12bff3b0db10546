"""The chart's night colours: every feature in a shade of dim red on black (red spares the eyes'
dark adaptation), brighter where the feature was darker ink on the paper chart, so what stood
out by day still stands out at night. Shape, not colour, tells a lifeboat from a helicopter.

The pens and brushes themselves are changed (not a filter over the drawing: a colourize effect
per item cost 1.6 s a redraw, see ``bench_map --night``). An item's day style is kept on it and
given back when the day palette returns; items added at night are recoloured as they come.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPen, QPixmap
from PySide6.QtWidgets import QAbstractGraphicsShapeItem, QGraphicsItem, QGraphicsPixmapItem

NIGHT_LABEL_TEXT = QColor("#e8705f")  # 6.9:1 on black
LABEL_PLATE = {False: QColor(236, 243, 248, 225), True: QColor(0, 0, 0, 225)}
_RED = (0.86, 0.16, 0.10)  # the night's red, at full level
_DAY = "_sarapp_day_style"


def night_colour(colour: QColor | str) -> QColor:
    """The night version of a colour: a red, the brighter the darker the colour (ink on paper
    stands out; at night, light on black does), alpha kept."""
    c = QColor(colour)
    ink = 1.0 - (0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF())
    level = 0.45 + 0.55 * ink
    return QColor.fromRgbF(*(level * v for v in _RED), c.alphaF())


def _pen(pen: QPen | None) -> QPen | None:
    if pen is None:
        return None
    pen = QPen(pen)
    pen.setColor(night_colour(pen.color()))
    return pen


def _brush(brush: QBrush | None) -> QBrush | None:
    if brush is None:
        return None
    brush = QBrush(brush)
    if brush.style() != Qt.BrushStyle.NoBrush:
        brush.setColor(night_colour(brush.color()))
    return brush


def night_lut(lut: np.ndarray) -> np.ndarray:
    """A lookup table (RGBA rows, 0-255) in the night's reds, alpha kept."""
    rgb = lut[:, :3].astype(float) / 255.0
    ink = 1.0 - rgb @ np.array([0.299, 0.587, 0.114])
    level = 0.45 + 0.55 * ink
    out = lut.copy()
    out[:, :3] = np.clip(level[:, None] * np.array(_RED)[None, :] * 255.0, 0, 255).astype(np.ubyte)
    return out


def night_pixmap(pixmap: QPixmap) -> QPixmap:
    """A raster (tile) in the night's reds by brightness: light paper dark, dark ink red."""
    grey = pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = grey.width(), grey.height()
    data = np.frombuffer(grey.constBits(), np.ubyte).reshape(height, grey.bytesPerLine())
    ink = 1.0 - data[:, :width].astype(float) / 255.0
    level = 0.15 + 0.85 * ink
    rgb = np.empty((height, width, 3), np.ubyte)
    for k, v in enumerate(_RED):
        rgb[:, :, k] = (level * v * 255.0).astype(np.ubyte)
    image = QImage(rgb.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())


def _scatter_style(item: pg.ScatterPlotItem) -> dict:
    return {
        "pen": item.opts["pen"],
        "brush": item.opts["brush"],
        "pens": list(item.data["pen"]),
        "brushes": list(item.data["brush"]),
    }


def _set_scatter(item: pg.ScatterPlotItem, style: dict, night: bool) -> None:
    pen, brush = (_pen, _brush) if night else (lambda p: p, lambda b: b)
    item.opts["pen"] = pen(style["pen"])
    item.opts["brush"] = brush(style["brush"])
    if len(style["pens"]) == len(item.data):  # the points are the ones the style was kept for
        item.data["pen"] = [pen(p) for p in style["pens"]]
        item.data["brush"] = [brush(b) for b in style["brushes"]]
    item.data["sourceRect"] = 0
    item.updateSpots(item.data)
    item.invalidate()
    item.update()


def _style(item: QGraphicsItem) -> dict | None:
    """The item's day colours, or None for an item whose colours are not the chart's."""
    if isinstance(item, pg.TextItem):
        return {"color": QColor(item.color), "fill": QBrush(item.fill), "border": QPen(item.border)}
    if isinstance(item, pg.PlotDataItem):
        return {k: item.opts[k] for k in ("pen", "symbolPen", "symbolBrush", "fillBrush")}
    if isinstance(item, pg.PlotCurveItem):
        return {"pen": item.opts["pen"], "brush": item.opts["brush"]}
    if isinstance(item, pg.ScatterPlotItem):
        return _scatter_style(item)
    if isinstance(item, pg.ImageItem):
        return {"lut": None if item.lut is None else np.array(item.lut)}
    if isinstance(item, QGraphicsPixmapItem):
        return {"pixmap": item.pixmap()}
    if isinstance(item, QAbstractGraphicsShapeItem):
        return {"pen": item.pen(), "brush": item.brush()}
    return None


def _apply(item: QGraphicsItem, style: dict, night: bool) -> None:
    pen = _pen if night else (lambda p: p)
    brush = _brush if night else (lambda b: b)
    if isinstance(item, pg.TextItem):
        item.setColor(NIGHT_LABEL_TEXT if night else style["color"])
        plate = style["fill"].style() != Qt.BrushStyle.NoBrush
        item.fill = QBrush(LABEL_PLATE[True]) if night and plate else style["fill"]
        item.border = pen(style["border"])
        item.update()
    elif isinstance(item, pg.PlotDataItem):
        item.setPen(pen(pg.mkPen(style["pen"])) if style["pen"] is not None else None)
        item.setSymbolPen(pen(pg.mkPen(style["symbolPen"])))
        item.setSymbolBrush(brush(pg.mkBrush(style["symbolBrush"])))
        if style["fillBrush"] is not None:
            item.setFillBrush(brush(pg.mkBrush(style["fillBrush"])))
    elif isinstance(item, pg.PlotCurveItem):
        item.setPen(pen(style["pen"]))
        if style["brush"] is not None:
            item.setBrush(brush(pg.mkBrush(style["brush"])))
    elif isinstance(item, pg.ScatterPlotItem):
        _set_scatter(item, style, night)
    elif isinstance(item, pg.ImageItem):
        if style["lut"] is not None:
            item.setLookupTable(night_lut(style["lut"]) if night else style["lut"])
    elif isinstance(item, QGraphicsPixmapItem):
        item.setPixmap(night_pixmap(style["pixmap"]) if night else style["pixmap"])
    elif isinstance(item, QAbstractGraphicsShapeItem):
        item.setPen(pen(style["pen"]))
        item.setBrush(brush(style["brush"]))


def recolour(item: QGraphicsItem, night: bool) -> None:
    """Give ``item`` its night colours (its day ones kept on it), or its day ones back."""
    style = getattr(item, _DAY, None)
    if night:
        if style is None:
            style = _style(item)
            if style is None:
                return
            setattr(item, _DAY, style)
        _apply(item, style, True)
    elif style is not None:
        _apply(item, style, False)
        delattr(item, _DAY)
