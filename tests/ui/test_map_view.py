"""The chart widget, offscreen: layers toggle and restack, the slider moves the cloud, the range
tool reads geodesic distances (set and clicked), features tell their details, PNG export."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from sarapp.maps.errors import MapsError
from sarapp.maps.projection import to_mercator
from sarapp.maps.synthetic import synthetic_drift, synthetic_units
from sarapp.model import AlertPhase, Case, CaseId, CaseStatus, Position
from sarapp.ui.map_view import MapView

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LAT, LON = 48.2, -4.9


@pytest.fixture
def view(qtbot):
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _case() -> tuple[Case, list[Position]]:
    lkp = Position(LAT, LON, NOW - timedelta(hours=3), "reported", 900.0)
    case = Case(
        CaseId("c1"),
        "2026-0042",
        "FV taking water",
        AlertPhase.DETRESFA,
        CaseStatus.OPEN,
        NOW,
        NOW,
        lkp=lkp,
    )
    positions = [
        lkp,
        Position(48.1, -5.0, NOW - timedelta(hours=4), "doppler-A"),
        Position(48.4, -5.5, NOW - timedelta(hours=4), "doppler-B"),
        Position(48.25, -4.95, NOW - timedelta(minutes=90), "ais"),
    ]
    return case, positions


def _drift(particles: int = 3000):
    return synthetic_drift(
        LAT, LON, start=NOW, hours=6, particles=particles, rng=np.random.default_rng(7)
    )


def _click(qtbot, view: MapView, lat: float, lon: float) -> None:
    scene_point = view.canvas.to_view(lat, lon)
    pos = view.canvas.mapFromScene(scene_point)
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_layers_toggle_from_the_list_and_the_api(view):
    view.set_drift(_drift())
    case, positions = _case()
    view.set_case(case, positions, now=NOW)
    assert all(item.isVisible() for item in view.cases_layer.items)
    row = view.layer_panel.names().index("Case positions")
    view.layer_panel.list.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not any(item.isVisible() for item in view.cases_layer.items)
    assert "last known position" not in view.layer_panel.legend.text()
    view.set_layer_visible("Drift", False)
    assert not view.drift_layer.image.isVisible() and not view.drift_layer.track.isVisible()
    view.set_layer_visible("Drift", True)
    assert view.drift_layer.track.isVisible()
    assert "particles afloat (3,000)" in view.layer_panel.legend.text()


def test_layer_order_stacks_the_items(view):
    view.set_units(synthetic_units(LAT, LON, now=NOW), now=NOW)
    view.set_drift(_drift())
    view.set_layer_order(["Drift", "Rescue units"])
    assert view.layer_names()[:2] == ["Drift", "Rescue units"]
    assert view.layer_panel.names() == view.layer_names()
    lowest_drift = min(item.zValue() for item in view.drift_layer.items)
    highest_units = max(item.zValue() for item in view.units_layer.items)
    assert lowest_drift > highest_units


def test_slider_moves_the_cloud(view):
    products = _drift()
    view.set_drift(products, index=0)
    view.zoom_to(47.9, -5.4, 48.6, -4.3)
    controls = view.drift_controls
    assert controls.slider.maximum() == 6 and controls.isEnabled()
    view.drift_layer.set_index(0)
    before = np.column_stack(view.drift_layer.points.getData())
    controls.slider.setValue(5)
    assert view.drift_layer.index == 5
    after = np.column_stack(view.drift_layer.points.getData())
    x, _ = to_mercator(products.lat[5], products.lon[5])
    assert view.drift_layer.mode == "points"
    assert len(after) == len(x)
    assert np.allclose(np.sort(after[:, 0]), np.sort(x))
    assert abs(after[:, 0].mean() - before[:, 0].mean()) > 1000  # metres: it moved
    datum_x, _ = view.drift_layer.datum.getData()
    assert datum_x[0] == pytest.approx(to_mercator(products.datum_lat[5], products.datum_lon[5])[0])
    assert "+5 h" in controls.time_label.text()


def test_many_particles_are_a_density_image_until_zoomed_in(view):
    products = _drift(particles=40_000)
    view.set_drift(products)
    view.zoom_to_case()
    assert view.drift_layer.mode == "density"
    image = view.drift_layer.image.image
    assert image is not None and image.max() > 0
    lat, lon = float(products.datum_lat[-1]), float(products.datum_lon[-1])
    view.canvas.centre_on(lat, lon, span_nm=0.3)
    assert view.drift_layer.mode == "points"
    shown = len(view.drift_layer.points.getData()[0])
    assert 0 < shown <= 6000


def test_play_steps_through_the_hours(view, qtbot):
    view.set_drift(_drift(), index=0)
    view.drift_controls.timer.setInterval(10)
    view.drift_controls.play_button.setChecked(True)
    qtbot.waitUntil(lambda: view.drift_layer.index == 6, timeout=20000)
    qtbot.waitUntil(lambda: not view.drift_controls.play_button.isChecked(), timeout=1000)


@pytest.mark.parametrize(
    ("a", "b", "metres"),
    [
        ((0.0, 0.0), (0.0, 1.0), 6378137.0 * math.pi / 180.0),  # equator: a · 1° in radians
        ((0.0, 10.0), (1.0, 10.0), 110574.389),  # meridian arc 0°→1° on WGS84
    ],
)
def test_range_tool_reads_known_geodesics(view, a, b, metres):
    reading = view.set_range_points(*a, *b)
    assert reading.distance_m == pytest.approx(metres, rel=1e-3)
    assert view.range_label.text() == reading.text


def _meridian_arc_m(lat1: float, lat2: float) -> float:
    """WGS84 meridian arc by the radius of curvature M(φ) = a(1−e²)/(1−e²sin²φ)^1.5, summed."""
    a, e2 = 6378137.0, 0.00669437999014
    phi = np.radians(np.linspace(lat1, lat2, 20001))
    m = a * (1 - e2) / (1 - e2 * np.sin(phi) ** 2) ** 1.5
    return float(np.trapezoid(m, phi))


def test_range_tool_by_two_clicks(view, qtbot):
    view.resize(1200, 1700)  # 1° of latitude over ~1500 px: a pixel is < 0.07 % of it
    view.zoom_to(49.98, -5.3, 51.02, -4.7)
    view.range_button.setChecked(True)
    _click(qtbot, view, 50.0, -5.0)
    _click(qtbot, view, 51.0, -5.0)
    reading = view.range_tool.reading
    assert reading is not None
    assert reading.distance_m == pytest.approx(_meridian_arc_m(50.0, 51.0), rel=1e-3)
    assert reading.bearing_deg == pytest.approx(0.0, abs=0.5) or reading.bearing_deg > 359.5
    assert "NM" in view.range_label.text()


def test_clicking_a_feature_shows_its_details(view, qtbot):
    case, positions = _case()
    view.set_case(case, positions, now=NOW)
    _click(qtbot, view, LAT, LON)
    assert "LKP of case 2026-0042" in view.details.text()
    assert "3 h 00 min ago" in view.details.text()
    view.set_units(synthetic_units(LAT, LON, now=NOW), now=NOW)
    unit = view.units_layer.units[0]
    _click(qtbot, view, unit.last.lat, unit.last.lon)
    assert view.details.text().startswith(unit.name)


def test_doppler_pair_and_sources_are_drawn(view):
    case, positions = _case()
    view.set_case(case, positions, now=NOW)
    legend = view.layer_panel.legend.text()
    for text in ("position: doppler-A", "position: doppler-B", "Doppler A/B pair", "position: ais"):
        assert text in legend
    lines = [i for i in view.cases_layer.items if type(i).__name__ == "PlotCurveItem"]
    assert len(lines) == 2  # the A–B line, and the accuracy circles (one curve)


def test_cursor_position_in_ddm(view, qtbot):
    view.zoom_to(47.0, -6.0, 49.0, -4.0)
    scene_point = view.canvas.to_view(48.5, -5.25)
    qtbot.mouseMove(view.canvas.viewport(), view.canvas.mapFromScene(scene_point))
    qtbot.waitUntil(lambda: view.cursor_label.text() != "—", timeout=1000)
    assert view.cursor_label.text().startswith("48°")
    assert "N" in view.cursor_label.text() and "W" in view.cursor_label.text()


def test_units_are_greyed_when_stale(view):
    units = synthetic_units(LAT, LON, now=NOW)
    view.set_units(units, now=NOW)
    assert view.units_layer.stale == [False, False, False, True]
    assert "no fix for over 1 h" in view.layer_panel.legend.text()


def test_export_png_at_a_chosen_width(view, tmp_path):
    view.set_drift(_drift())
    path = view.export_png(tmp_path / "chart.png", width=1600)
    image = QImage(str(path))
    canvas = view.canvas.size()
    assert image.width() == 1600
    assert image.height() == round(1600 * canvas.height() / canvas.width())
    with pytest.raises(MapsError, match="too small"):
        view.export_png(tmp_path / "x.png", width=4)


def test_export_features_of_what_is_shown(view, tmp_path):
    case, positions = _case()
    view.set_case(case, positions, now=NOW)
    view.set_drift(_drift())
    view.set_units(synthetic_units(LAT, LON, now=NOW), now=NOW)
    path = view.export_features(tmp_path / "chart.geojson")
    kinds = {f["properties"]["kind"] for f in json.loads(path.read_text())["features"]}
    assert {"lkp", "position", "datum-track", "area-50%", "unit", "lifeboat"} <= kinds


def test_zoom_to_shows_the_box(view):
    view.zoom_to(43.0, 5.0, 44.0, 6.0)
    lat0, lon0, lat1, lon1 = view.canvas.view_bounds()
    assert lat0 <= 43.0 and lat1 >= 44.0 and lon0 <= 5.0 and lon1 >= 6.0
    assert lon1 - lon0 < 3.0
    assert view.canvas.coast_level == "10m"
