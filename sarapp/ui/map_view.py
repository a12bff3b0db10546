"""The chart widget the main window embeds: the chart itself (``MapCanvas``), its layers
(case positions, drift, rescue units, optional raster tiles), the layer list with the legend,
the details of the last clicked feature, the cursor's position, the range-and-bearing tool and
the drift time slider.

Feed it plain values: ``set_case(case, positions)``, ``set_drift(products)``,
``set_units(tracks)``. It reads no database of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sarapp.maps.coastlines import CoastlineLevel
from sarapp.maps.errors import MapsError
from sarapp.maps.export_formats import write_export
from sarapp.maps.exports import ExportSet, case_export, drift_export, units_export
from sarapp.maps.features import DriftProducts, UnitTrack
from sarapp.maps.measure import RangeBearing
from sarapp.maps.plan_layer_data import PlanShape
from sarapp.maps.tile_fetch import TileProgress, TileSource
from sarapp.maps.tiles import TileCache, zoom_for
from sarapp.model import Case, Position
from sarapp.ui.map_canvas import MapCanvas
from sarapp.ui.map_drift import DriftControls, DriftLayer
from sarapp.ui.map_layer_panel import LayerPanel
from sarapp.ui.map_layers import CasesLayer, MapLayer
from sarapp.ui.map_overlays import OverlaysLayer, RunOverlay
from sarapp.ui.map_plans import PlansLayer
from sarapp.ui.map_range import RangeTool
from sarapp.ui.map_tiles import TileLayer, start_prepare_area
from sarapp.ui.map_units import UnitsLayer
from sarapp.ui.worker import JobWorker

MIN_SPAN_DEG = 0.15  # a case zoom never closer than about 9 NM across


class MapView(QWidget):
    """The chart with its layers and tools. Signals: ``cursor_moved(lat, lon, ddm_text)``,
    ``feature_clicked(details_text)``."""

    cursor_moved = Signal(float, float, str)
    feature_clicked = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        coastlines: dict[str, CoastlineLevel] | None = None,
    ) -> None:
        super().__init__(parent)
        self.canvas = MapCanvas(coastlines=coastlines)
        self.cases_layer = CasesLayer(self.canvas)
        self.drift_layer = DriftLayer(self.canvas)
        self.units_layer = UnitsLayer(self.canvas)
        self.plans_layer = PlansLayer(self.canvas)
        self.tiles_layer = TileLayer(self.canvas)
        self.overlays_layer = OverlaysLayer(self.canvas)
        self.layers: list[MapLayer] = [
            self.units_layer,
            self.cases_layer,
            self.plans_layer,
            self.drift_layer,
            self.overlays_layer,
            self.tiles_layer,
        ]
        self.tile_source: TileSource | None = None
        self.tile_worker: JobWorker | None = None
        self.range_tool = RangeTool(self.canvas)
        self.layer_panel = LayerPanel()
        self.drift_controls = DriftControls(self.drift_layer)
        self.details = QLabel("Click a feature for its details.")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cursor_label = QLabel("—")
        self.range_label = QLabel("")
        self._build_layout()
        self._apply_order()
        self._connect()

    # ---- construction -----------------------------------------------------------------
    def _build_layout(self) -> None:
        self.zoom_button = QPushButton("Zoom to case")
        self.range_button = QPushButton("Range && bearing")
        self.range_button.setCheckable(True)
        self.offline_button = QPushButton("Prepare area offline…")
        self.offline_button.setEnabled(False)
        self.offline_button.setToolTip("Set a tile cache and a tile URL first")
        bar = QHBoxLayout()
        for widget in (self.zoom_button, self.range_button, self.offline_button, self.range_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(QLabel("Cursor:"))
        bar.addWidget(self.cursor_label)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.layer_panel, 1)
        side_layout.addWidget(QLabel("<b>Details</b>"))
        side_layout.addWidget(self.details)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.canvas)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([800, 230])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.drift_controls)

    def _connect(self) -> None:
        self.canvas.cursor_moved.connect(self._on_cursor_moved)
        self.canvas.view_changed.connect(self._on_view_changed)
        for layer in self.layers:
            layer.feature_clicked.connect(self._on_feature_clicked)
        self.layer_panel.visibility_changed.connect(self.set_layer_visible)
        self.layer_panel.order_changed.connect(self.set_layer_order)
        self.zoom_button.clicked.connect(self.zoom_to_case)
        self.offline_button.clicked.connect(lambda: self.prepare_offline_area())
        self.range_button.toggled.connect(self.range_tool.set_active)
        self.range_tool.measured.connect(self.range_label.setText)
        self.drift_layer.index_changed.connect(lambda _i: self._refresh_legend())

    # ---- feeding ----------------------------------------------------------------------
    def set_case(
        self,
        case: Case | None,
        positions: Sequence[Position] = (),
        *,
        now: datetime | None = None,
        zoom: bool = True,
    ) -> None:
        """Show the selected case (None clears); ``zoom`` fits the chart to it."""
        self.cases_layer.set_case(case, positions, now=now)
        self._refresh_legend()
        self.canvas.labels.layout()
        if zoom and case is not None:
            self.zoom_to_case()

    def set_drift(self, products: DriftProducts | None, *, index: int | None = None) -> None:
        """Show a drift run (None hides it) at snapshot ``index`` (default: the last)."""
        self.drift_layer.set_products(products, index=index)
        self.drift_controls.refresh()
        self._refresh_legend()
        self.canvas.labels.layout()

    def set_overlays(self, overlays: Sequence[RunOverlay]) -> None:
        """Overlay other runs of the case (datum track and final areas, a colour each)."""
        self.overlays_layer.set_overlays(overlays)
        self._refresh_legend()
        self.canvas.labels.layout()

    def show_search_window(self, start: datetime | None, end: datetime | None) -> None:
        """Snap the time slider to a plan's search window (its middle, or its start)."""
        self.drift_controls.set_window(start, end)

    def set_units(self, units: Sequence[UnitTrack], *, now: datetime | None = None) -> None:
        """Show rescue units as they stand at ``now`` (default: the clock)."""
        self.units_layer.set_units(units, now=now)
        self._refresh_legend()
        self.canvas.labels.layout()

    def set_plans(self, shapes: Sequence[PlanShape]) -> None:
        """Show the case's search plans (planned and done; cancelled ones are not drawn)."""
        self.plans_layer.set_plans(shapes)
        self._refresh_legend()
        self.canvas.labels.layout()

    def set_tiles(self, cache: TileCache | None, source: TileSource | None = None) -> None:
        """Draw raster tiles from ``cache`` (None: none); ``source`` enables 'prepare this area
        offline'. Drawing never touches the network."""
        self.tiles_layer.set_cache(cache)
        self.tile_source = source
        self.offline_button.setEnabled(cache is not None and source is not None)
        self._refresh_legend()

    def prepare_offline_area(self, zooms: Sequence[int] | None = None) -> JobWorker | None:
        """Fetch the tiles of the view at ``zooms`` (default: this scale and the next two) in
        a worker; returns the worker (None if no cache or source is set)."""
        cache, source = self.tiles_layer.cache, self.tile_source
        if cache is None or source is None:
            return None
        lat0, lon0, lat1, lon1 = self.canvas.view_bounds()
        bounds = (max(lat0, -85.0), max(lon0, -180.0), min(lat1, 85.0), min(lon1, 180.0))
        if zooms is None:
            first = zoom_for(self.canvas.metres_per_pixel())
            zooms = [z for z in range(first, first + 3) if z <= 19]
        self.tile_worker = start_prepare_area(
            self, cache, source, bounds=bounds, zooms=zooms, on_done=self._on_tiles_prepared
        )
        return self.tile_worker

    def _on_tiles_prepared(self, _result: TileProgress | None, message: str) -> None:
        self.details.setText(message)
        self.tile_worker = None
        self.tiles_layer.on_view_changed()
        self._refresh_legend()

    # ---- view and tools ---------------------------------------------------------------
    def zoom_to(self, lat_min: float, lon_min: float, lat_max: float, lon_max: float) -> None:
        """Show the box, degrees."""
        self.canvas.zoom_to(lat_min, lon_min, lat_max, lon_max)

    def zoom_to_case(self) -> None:
        """Frame what matters: the LKP, the positions a coordinator relies on (not the Doppler
        mirror: of an ambiguous A/B pair only the one that is the LKP), the drift at the
        selected time (its datum and the bulk of the afloat cloud) and the plans' areas."""
        lats: list[float] = []
        lons: list[float] = []
        case = self.cases_layer.case
        lkp_id = case.lkp.id if case and case.lkp else None
        relied_on = [
            p
            for p in self.cases_layer.positions
            if not p.source.startswith("doppler-") or p.id == lkp_id
        ]
        for p in [*relied_on, *([case.lkp] if case and case.lkp else [])]:
            lats.append(p.lat)
            lons.append(p.lon)
        products = self.drift_layer.products
        if products is not None:
            k = self.drift_layer.index
            lats.append(float(products.datum_lat[k]))
            lons.append(float(products.datum_lon[k]))
            afloat = slice(None) if products.stranded is None else ~products.stranded[k]
            cloud_lat, cloud_lon = products.lat[k][afloat], products.lon[k][afloat]
            if len(cloud_lat):
                lats += list(np.percentile(cloud_lat, [2, 98]))
                lons += list(np.percentile(cloud_lon, [2, 98]))
        for shape in self.plans_layer.shapes:
            for lat, lon in shape.area or shape.track:
                lats.append(lat)
                lons.append(lon)
        if not lats:
            return
        lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
        grow_lat = max(0.0, MIN_SPAN_DEG - (lat1 - lat0)) / 2
        grow_lon = max(0.0, MIN_SPAN_DEG - (lon1 - lon0)) / 2
        self.zoom_to(lat0 - grow_lat, lon0 - grow_lon, lat1 + grow_lat, lon1 + grow_lon)

    def set_range_points(self, lat1: float, lon1: float, lat2: float, lon2: float) -> RangeBearing:
        """Measure range and bearing between two positions (degrees), as two clicks would."""
        return self.range_tool.set_points(lat1, lon1, lat2, lon2)

    def layer(self, name: str) -> MapLayer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"no map layer named {name!r}")

    def layer_names(self) -> list[str]:
        """Layer names, top (drawn last) first."""
        return [layer.name for layer in self.layers]

    def set_layer_visible(self, name: str, visible: bool) -> None:
        self.layer(name).set_visible(visible)
        self._apply_order()

    def set_layer_order(self, names: Sequence[str]) -> None:
        """Restack the layers, ``names`` top first (names not given keep their place below)."""
        chosen = [self.layer(n) for n in names]
        self.layers = chosen + [layer for layer in self.layers if layer not in chosen]
        self._apply_order()

    def export_png(self, path: Path, *, width: int) -> Path:
        """Write the chart as it is shown to a PNG ``width`` pixels wide (height keeps the
        aspect); vector items are drawn at that size, not scaled from a screenshot."""
        if width < 16:
            raise MapsError(f"PNG width {width} px is too small (at least 16)")
        size = self.canvas.size()
        height = max(1, round(width * size.height() / max(1, size.width())))
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self.canvas.render(painter, QRectF(0, 0, width, height), self.canvas.viewport().rect())
        finally:
            painter.end()
        if not image.save(str(path), "PNG"):
            raise MapsError(f"could not write the chart image to {path}")
        return Path(path)

    def export_features(self, path: Path) -> Path:
        """Write the case, drift products and unit tracks shown now to ``path``; the suffix
        (.geojson, .kml, .gpx) picks the format."""
        data = ExportSet()
        case = self.cases_layer.case
        if case is not None:
            data += case_export(case, self.cases_layer.positions)
        if self.drift_layer.products is not None:
            data += drift_export(self.drift_layer.products)
        if self.units_layer.units:
            data += units_export(self.units_layer.units)
        return write_export(path, data)

    # ---- reactions --------------------------------------------------------------------
    def _apply_order(self) -> None:
        count = len(self.layers)
        for rank, layer in enumerate(self.layers):
            layer.set_z(10.0 * (count - rank))
        self.layer_panel.set_layers(self.layer_names(), [layer.visible for layer in self.layers])
        self._refresh_legend()

    def refresh_legend(self) -> None:
        """List again what the shown layers draw (after a palette change)."""
        self._refresh_legend()

    def set_night(self, night: bool) -> None:
        """The chart and its legend in the night's dim reds on black, or the day's colours."""
        self.canvas.set_night(night)
        self.layer_panel.night = night
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        entries = [e for layer in self.layers if layer.visible for e in layer.legend()]
        self.layer_panel.set_legend(entries)

    def _on_view_changed(self) -> None:
        for layer in self.layers:
            if layer.visible:
                layer.on_view_changed()

    def _on_cursor_moved(self, lat: float, lon: float, text: str) -> None:
        self.cursor_label.setText(text)
        self.cursor_moved.emit(lat, lon, text)

    def _on_feature_clicked(self, text: str) -> None:
        self.details.setText(text)
        self.feature_clicked.emit(text)
