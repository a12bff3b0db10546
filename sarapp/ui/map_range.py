"""The range-and-bearing tool: two points clicked (or set) on the chart, the geodesic drawn
between them and its reading in nautical miles and degrees true."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor

from sarapp.maps.measure import RangeBearing, geodesic_path, range_bearing
from sarapp.maps.projection import to_mercator
from sarapp.ui.map_canvas import MapCanvas

RANGE_COLOUR = "#000000"


class RangeTool(QObject):
    """While ``active``, the first click sets the start, the second the end, the next starts
    again. ``measured(text)`` carries the reading; ``reading`` holds it (None until two
    points)."""

    measured = Signal(str)

    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.active = False
        self.points: list[tuple[float, float]] = []
        self.reading: RangeBearing | None = None
        pen = pg.mkPen(RANGE_COLOUR, width=2, style=Qt.PenStyle.DashDotLine)
        self.line = pg.PlotCurveItem(pen=pen)
        self.ends = pg.ScatterPlotItem(
            symbol="o", size=9, pen=pg.mkPen(RANGE_COLOUR, width=2), brush=pg.mkBrush("w")
        )
        self.label = pg.TextItem(
            "", color=QColor(RANGE_COLOUR), fill=pg.mkBrush(255, 255, 255, 210)
        )
        for z, item in enumerate((self.line, self.ends, self.label)):
            canvas.addItem(item, ignoreBounds=True)
            item.setZValue(900 + z)
        canvas.clicked.connect(self._on_clicked)

    def set_active(self, active: bool) -> None:
        self.active = active
        self.canvas.setCursor(Qt.CursorShape.CrossCursor if active else Qt.CursorShape.ArrowCursor)

    def clear(self) -> None:
        self.points = []
        self.reading = None
        self.line.setData([], [])
        self.ends.setData([], [])
        self.label.setText("")

    def set_points(self, lat1: float, lon1: float, lat2: float, lon2: float) -> RangeBearing:
        """Measure from (lat1, lon1) to (lat2, lon2), degrees, and draw it."""
        self.points = [(lat1, lon1), (lat2, lon2)]
        self.reading = range_bearing(lat1, lon1, lat2, lon2)
        lats, lons = geodesic_path(lat1, lon1, lat2, lon2)
        x, y = to_mercator(lats, lons)
        self.line.setData(x, y)
        self.ends.setData([x[0], x[-1]], [y[0], y[-1]])
        self.label.setText(self.reading.text)
        self.label.setPos(x[-1], y[-1])
        self.measured.emit(self.reading.text)
        return self.reading

    def _on_clicked(self, lat: float, lon: float) -> None:
        if not self.active:
            return
        if len(self.points) != 1:
            self.clear()
            self.points = [(lat, lon)]
            x, y = to_mercator([lat], [lon])
            self.ends.setData(x, y)
            return
        (lat1, lon1) = self.points[0]
        self.set_points(lat1, lon1, lat, lon)
