"""The Drift tab at the coast: safe, declared defaults; empty forcing until someone fills it;
the forecast through the desk's cache in a worker; stranding told and drawn; the areas and
the datum following the time slider."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from sarapp.drift.params import PARAM_SPECS
from sarapp.model import Position
from sarapp.store import Desk

EPIRB = Position(61.7, 4.7, datetime(2026, 12, 3, 12, 0, tzinfo=UTC), "gnss", 185.0)


def _epirb_case(desk_path) -> str:
    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(title="EPIRB off Norway", author="op", lkp=EPIRB).cases
    return case_id


def test_the_form_uses_the_declared_ranges_and_defaults(qtbot, desk_path, open_window):
    """Before: hours up to 240 (the core: 720), particles up to 500,000 (2,000,000), 1,000 m."""
    window = open_window(desk_path)
    panel = window.drift_panel
    assert panel.hours.maximum() == PARAM_SPECS["hours"].high
    assert panel.particles.maximum() == PARAM_SPECS["particles"].high
    assert panel.radius.maximum() == PARAM_SPECS["radius_m"].high
    assert panel.radius.value() == PARAM_SPECS["radius_m"].default
    assert panel.current_std.value() == PARAM_SPECS["current_std_ms"].default


def test_wind_and_current_start_empty_and_a_run_needs_a_wind(qtbot, desk_path, open_window):
    """Before: 'wind 0° from 15 kt, current 90° 0.5 kt', which look like observations."""
    _epirb_case(desk_path)
    window = open_window(desk_path)
    panel = window.drift_panel
    for box in (panel.wind_from, panel.wind_kt, panel.current_to, panel.current_kt):
        assert box.text() == box.specialValueText() != ""  # a placeholder, no value
    panel.run_button.click()
    assert "wind" in panel.error.text()
    assert window.chart.drift_worker is None


def _onshore_run(qtbot, window, hours=12):
    panel = window.drift_panel
    panel.hours.setValue(hours)
    panel.particles.setValue(2000)
    panel.wind_from.setValue(270)
    panel.wind_kt.setValue(25)
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=60000)


def test_stranding_is_told_in_the_tab_the_legend_and_drawn_apart(qtbot, desk_path, open_window):
    case_id = _epirb_case(desk_path)
    window = open_window(desk_path)
    _onshore_run(qtbot, window)
    assert "of the particles stranded" in window.drift_panel.notes.text()
    layer = window.map_view.drift_layer
    assert layer.ashore_count > 100
    assert "stranded" in window.map_view.layer_panel.legend.text()
    assert "stranded" in window.store.log.entries(case_id)[-1].text
    assert "ashore" in window.drift_panel.runs.item(0).text()


def test_the_areas_and_the_datum_follow_the_time_slider(qtbot, desk_path, open_window):
    """Before: the 50 % area was drawn only at the last snapshot."""
    _epirb_case(desk_path)
    window = open_window(desk_path)
    _onshore_run(qtbot, window, hours=6)
    layer, slider = window.map_view.drift_layer, window.map_view.drift_controls.slider
    at_end = layer.areas[0.5].getData()[0].copy()
    datum_end = layer.datum.getData()[0][0]
    slider.setValue(2)
    at_two = layer.areas[0.5].getData()[0]
    assert at_two is not None and len(at_two) > 0
    assert not np.array_equal(at_two, at_end)
    assert layer.datum.getData()[0][0] != datum_end


class _FakeOpenMeteo(BaseHTTPRequestHandler):
    def do_GET(self):
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        self.server.hits += 1
        speed, direction = query["hourly"].split(",")
        t0 = int(datetime.fromisoformat(query["start_hour"] + "+00:00").timestamp())
        hours = [t0 + 3600 * k for k in range(30)]
        # wind 8 m/s from the west; current 0.2 m/s towards the east
        value, towards = (0.2, 90.0) if speed.startswith("ocean") else (8.0, 270.0)
        points = [
            {
                "latitude": float(la),
                "longitude": float(lo),
                "hourly_units": {"time": "unixtime", speed: "m/s", direction: "°"},
                "hourly": {"time": hours, speed: [value] * 30, direction: [towards] * 30},
            }
            for la, lo in zip(
                query["latitude"].split(","), query["longitude"].split(","), strict=True
            )
        ]
        body = json.dumps(points).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def open_meteo():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenMeteo)
    httpd.hits = 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_the_drift_tab_uses_the_forecast_and_its_cache(qtbot, desk_path, open_window, open_meteo):
    """Before: only 'drift run --open-meteo' could; the request box lived in the CLI."""
    case_id = _epirb_case(desk_path)
    window = open_window(desk_path)
    window.chart.forecast_urls = {
        "forecast_url": open_meteo.url + "/v1/forecast",
        "marine_url": open_meteo.url + "/v1/marine",
    }
    panel = window.drift_panel
    panel.forecast.setChecked(True)
    assert not panel.wind_kt.isEnabled()
    panel.hours.setValue(2)
    panel.particles.setValue(500)
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=60000)
    assert open_meteo.hits == 2  # wind and current, fetched once in the worker
    (record,) = window.store.drift.runs(case_id)
    assert record.forcing["wind"]["type"] == "grid"
    window.chart.last_drift = None
    panel.run_button.click()  # again: from the desk's cache, no new request
    qtbot.waitUntil(lambda: window.chart.last_drift is not None, timeout=60000)
    assert open_meteo.hits == 2


def test_the_drift_tab_draws_its_seed_below_2_53(qtbot, desk_path, open_window, monkeypatch):
    case_id = _epirb_case(desk_path)
    window = open_window(desk_path)

    class BigEntropy:
        def __init__(self, *args, **kwargs):
            self.entropy = 2**62 + 7

    monkeypatch.setattr(np.random, "SeedSequence", BigEntropy)
    _onshore_run(qtbot, window, hours=1)
    (record,) = window.store.drift.runs(case_id)
    assert 0 <= record.seed < 2**53
