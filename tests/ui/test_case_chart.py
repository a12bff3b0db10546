"""Units, tiles and exports from the app's chart."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from sarapp.model import Position
from sarapp.store import Desk
from sarapp.ui import chart_settings


def _case(desk_path) -> str:
    with Desk.open(desk_path) as store:
        lkp = Position(43.1, 9.2, time=datetime(2026, 11, 26, 14, 30, tzinfo=UTC))
        (case_id,) = store.cases.create(title="FV Marie-Jo", author="op", lkp=lkp).cases
    return case_id


def test_units_registered_and_reported_appear_on_the_chart(qtbot, desk_path, open_window):
    _case(desk_path)
    window = open_window(desk_path)
    dialog = window.chart.open_units()
    dialog.name.setText("SNS 061")
    dialog.unit_type.setCurrentIndex(dialog.unit_type.findData("lifeboat"))
    dialog.mmsi.setText("12345")
    assert not dialog.register_unit() and "MMSI" in dialog.error.text()
    dialog.mmsi.setText("227006100")
    assert dialog.register_unit() and dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    dialog.position.setText("43°05'N 9°15'E")
    dialog.heading.setValue(310)
    assert dialog.report_position()
    (track,) = window.map_view.units_layer.units
    assert track.name == "SNS 061" and track.last.heading_deg == 310


def test_exports_write_parseable_files(qtbot, desk_path, tmp_path, open_window):
    _case(desk_path)
    window = open_window(desk_path)
    png = window.chart.export_png(tmp_path / "chart.png", width=1200)
    image = QImage(str(png))
    assert image.width() == 1200 and image.height() > 100
    kml = window.chart.export_features(tmp_path / "case.kml")
    names = [e.text for e in ET.parse(kml).iter() if e.tag.endswith("name")]
    assert any((n or "").endswith("LKP") for n in names)
    geojson = json.loads(window.chart.export_features(tmp_path / "case.geojson").read_text())
    assert geojson["type"] == "FeatureCollection" and geojson["features"]
    assert window.chart.export_features(tmp_path / "case.docx") is None
    assert window.last_error


class _Tiles(BaseHTTPRequestHandler):
    def do_GET(self):
        image = QImage(256, 256, QImage.Format.Format_RGB32)
        image.fill(QColor("#3366aa"))
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        body = bytes(data)
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_tiles_dialog_prepares_the_area_at_chosen_zooms(
    qtbot, desk_path, tmp_path, open_window, monkeypatch
):
    monkeypatch.setattr(chart_settings, "tiles_path", lambda: tmp_path / "tiles.mbtiles")
    _case(desk_path)
    window = open_window(desk_path)
    window.map_view.zoom_to(43.0, 9.0, 43.2, 9.3)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    httpd.hits = 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        dialog = window.chart.open_tiles()
        dialog.url.setText("ftp://nowhere")
        assert not dialog.use_source() and "http" in dialog.error.text()
        dialog.url.setText(f"http://127.0.0.1:{httpd.server_address[1]}/{{z}}/{{x}}/{{y}}.png")
        dialog.min_zoom.setValue(6)
        dialog.max_zoom.setValue(7)
        worker = dialog.prepare()
        assert worker is not None
        qtbot.waitUntil(lambda: window.map_view.tile_worker is None, timeout=20000)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert httpd.hits >= 2  # at least one tile per zoom
    assert (tmp_path / "tiles.mbtiles").exists()
