"""The chart surface: a pyqtgraph plot in Web Mercator metres with land filled in the colours
of a paper chart and coastlines whose level of detail follows the zoom, a graticule labelled in
degrees and minutes, a scale bar in nautical miles and the cursor's position in DDM.

Never ``useOpenGL`` (it is broken offscreen). The coastline shown is recomputed only when the
view leaves the padded box it was cut for, or the level of detail changes.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QWidget

from sarapp.geo import format_ddm
from sarapp.maps.coastlines import CoastlineLevel, level_for, shipped_levels
from sarapp.maps.graticule import lines
from sarapp.maps.land import LandLevel, land_levels
from sarapp.maps.projection import (
    HALF_WORLD_M,
    MAX_LAT,
    ground_scale,
    point_to_mercator,
    point_to_wgs84,
)
from sarapp.maps.scalebar import scale_bar
from sarapp.ui.chart_palette import recolour
from sarapp.ui.map_labels import LabelManager

# Paper chart colours (as on the Admiralty/INT charts: buff land, pale blue-white sea).
SEA = QColor("#dcebf5")
LAND = QColor("#efe0b9")
COAST = QColor("#6b5a3c")
GRID = QColor(60, 80, 110, 90)
NIGHT_SEA = QColor("#000000")
NIGHT_LAND = QColor("#2a1410")
NIGHT_COAST = QColor("#8a4a40")
NIGHT_GRID = QColor(150, 60, 50, 80)
AXIS = QColor("#606060")
AXIS_TEXT = QColor("#202020")
NIGHT_AXIS = QColor("#7a3a34")


class _GraticuleAxis(pg.AxisItem):
    """An axis whose ticks are the graticule's lines, labelled in degrees and minutes."""

    def __init__(self, orientation: str, axis: str) -> None:
        super().__init__(orientation)
        self.geo_axis = axis
        self.labels: dict[float, str] = {}
        self.positions: list[float] = []

    def set_lines(self, positions: list[float], labels: list[str]) -> None:
        self.positions = positions
        self.labels = dict(zip(positions, labels, strict=True))
        self.picture = None
        self.update()

    def tickValues(self, minVal, maxVal, size):
        return [(1.0, [p for p in self.positions if minVal <= p <= maxVal])]

    def tickStrings(self, values, scale, spacing):
        return [self.labels.get(v, "") for v in values]


class _ScaleBarItem(QGraphicsItem):
    """A bar in screen pixels at the view's lower left, with its length in NM above it."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.length_px = 100.0
        self.text = ""
        self.colour = QColor("black")
        self.setZValue(1000)

    def set_bar(self, length_px: float, text: str, bottom_left: QPointF) -> None:
        self.prepareGeometryChange()
        self.length_px = length_px
        self.text = text
        self.setPos(bottom_left)
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -26, self.length_px + 12, 34)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(QPen(self.colour, 2))
        w = self.length_px
        painter.drawLine(QPointF(0, 0), QPointF(w, 0))
        painter.drawLine(QPointF(0, -6), QPointF(0, 0))
        painter.drawLine(QPointF(w, -6), QPointF(w, 0))
        painter.setFont(QFont("Sans", 10))
        painter.drawText(QRectF(0, -24, max(w, 60), 16), Qt.AlignmentFlag.AlignLeft, self.text)


class MapCanvas(pg.PlotWidget):
    """A chart in Web Mercator metres. Positions go in and out in degrees.

    Signals: ``cursor_moved(lat, lon, ddm_text)``, ``clicked(lat, lon)`` (a left click on the
    chart, degrees), ``view_changed()`` after any pan or zoom.
    """

    cursor_moved = Signal(float, float, str)
    clicked = Signal(float, float)
    view_changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, coastlines: dict[str, CoastlineLevel] | None = None
    ) -> None:
        self.lat_axis = _GraticuleAxis("left", "lat")
        self.lon_axis = _GraticuleAxis("bottom", "lon")
        self.lat_axis.setWidth(62)
        for axis in (self.lat_axis, self.lon_axis):
            axis.setTextPen(pg.mkPen(AXIS_TEXT))
            axis.setPen(pg.mkPen(AXIS))
            axis.setStyle(tickFont=QFont("Sans", 10))  # at least 10 pt, read in the dark
        super().__init__(parent, axisItems={"left": self.lat_axis, "bottom": self.lon_axis})
        self.__dict__.pop("addItem", None)  # PlotWidget binds its PlotItem's; ours wraps it
        self.setBackground(SEA)
        self.hideButtons()
        self.setMenuEnabled(False)
        self.vb = self.getPlotItem().getViewBox()
        self.vb.setAspectLocked(True)
        self.vb.setLimits(
            xMin=-1.5 * HALF_WORLD_M,
            xMax=1.5 * HALF_WORLD_M,
            yMin=-HALF_WORLD_M,
            yMax=HALF_WORLD_M,
            minXRange=200.0,
            minYRange=200.0,
        )
        self.coastlines = coastlines if coastlines is not None else shipped_levels()
        self.land: dict[str, LandLevel] | None = None if coastlines is None else {}
        self.land_item = QGraphicsPathItem()
        self.land_item.setBrush(QBrush(LAND))
        self.land_item.setPen(QPen(Qt.PenStyle.NoPen))
        self.land_item.setZValue(-55)
        self.addItem(self.land_item, ignoreBounds=True)
        self.coast_item = pg.PlotCurveItem(pen=pg.mkPen(COAST, width=1.2), connect="finite")
        self.coast_item.setZValue(-50)
        self.grid_item = pg.PlotCurveItem(pen=pg.mkPen(GRID, width=1), connect="finite")
        self.grid_item.setZValue(-60)
        for item in (self.coast_item, self.grid_item):
            self.addItem(item, ignoreBounds=True)
        self.scale_item = _ScaleBarItem(self.vb)
        self.labels = LabelManager(self)
        self.night = False
        self.coast_level = ""
        self._coast_box = (0.0, 0.0, 0.0, 0.0)
        self.last_cursor_text = ""
        self.vb.sigRangeChanged.connect(self._on_range_changed)
        self.vb.sigResized.connect(self._on_range_changed)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.zoom_to(30.0, -30.0, 60.0, 20.0)

    # ---- palette ----------------------------------------------------------------------
    def set_night(self, night: bool) -> None:
        """Dimmed red on black for a darkened room, or the paper chart's colours."""
        from sarapp.ui.night import NIGHT_TEXT

        self.night = night
        self.setBackground(NIGHT_SEA if night else SEA)
        self.land_item.setBrush(QBrush(NIGHT_LAND if night else LAND))
        self.coast_item.setPen(pg.mkPen(NIGHT_COAST if night else COAST, width=1.2))
        self.grid_item.setPen(pg.mkPen(NIGHT_GRID if night else GRID, width=1))
        for axis in (self.lat_axis, self.lon_axis):
            axis.setTextPen(pg.mkPen(NIGHT_TEXT if night else AXIS_TEXT))
            axis.setPen(pg.mkPen(NIGHT_AXIS if night else AXIS))
        self.scale_item.colour = QColor(NIGHT_TEXT) if night else QColor("black")
        self.scale_item.update()
        # Every layer's items (and the labels) in the night's reds, or their day colours back.
        for item in self.getPlotItem().items:
            if item not in (self.land_item, self.coast_item, self.grid_item):
                recolour(item, night)

    def addItem(self, item, *args, **kwargs) -> None:
        """Items added at night take the night's colours too."""
        self.getPlotItem().addItem(item, *args, **kwargs)
        if getattr(self, "night", False):
            recolour(item, True)

    # ---- view -------------------------------------------------------------------------
    def zoom_to(self, lat_min: float, lon_min: float, lat_max: float, lon_max: float) -> None:
        """Show the box (degrees) with a small margin; the aspect stays conformal."""
        x0, y0 = point_to_mercator(max(lat_min, -MAX_LAT), lon_min)
        x1, y1 = point_to_mercator(min(lat_max, MAX_LAT), lon_max)
        self.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.05)

    def centre_on(self, lat: float, lon: float, *, span_nm: float = 20.0) -> None:
        """Centre the chart on a position, showing about ``span_nm`` nautical miles across."""
        x, y = point_to_mercator(lat, lon)
        half = span_nm * 1852.0 / 2.0 / ground_scale(lat)
        self.vb.setRange(xRange=(x - half, x + half), yRange=(y - half, y + half), padding=0.0)

    def view_box_m(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the view in Mercator metres."""
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return x0, y0, x1, y1

    def view_bounds(self) -> tuple[float, float, float, float]:
        """(lat_min, lon_min, lat_max, lon_max) of the view in degrees."""
        x0, y0, x1, y1 = self.view_box_m()
        lat0, lon0 = point_to_wgs84(x0, y0)
        lat1, lon1 = point_to_wgs84(x1, y1)
        return lat0, lon0, lat1, lon1

    def metres_per_pixel(self) -> float:
        """Mercator metres covered by one screen pixel (horizontal)."""
        x0, _, x1, _ = self.view_box_m()
        return (x1 - x0) / max(1.0, self.vb.width())

    def to_view(self, lat: float, lon: float) -> QPointF:
        """Degrees → the chart's scene point (for tests and overlays)."""
        x, y = point_to_mercator(lat, lon)
        return self.vb.mapViewToScene(QPointF(x, y))

    # ---- reactions --------------------------------------------------------------------
    def _on_range_changed(self, *_args) -> None:
        self._update_coast()
        self._update_graticule()
        self._update_scale_bar()
        self.view_changed.emit()
        self.labels.layout()

    def _update_coast(self) -> None:
        west, south, east, north = self.view_box_m()
        level = level_for(self.metres_per_pixel())
        cw, cs, ce, cn = self._coast_box
        inside = cw <= west and cs <= south and ce >= east and cn >= north
        if level == self.coast_level and inside:
            return
        pad_x, pad_y = east - west, north - south  # cut for 3× the view: pans rarely re-cut
        self._coast_box = (west - pad_x, south - pad_y, east + pad_x, north + pad_y)
        self.coast_level = level
        x, y = self.coastlines[level].select(*self._coast_box)
        self.coast_item.setData(x, y, connect="finite")
        self._update_land(level)

    def _update_land(self, level: str) -> None:
        """Fill the land of the cut box (the shipped levels; none with custom coastlines)."""
        if self.land is None:
            self.land = land_levels()
        rings = self.land[level].polygons(*self._coast_box) if level in self.land else []
        if not rings:
            self.land_item.setPath(QPainterPath())
            return
        gap = np.array([[np.nan, np.nan]])
        xy = np.concatenate([part for ring in rings for part in (ring, gap)])
        # one subpath per ring (NaN lifts the pen); filling closes each, odd-even keeps lakes
        path = pg.arrayToQPath(xy[:, 0], xy[:, 1], connect="finite")
        path.setFillRule(Qt.FillRule.OddEvenFill)
        self.land_item.setPath(path)

    def _update_graticule(self) -> None:
        west, south, east, north = self.view_box_m()
        lat0, lon0 = point_to_wgs84(west, max(south, -HALF_WORLD_M))
        lat1, lon1 = point_to_wgs84(east, min(north, HALF_WORLD_M))
        target_x = max(2, int(self.vb.width() / 130))
        target_y = max(2, int(self.vb.height() / 90))
        lat_lines = lines(lat0, lat1, axis="lat", target_lines=target_y)
        lon_lines = lines(lon0, lon1, axis="lon", target_lines=target_x)
        ys = [point_to_mercator(v, 0.0)[1] for v in lat_lines.values]
        xs = [point_to_mercator(0.0, v)[0] for v in lon_lines.values]
        self.lat_axis.set_lines(ys, list(lat_lines.labels))
        self.lon_axis.set_lines(xs, list(lon_lines.labels))
        gx: list[float] = []
        gy: list[float] = []
        for y in ys:
            gx += [west, east, math.nan]
            gy += [y, y, math.nan]
        for x in xs:
            gx += [x, x, math.nan]
            gy += [south, north, math.nan]
        self.grid_item.setData(np.array(gx), np.array(gy), connect="finite")

    def _update_scale_bar(self) -> None:
        west, south, east, north = self.view_box_m()
        lat, _ = point_to_wgs84((west + east) / 2, (south + north) / 2)
        bar = scale_bar(self.metres_per_pixel() * ground_scale(lat), max_px=self.vb.width() / 4)
        self.scale_item.set_bar(bar.length_px, bar.label, QPointF(14, self.vb.height() - 14))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            return
        point = self.vb.mapSceneToView(scene_pos)
        lat, lon = point_to_wgs84(point.x(), point.y())
        lon = (lon + 180.0) % 360.0 - 180.0
        self.last_cursor_text = format_ddm(lat, lon, decimals=2)
        self.cursor_moved.emit(lat, lon, self.last_cursor_text)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.isAccepted():
            return
        point = self.vb.mapSceneToView(event.scenePos())
        lat, lon = point_to_wgs84(point.x(), point.y())
        self.clicked.emit(lat, (lon + 180.0) % 360.0 - 180.0)
