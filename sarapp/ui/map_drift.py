"""The drift layer: the particle cloud of one snapshot, the datum track, the 50 % and 90 %
areas and the left/right datums of the particles afloat, the stranded particles as their own
layer (where to search the shore), plus the time slider with a play button that picks the
snapshot: datum and areas follow it.

A hundred thousand points cost about 25 ms to paint, too slow for a 60 Hz chart; so the cloud
is drawn as the eye sees it: a density image (a 2-D histogram of the particles in view, cells
of ``CELL_PX`` pixels) while more than ``POINTS_MAX`` particles are in view, the points
themselves once zoomed in enough that fewer are.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from sarapp.drift.summary import percent
from sarapp.geo import format_ddm, format_dtg
from sarapp.maps.features import DriftProducts
from sarapp.maps.projection import point_to_mercator, to_mercator
from sarapp.ui.map_canvas import MapCanvas
from sarapp.ui.map_layers import LegendEntry, MapLayer, mercator_rings

POINTS_MAX = 6000  # particles in view above which the cloud is drawn as a density image
CELL_PX = 3  # density image cell, screen pixels
PROJECTED_KEPT = 8  # snapshots kept projected (1.6 MB each for 100,000 particles)
CLOUD = "#0b6e4f"
DATUM = "#003049"
AREA_COLOURS = {0.5: "#d62828", 0.9: "#f77f00"}
STRANDED = "#6a3d00"  # ashore: brown, the colour of the land they are on


def _density_lut() -> np.ndarray:
    """Transparent for empty cells, then light to deep green (RGBA, 256 entries)."""
    t = np.linspace(0.0, 1.0, 256)
    lut = np.empty((256, 4), dtype=np.ubyte)
    lut[:, 0] = (190 * (1 - t) + 5 * t).astype(np.ubyte)
    lut[:, 1] = (230 * (1 - t) + 90 * t).astype(np.ubyte)
    lut[:, 2] = (190 * (1 - t) + 60 * t).astype(np.ubyte)
    lut[:, 3] = (120 + 130 * t).astype(np.ubyte)
    lut[0, 3] = 0
    return lut


class DriftLayer(MapLayer):
    """Draws one ``DriftProducts`` at the snapshot ``index``."""

    index_changed = Signal(int)

    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas, "Drift")
        self.products: DriftProducts | None = None
        self.index = 0
        self.mode = "none"  # "density" or "points": how the cloud was drawn last
        self._projected: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(_density_lut())
        self.points = pg.ScatterPlotItem(
            size=3, pen=None, brush=pg.mkBrush(CLOUD), pxMode=True, useCache=True
        )
        self.track = pg.PlotDataItem(
            pen=pg.mkPen(DATUM, width=2), symbol="o", symbolSize=5, symbolBrush=DATUM
        )
        self.datum = self.clickable_scatter(
            symbol="+", size=16, pen=pg.mkPen(DATUM, width=3), brush=None
        )
        self.areas = {f: pg.PlotCurveItem(connect="finite") for f in AREA_COLOURS}
        for fraction, curve in self.areas.items():
            style = Qt.PenStyle.SolidLine if fraction == 0.5 else Qt.PenStyle.DashLine
            curve.setPen(pg.mkPen(AREA_COLOURS[fraction], width=2, style=style))
        self.sides = self.clickable_scatter(size=12, pen=pg.mkPen("k"), brush=pg.mkBrush("#fcbf49"))
        self.ashore = self.clickable_scatter(
            symbol="x", size=7, pen=pg.mkPen(STRANDED, width=1.5), brush=None, pxMode=True
        )
        self.ashore_count = 0
        for item, z in (
            (self.image, 0.0),
            (self.points, 0.1),
            (self.ashore, 0.15),
            (self.areas[0.9], 0.2),
            (self.areas[0.5], 0.3),
            (self.track, 0.4),
            (self.datum, 0.5),
            (self.sides, 0.6),
        ):
            self.add_item(item, z)

    # ---- feeding ----------------------------------------------------------------------
    def set_products(self, products: DriftProducts | None, *, index: int | None = None) -> None:
        """Show ``products`` (None hides the drift) at snapshot ``index`` (default: last)."""
        self.products = products
        self._projected = {}
        if products is None:
            self.image.clear()
            for item in (
                self.points,
                self.track,
                self.datum,
                self.sides,
                self.ashore,
                *self.areas.values(),
            ):
                item.setData([], [])
            self.ashore_count = 0
            self.canvas.labels.clear(self)
            self.mode = "none"
            self.index = 0
            self.index_changed.emit(0)
            return
        x, y = to_mercator(products.datum_lat, products.datum_lon)
        self.track.setData(x, y)
        self.set_index(products.snapshot_count - 1 if index is None else index)

    def set_index(self, index: int) -> None:
        """Show snapshot ``index`` (clamped to the run)."""
        if self.products is None:
            return
        self.index = int(np.clip(index, 0, self.products.snapshot_count - 1))
        p = self.products
        x, y = point_to_mercator(float(p.datum_lat[self.index]), float(p.datum_lon[self.index]))
        on_land = p.datum_on_land and self.index == p.snapshot_count - 1
        warning = " — ON LAND: not a search point" if on_land else ""
        details = f"Datum at {self.time_text()}: {self._ddm(self.index)}{warning}"
        self.datum.setData([x], [y], data=[details])
        self.canvas.labels.clear(self)
        self.add_label("datum", x, y, "DATUM ⚠ LAND" if on_land else "DATUM", DATUM, details)
        self.canvas.labels.layout()
        areas = p.nearest(p.areas, self.index) or {}
        for fraction, curve in self.areas.items():
            geometry = areas.get(fraction)
            rx, ry = mercator_rings([geometry] if geometry else [])
            curve.setData(rx, ry, connect="finite")
        self._set_sides(p.nearest(p.side_datums, self.index))
        self._draw_ashore()
        self._draw_cloud()
        self.index_changed.emit(self.index)

    def time_text(self) -> str:
        if self.products is None:
            return ""
        when = datetime.fromtimestamp(float(self.products.times_s[self.index]), UTC)
        hours = (self.products.times_s[self.index] - self.products.times_s[0]) / 3600.0
        return f"{format_dtg(when)} ({hours:+g} h)"

    def _ddm(self, index: int) -> str:
        assert self.products is not None
        return format_ddm(
            float(self.products.datum_lat[index]), float(self.products.datum_lon[index])
        )

    def _set_sides(self, sides) -> None:
        if not sides:
            self.sides.setData([], [])
            return
        (llat, llon), (rlat, rlon) = sides
        x, y = to_mercator([llat, rlat], [llon, rlon])
        self.sides.setData(
            x,
            y,
            symbol=["t1", "t1"],
            data=[
                f"Left datum: {format_ddm(llat, llon)}",
                f"Right datum: {format_ddm(rlat, rlon)}",
            ],
        )

    # ---- drawing the cloud ------------------------------------------------------------
    def projected(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Particles of snapshot ``index`` in Mercator metres (the last few kept projected)."""
        if index in self._projected:
            self._projected[index] = self._projected.pop(index)  # most recently used last
        else:
            assert self.products is not None
            self._projected[index] = to_mercator(self.products.lat[index], self.products.lon[index])
            while len(self._projected) > PROJECTED_KEPT:
                self._projected.pop(next(iter(self._projected)))
        return self._projected[index]

    def on_view_changed(self) -> None:
        if self.products is not None and self.visible:
            self._draw_cloud()

    def _draw_ashore(self) -> None:
        """The particles stranded by this snapshot, as their own marks."""
        p = self.products
        if p is None or p.stranded is None or not p.stranded[self.index].any():
            self.ashore.setData([], [])
            self.ashore_count = 0
            return
        x, y = self.projected(self.index)
        mask = p.stranded[self.index]
        self.ashore_count = int(mask.sum())
        text = f"Stranded at {self.time_text()}: {self.ashore_count:,} particles ashore here"
        self.ashore.setData(x[mask], y[mask], data=[text] * self.ashore_count)

    def _draw_cloud(self) -> None:
        if self.products is None or not self.visible:
            return
        x, y = self.projected(self.index)
        west, south, east, north = self.canvas.view_box_m()
        inside = (x >= west) & (x <= east) & (y >= south) & (y <= north)
        if self.products.stranded is not None:
            inside &= ~self.products.stranded[self.index]  # ashore ones have their own layer
        count = int(np.count_nonzero(inside))
        if count <= POINTS_MAX:
            self.mode = "points"
            self.image.hide()
            self.points.setData(x[inside], y[inside])
            self.points.show()
            return
        self.mode = "density"
        self.points.hide()
        xi, yi = x[inside], y[inside]
        x0, x1, y0, y1 = xi.min(), xi.max(), yi.min(), yi.max()
        cell = CELL_PX * self.canvas.metres_per_pixel()
        nx = max(1, int((x1 - x0) / cell) + 1)
        ny = max(1, int((y1 - y0) / cell) + 1)
        col = ((xi - x0) / cell).astype(np.int64)
        row = ((yi - y0) / cell).astype(np.int64)
        counts = np.bincount(row * nx + col, minlength=nx * ny).reshape(ny, nx)
        self.image.setImage(np.sqrt(counts), levels=(0.0, float(np.sqrt(counts.max()))))
        self.image.setRect(QRectF(x0, y0, nx * cell, ny * cell))
        self.image.show()

    def legend(self) -> list[LegendEntry]:
        if self.products is None:
            return []
        p = self.products
        ashore = p.stranded_share(self.index)
        entries = [
            LegendEntry(CLOUD, "░", f"particles afloat ({p.particle_count - self.ashore_count:,})"),
            LegendEntry(DATUM, "✚", "datum (afloat) and datum track"),
        ]
        if ashore:
            entries.append(
                LegendEntry(STRANDED, "✕", f"stranded: {percent(ashore)} ashore — search shore")
            )
        if p.datum_on_land and self.index == p.snapshot_count - 1:
            entries.append(LegendEntry(AREA_COLOURS[0.5], "⚠", "datum ON LAND: no search point"))
        areas = p.nearest(p.areas, self.index) or {}
        for fraction, colour in AREA_COLOURS.items():
            if fraction in areas:
                entries.append(LegendEntry(colour, "▭", f"{fraction:.0%} area (afloat)"))
        if p.nearest(p.side_datums, self.index):
            entries.append(LegendEntry("#fcbf49", "▼", "left / right datums"))
        return entries


class DriftControls(QWidget):
    """Time slider, play button and the snapshot's time, bound to a ``DriftLayer``."""

    def __init__(self, layer: DriftLayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.play_button = QPushButton("▶ Play")
        self.play_button.setCheckable(True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.time_label = QLabel("no drift")
        self.window: tuple[float, float] | None = None  # a plan's search window, epoch s
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)
        self.timer = QTimer(self)
        self.timer.setInterval(400)
        self.timer.timeout.connect(self._on_tick)
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.play_button.toggled.connect(self._on_play_toggled)
        layer.index_changed.connect(self._on_index_changed)
        self.refresh()

    def refresh(self) -> None:
        """Follow the layer's products: range of the slider, enabled or not."""
        products = self.layer.products
        count = products.snapshot_count if products else 1
        self.slider.blockSignals(True)
        self.slider.setRange(0, count - 1)
        self.slider.setValue(self.layer.index if products else 0)
        self.slider.blockSignals(False)
        self.setEnabled(products is not None)
        if products is None:
            self.window = None
        self.time_label.setText(self._label() if products else "no drift")

    def set_window(self, start: datetime | None, end: datetime | None) -> None:
        """A selected plan's search window: the slider jumps to the snapshot nearest its middle
        (its start when open-ended) and moves only within it until another plan is chosen."""
        products = self.layer.products
        if products is None or start is None:
            self.window = None
            self.refresh()
            return
        first = start.timestamp()
        last = end.timestamp() if end is not None else first
        self.window = (min(first, last), max(first, last))
        self.slider.setValue(self._nearest((first + last) / 2))
        self.time_label.setText(self._label())

    def _nearest(self, time_s: float) -> int:
        times = self.layer.products.times_s
        return int(np.argmin(np.abs(times - time_s)))

    def _label(self) -> str:
        text = self.layer.time_text()
        if self.window is not None:
            text += "  · search window " + " – ".join(
                format_dtg(datetime.fromtimestamp(t, UTC)) for t in self.window
            )
        return text

    def _on_slider_changed(self, value: int) -> None:
        if self.window is not None and self.layer.products is not None:
            times = self.layer.products.times_s
            inside = np.flatnonzero((times >= self.window[0]) & (times <= self.window[1]))
            if inside.size and value not in inside:  # snap into the window
                value = int(inside[np.argmin(np.abs(inside - value))])
                self.slider.blockSignals(True)
                self.slider.setValue(value)
                self.slider.blockSignals(False)
        self.layer.set_index(value)

    def _on_index_changed(self, index: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(index)
        self.slider.blockSignals(False)
        self.time_label.setText(self._label())

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("⏸ Pause" if playing else "▶ Play")
        if playing and self.slider.value() == self.slider.maximum():
            self.slider.setValue(0)
        self.timer.start() if playing else self.timer.stop()

    def _on_tick(self) -> None:
        if self.slider.value() >= self.slider.maximum():
            self.play_button.setChecked(False)
            return
        self.slider.setValue(self.slider.value() + 1)
