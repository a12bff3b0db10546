"""Raster tiles on the chart: prepared from a tile server the test runs on 127.0.0.1 (PNG
tiles drawn with Qt), then drawn from the MBTiles cache with the server gone."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from sarapp.maps.tile_fetch import TileSource
from sarapp.maps.tiles import TileCache, tile_xy
from sarapp.ui.map_view import MapView


def _png(colour: str) -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


@pytest.fixture
def tile_url():
    body = _png("#c83737")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/{{z}}/{{x}}/{{y}}.png"
    httpd.shutdown()
    httpd.server_close()


def test_prepare_area_then_draw_tiles_offline(qtbot, tmp_path, tile_url):
    view = MapView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.zoom_to(48.0, -5.2, 48.5, -4.6)
    cache = TileCache(tmp_path / "tiles.mbtiles")
    assert not view.offline_button.isEnabled()
    view.set_tiles(cache, TileSource(tile_url, min_interval_s=0.0))
    assert view.offline_button.isEnabled()
    worker = view.prepare_offline_area(zooms=[7, 8, 9])
    assert worker is not None
    qtbot.waitUntil(lambda: view.tile_worker is None, timeout=20_000)
    assert "Offline area ready" in view.details.text()
    assert cache.zooms() == [7, 8, 9]
    assert cache.has(9, *tile_xy(48.2, -4.9, 9))
    # the server is gone from here on: the chart draws from the cache alone
    view.set_tiles(cache, None)
    view.zoom_to(48.0, -5.2, 48.5, -4.6)
    assert view.tiles_layer.shown and view.tiles_layer.zoom == 9
    image = view.canvas.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre.red() > 150 and centre.blue() < 120  # the red tiles, under the chart
    view.set_layer_visible("Raster tiles", False)
    assert not any(item.isVisible() for item in view.tiles_layer.shown.values())
    cache.close()
