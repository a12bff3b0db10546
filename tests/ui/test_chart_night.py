"""The chart at 3 a.m.: in the night palette every feature (unit symbols, legend swatches,
drift, plans, labels, tools, raster tiles) is drawn in dim reds on black, not in its day
colours; the day colours come back with the day palette."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QAbstractGraphicsShapeItem, QGraphicsPixmapItem, QGraphicsTextItem

from sarapp.maps.plan_layer_data import PlanShape
from sarapp.maps.synthetic import synthetic_drift, synthetic_units
from sarapp.model import AlertPhase, Case, CaseId, CaseStatus, Position
from sarapp.ui.map_overlays import RunOverlay
from sarapp.ui.map_units import UNIT_STYLE
from sarapp.ui.map_view import MapView

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LAT, LON = 61.70, 4.60


@pytest.fixture
def view(qtbot):
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _drift(particles: int = 2000):
    return synthetic_drift(
        LAT, LON, start=NOW, hours=12, particles=particles, rng=np.random.default_rng(1)
    )


def _everything(view: MapView) -> None:
    """A case with reports of every kind, a drift, units, a plan, another run, a measure."""
    lkp = Position(LAT, LON, NOW - timedelta(hours=1), "encoded", 120.0)
    reports = [
        Position(LAT + 0.02, LON + 0.03, NOW - timedelta(hours=2), "ais"),
        Position(LAT - 0.02, LON + 0.01, NOW - timedelta(hours=2), "reported", 900.0),
        Position(LAT + 0.05, LON - 0.05, NOW - timedelta(hours=2), "doppler-A", 5000.0),
        Position(LAT - 0.05, LON + 0.09, NOW - timedelta(hours=2), "doppler-B", 5000.0),
    ]
    case = Case(
        CaseId("c"), "2026-0099", "EPIRB", AlertPhase.DETRESFA, CaseStatus.OPEN, NOW, NOW, lkp=lkp
    )
    view.set_case(case, [lkp, *reports], now=NOW)
    drift = _drift()
    view.set_drift(drift)
    area = ((61.75, 4.7), (61.75, 4.8), (61.8, 4.8), (61.8, 4.7), (61.75, 4.7))
    view.set_plans(
        [
            PlanShape("p", "R22", "creeping-line", "CS", "planned", 0.5, area, area),
            PlanShape("q", "SNS 61", "sector", "VS", "done", 0.5, area[1:3], None),
        ]
    )
    track = tuple(float(v) for v in drift.datum_lat), tuple(float(v) for v in drift.datum_lon)
    view.set_overlays(
        [RunOverlay("earlier run", *track, drift.areas[12][0.5], drift.areas[12][0.9])]
    )
    view.set_range_points(LAT, LON, LAT + 0.05, LON + 0.1)
    view.zoom_to_case()


def _colours(item) -> list[QColor]:
    """Every colour an item is told to draw with (pens, brushes, text, lookup table)."""
    pens, brushes, colours = [], [], []
    if isinstance(item, pg.TextItem):
        colours.append(item.color)
        pens.append(item.border)
        brushes.append(item.fill)
    if isinstance(item, QGraphicsTextItem):
        colours.append(item.defaultTextColor())
    if isinstance(item, (pg.PlotCurveItem, pg.PlotDataItem)):
        pens += [pg.mkPen(item.opts[k]) for k in ("pen", "symbolPen") if k in item.opts]
        brushes += [
            pg.mkBrush(item.opts[k])
            for k in ("brush", "symbolBrush", "fillBrush")
            if item.opts.get(k) is not None
        ]
    if isinstance(item, pg.ScatterPlotItem):
        pens += [p for p in (item.opts["pen"], *item.data["pen"]) if p is not None]
        brushes += [b for b in (item.opts["brush"], *item.data["brush"]) if b is not None]
    if isinstance(item, pg.ImageItem) and item.lut is not None:
        colours += [QColor(*map(int, row)) for row in item.lut]
    if isinstance(item, QAbstractGraphicsShapeItem):
        pens.append(item.pen())
        brushes.append(item.brush())
    if isinstance(item, pg.AxisItem):
        pens += [item.pen(), item.textPen()]
    if hasattr(item, "colour") and isinstance(item.colour, QColor):  # the scale bar
        colours.append(item.colour)
    colours += [p.color() for p in pens if p.style() != Qt.PenStyle.NoPen]
    colours += [b.color() for b in brushes if b.style() != Qt.BrushStyle.NoBrush]
    return [QColor(c) for c in colours]


def _bright_non_red(colour: QColor) -> bool:
    """Bright enough to matter in a dark room, and not a red (greys and whites included)."""
    if colour.alpha() < 30 or colour.valueF() < 0.3:
        return False
    hue = colour.hsvHue()
    red = (hue <= 20 or hue >= 340) and colour.hsvSaturationF() >= 0.45
    return not red


def _offenders(view: MapView) -> list[str]:
    found = []
    for item in view.canvas.scene().items():
        if not item.isVisible():
            continue
        for colour in _colours(item):
            if _bright_non_red(colour):
                found.append(f"{type(item).__name__} {colour.name()}")
    legend = re.findall(r"color:\s*(#[0-9a-fA-F]{6})", view.layer_panel.legend.text())
    found += [f"legend {c}" for c in legend if _bright_non_red(QColor(c))]
    return sorted(set(found))


def test_no_chart_item_keeps_a_bright_non_red_colour_at_night(view):
    """Before: unit symbols, plan areas, drift, labels kept their day pens and brushes (orange
    lifeboat, blue patrol vessel, green helicopter...) under a colourize filter."""
    _everything(view)
    assert _offenders(view)  # by day: the paper chart's colours
    view.set_night(True)
    assert _offenders(view) == []
    view.set_units(synthetic_units(LAT, LON, now=NOW), now=NOW)  # drawn while at night
    view.set_drift(_drift(), index=6)
    assert _offenders(view) == []
    image = view.canvas.grab().toImage()  # and as drawn: no bright pixel but reds
    step = 3
    pixels = [
        image.pixelColor(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    bright = [c.name() for c in pixels if _bright_non_red(c)]
    assert len(bright) <= len(pixels) // 1000, sorted(set(bright))[:20]


def test_day_colours_come_back_and_shape_tells_the_unit_at_night(view):
    view.set_units(synthetic_units(LAT, LON, now=NOW), now=NOW)
    scatter = next(i for i in view.units_layer.items if isinstance(i, pg.ScatterPlotItem))
    day = [b.color().name() for b in scatter.data["brush"]]
    assert UNIT_STYLE[synthetic_units(LAT, LON, now=NOW)[0].unit_type][2] in day
    view.set_night(True)
    night = [b.color() for b in scatter.data["brush"]]
    assert not any(_bright_non_red(c) for c in night)
    assert len({id(s) for s in scatter.data["symbol"]}) == 4  # four types, four shapes
    view.set_night(False)
    assert [b.color().name() for b in scatter.data["brush"]] == day


def test_a_raster_tile_is_red_at_night(view):
    view.set_night(True)
    green = QPixmap(8, 8)
    green.fill(QColor("#2b9348"))
    tile = QGraphicsPixmapItem(green)
    view.canvas.addItem(tile)
    assert not _bright_non_red(tile.pixmap().toImage().pixelColor(4, 4))
    view.set_night(False)
    assert tile.pixmap().toImage().pixelColor(4, 4).name() == "#2b9348"
