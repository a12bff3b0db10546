"""Raster tiles under the chart, drawn only from the offline MBTiles cache (never from the
network while drawing); and the 'prepare this area offline' action that fills the cache in a
worker with a progress dialog and cancel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem, QProgressDialog, QWidget

from sarapp.maps.tile_fetch import TileProgress, TileSource, prepare_area
from sarapp.maps.tiles import TILE_PX, TileCache, tile_bounds_m, tiles_in_box, zoom_for
from sarapp.ui.map_canvas import MapCanvas
from sarapp.ui.map_layers import LegendEntry, MapLayer
from sarapp.ui.worker import JobWorker, start_job

BASE_Z = -100.0  # tiles always lie under the coastline (-50) and every other layer
MAX_TILES_SHOWN = 120  # a view shows ~20 tiles at the right zoom; this bounds a coarse fallback


class TileLayer(MapLayer):
    """Cached tiles at the zoom nearest the chart's scale (a coarser cached zoom if that one is
    absent). Decoded tiles are kept while they stay in view."""

    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas, "Raster tiles")
        self.cache: TileCache | None = None
        self.shown: dict[tuple[int, int, int], QGraphicsPixmapItem] = {}
        self.zoom: int | None = None

    def set_cache(self, cache: TileCache | None) -> None:
        self.cache = cache
        self.on_view_changed()

    def set_z(self, z: float) -> None:  # the base map stays at the bottom whatever the order
        super().set_z(BASE_Z)

    def _best_zoom(self) -> int | None:
        assert self.cache is not None
        wanted = zoom_for(self.canvas.metres_per_pixel())
        available = [z for z in self.cache.zooms() if z <= wanted]
        return max(available) if available else None

    def on_view_changed(self) -> None:
        if self.cache is None or not self.visible:
            self._drop(set())
            return
        self.zoom = self._best_zoom()
        if self.zoom is None:
            self._drop(set())
            return
        lat0, lon0, lat1, lon1 = self.canvas.view_bounds()
        wanted = list(tiles_in_box(lat0, max(lon0, -180), lat1, min(lon1, 180), self.zoom))
        wanted = wanted[:MAX_TILES_SHOWN]
        for key in wanted:
            if key not in self.shown:
                self._show(key)
        self._drop(set(wanted))

    def _show(self, key: tuple[int, int, int]) -> None:
        assert self.cache is not None
        data = self.cache.get(*key)
        pixmap = QPixmap()
        if data is None or not pixmap.loadFromData(data):
            return
        west, _south, east, north = tile_bounds_m(*key)
        item = QGraphicsPixmapItem(pixmap)
        scale = (east - west) / TILE_PX
        # the view's y axis points north; a pixmap's rows go down: flip while scaling
        item.setTransform(QTransform(scale, 0, 0, -scale, west, north))
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.add_item(item)
        self.shown[key] = item

    def _drop(self, keep: set[tuple[int, int, int]]) -> None:
        for key in [k for k in self.shown if k not in keep]:
            item = self.shown.pop(key)
            self.canvas.removeItem(item)
            self.items.remove(item)

    def legend(self) -> list[LegendEntry]:
        if self.cache is None or not self.shown:
            return []
        return [LegendEntry("#7a9cc6", "▦", f"raster tiles, zoom {self.zoom} (offline cache)")]


def start_prepare_area(
    parent: QWidget,
    cache: TileCache,
    source: TileSource,
    *,
    bounds: tuple[float, float, float, float],
    zooms: Sequence[int],
    on_done: Callable[[TileProgress | None, str], None],
) -> JobWorker:
    """Download the area in a worker with a cancellable progress dialog; ``on_done`` gets
    the final tally (None if cancelled or failed) and a line for the user. A separate
    connection writes: SQLite WAL lets the chart go on reading."""

    def job():
        with TileCache(cache.path) as writer:
            return (yield from prepare_area(writer, source, bounds=bounds, zooms=zooms))

    dialog = QProgressDialog("Preparing the area for offline use…", "Cancel", 0, 1000, parent)
    dialog.setMinimumDuration(300)

    def on_progress(progress: TileProgress) -> None:
        dialog.setValue(int(progress.fraction * 1000))
        dialog.setLabelText(
            f"Tiles {progress.done:,} of {progress.total:,}: {progress.fetched:,} fetched, "
            f"{progress.cached:,} already cached, {progress.failed:,} failed"
        )

    def finish(result: TileProgress | None, message: str) -> None:
        dialog.reset()
        on_done(result, message)

    def finished(result: TileProgress) -> None:
        finish(
            result,
            f"Offline area ready: {result.fetched:,} tiles fetched, {result.cached:,} already "
            f"cached, {result.failed:,} failed.",
        )

    worker = start_job(
        parent,
        job,
        on_progress=on_progress,
        on_finished=finished,
        on_failed=lambda message: finish(None, f"Offline area not prepared: {message}"),
        on_cancelled=lambda: finish(None, "Offline area cancelled; tiles fetched so far kept."),
    )
    dialog.canceled.connect(worker.cancel)
    return worker
