"""Earlier drift runs of the case overlaid on request: each run's datum track and final
50 %/90 % areas (from its stored summary: nothing is rerun) in a colour of its own, listed in
the legend, so runs with other winds or objects can be compared on one chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from sarapp.maps.projection import to_mercator
from sarapp.ui.map_canvas import MapCanvas
from sarapp.ui.map_layers import LegendEntry, MapLayer, mercator_rings

# Distinct on a paper chart and for the common colour-vision deficiencies (Okabe–Ito).
OVERLAY_COLOURS = ("#0072b2", "#cc79a7", "#009e73", "#e69f00", "#56b4e9", "#d55e00")


@dataclass(frozen=True)
class RunOverlay:
    """One run as overlaid: a label, its datum track (degrees) and final area geometries."""

    label: str
    datum_lat: tuple[float, ...]
    datum_lon: tuple[float, ...]
    area_50: dict
    area_90: dict

    @classmethod
    def from_summary(cls, label: str, summary: dict) -> RunOverlay:
        track = summary["datum_track"]
        return cls(
            label,
            tuple(p["lat"] for p in track),
            tuple(p["lon"] for p in track),
            summary["area_50"],
            summary["area_90"],
        )


class OverlaysLayer(MapLayer):
    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas, "Other drift runs")
        self.overlays: tuple[RunOverlay, ...] = ()

    def set_overlays(self, overlays: Sequence[RunOverlay]) -> None:
        self.clear_items()
        self.overlays = tuple(overlays)
        for k, run in enumerate(self.overlays):
            colour = OVERLAY_COLOURS[k % len(OVERLAY_COLOURS)]
            x, y = to_mercator(np.array(run.datum_lat), np.array(run.datum_lon))
            self.add_item(pg.PlotCurveItem(x, y, pen=pg.mkPen(colour, width=2)), 0.3)
            for geometry, style in (
                (run.area_50, Qt.PenStyle.SolidLine),
                (run.area_90, Qt.PenStyle.DashLine),
            ):
                rx, ry = mercator_rings([geometry])
                curve = pg.PlotCurveItem(pen=pg.mkPen(colour, width=1.5, style=style))
                curve.setData(rx, ry, connect="finite")
                self.add_item(curve, 0.2)
            self.add_label("other", float(x[-1]), float(y[-1]), f"D{k + 2}", colour, run.label)

    def legend(self) -> list[LegendEntry]:
        return [
            LegendEntry(OVERLAY_COLOURS[k % len(OVERLAY_COLOURS)], "━", f"D{k + 2}: {run.label}")
            for k, run in enumerate(self.overlays)
        ]
