"""Search plans on the chart: each unit's track and searched rectangle, labelled at the CSP.

The area is a translucent fill under a thin, half-transparent track, so a creeping line at
0.1 NM spacing does not hide the drift cloud and the LKP beneath it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen

from sarapp.maps.plan_layer_data import PlanShape
from sarapp.maps.projection import point_to_mercator, to_mercator
from sarapp.ui.map_canvas import MapCanvas
from sarapp.ui.map_layers import LegendEntry, MapLayer

# Planned in blue, done in green (searched, found nothing), cancelled not drawn.
STATUS_COLOURS = {"planned": "#1f6feb", "done": "#2b9348"}


class PlansLayer(MapLayer):
    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas, "Search plans")
        self.shapes: tuple[PlanShape, ...] = ()

    def set_plans(self, shapes: Sequence[PlanShape]) -> None:
        self.clear_items()
        self.shapes = tuple(s for s in shapes if s.status in STATUS_COLOURS)
        for shape in self.shapes:
            colour = QColor(STATUS_COLOURS[shape.status])
            if shape.area:
                lat, lon = zip(*shape.area, strict=True)
                x, y = to_mercator(np.array(lat), np.array(lon))
                fill = QColor(colour)
                fill.setAlpha(30)
                area = pg.PlotCurveItem(x, y, pen=pg.mkPen(colour, width=1.5), fillLevel=None)
                area.setBrush(fill)
                area.setFillLevel(None)
                self.add_item(area, 0.1)
            lat, lon = zip(*shape.track, strict=True)
            x, y = to_mercator(np.array(lat), np.array(lon))
            thin = QColor(colour)
            thin.setAlpha(110)
            pen = QPen(thin, 0.8)
            pen.setCosmetic(True)
            self.add_item(pg.PlotCurveItem(x, y, pen=pen), 0.2)
            csp = self.clickable_scatter(size=8, brush=colour, pen=pg.mkPen("w"), symbol="o")
            cx, cy = point_to_mercator(*shape.track[0])
            csp.setData([cx], [cy], data=[f"{shape.label} ({shape.status}), CSP first"])
            self.add_item(csp, 0.3)
            short = f"{shape.unit_name[:12]} {shape.code}"
            self.add_label("plan", cx, cy, short, STATUS_COLOURS[shape.status], shape.label)

    def legend(self) -> list[LegendEntry]:
        statuses = sorted({s.status for s in self.shapes})
        return [LegendEntry(STATUS_COLOURS[s], "▭", f"search area ({s})") for s in statuses]
