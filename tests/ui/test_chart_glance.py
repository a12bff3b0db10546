"""A chart read at a glance: land filled, labels that never pile up, "Zoom to case" framing
what matters, accuracy circles, thin plan tracks over translucent areas, the slider snapping
to a plan's search window, other runs overlaid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from sarapp.maps.plan_layer_data import PlanShape
from sarapp.maps.synthetic import synthetic_drift
from sarapp.model import AlertPhase, Case, CaseId, CaseStatus, Position
from sarapp.ui.map_overlays import RunOverlay
from sarapp.ui.map_view import MapView

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LAT, LON = 61.70, 4.60  # off the Norwegian coast


@pytest.fixture
def view(qtbot):
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _case(*positions: Position) -> Case:
    lkp = Position(LAT, LON, NOW - timedelta(hours=1), "encoded", 120.0)
    case = Case(
        CaseId("c"), "2026-0099", "EPIRB", AlertPhase.DETRESFA, CaseStatus.OPEN, NOW, NOW, lkp=lkp
    )
    return case, [lkp, *positions]


def test_zoom_to_case_leaves_out_the_doppler_mirror(view):
    """Before: the low-probability Doppler B 50 NM away set the frame."""
    mirror = Position(62.45, 3.2, NOW - timedelta(hours=2), "doppler-B", 5000.0)
    near_a = Position(61.71, 4.62, NOW - timedelta(hours=2), "doppler-A", 5000.0)
    case, positions = _case(near_a, mirror)
    view.set_case(case, positions, now=NOW)
    lat0, lon0, lat1, lon1 = view.canvas.view_bounds()
    assert lat0 < LAT < lat1 and lon0 < LON < lon1
    assert not (lat0 < mirror.lat < lat1 and lon0 < mirror.lon < lon1)


def test_zoom_to_case_frames_the_tasked_plans(view):
    case, positions = _case()
    area = ((61.9, 4.9), (61.9, 5.1), (62.0, 5.1), (62.0, 4.9), (61.9, 4.9))
    view.set_case(case, positions, now=NOW, zoom=False)
    view.set_plans(
        [PlanShape("p", "Rescue 22", "creeping-line", "CS", "planned", 0.5, area[:2], area)]
    )
    view.zoom_to_case()
    _, _, lat1, lon1 = view.canvas.view_bounds()
    assert lat1 > 62.0 and lon1 > 5.1


def test_labels_never_overlap_and_the_lkp_comes_first(view):
    """Before: the labels of reports a few metres apart were drawn on top of each other."""
    crowd = [
        Position(LAT + 0.0005 * k, LON + 0.0005 * k, NOW - timedelta(minutes=10 * k), "ais")
        for k in range(1, 25)
    ]
    case, positions = _case(*crowd)
    view.set_case(case, positions, now=NOW)
    view.canvas.centre_on(LAT, LON, span_nm=20)
    labels = view.canvas.labels
    shown = [lb for lb in labels.labels if lb.shown]
    rects = [lb.rect for lb in shown]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    assert any(lb.kind == "lkp" for lb in shown)
    assert labels.hidden()  # no room for every one: the rest on hover or closer in
    assert any(lb.leader for lb in shown)  # some set off their mark with a leader line
    assert all(lb.item.textItem.font().pointSizeF() >= 10 for lb in labels.labels)
    view.canvas.centre_on(LAT + 0.006, LON + 0.006, span_nm=1.5)  # closer in: more room
    assert len([lb for lb in labels.labels if lb.shown]) > len(shown)


def test_accuracy_circles_are_drawn(view):
    doppler = Position(61.71, 4.62, NOW - timedelta(hours=2), "doppler-A", 5000.0)
    case, positions = _case(doppler)
    view.set_case(case, positions, now=NOW)
    assert view.cases_layer.accuracy_count == 2  # the LKP's 120 m and the Doppler's 5 km
    assert "stated accuracy" in view.layer_panel.legend.text()


def test_land_is_filled_at_the_coast(view):
    view.canvas.centre_on(61.8, 5.0, span_nm=40)
    path = view.canvas.land_item.path()
    assert not path.isEmpty()
    assert (
        view.canvas.land_item.brush().color().name() != view.canvas.backgroundBrush().color().name()
    )


def test_plan_tracks_are_thin_over_a_translucent_area(view):
    area = ((61.9, 4.9), (61.9, 5.1), (62.0, 5.1), (62.0, 4.9), (61.9, 4.9))
    view.set_plans([PlanShape("p", "R22", "creeping-line", "CS", "planned", 0.5, area, area)])
    curves = [i for i in view.plans_layer.items if type(i).__name__ == "PlotCurveItem"]
    fill, track = curves
    assert fill.opts["brush"].color().alpha() <= 40
    assert track.opts["pen"].widthF() <= 1.0 and track.opts["pen"].color().alpha() < 255


def _drift():
    return synthetic_drift(
        LAT, LON, start=NOW, hours=12, particles=2000, rng=np.random.default_rng(1)
    )


def test_the_slider_snaps_to_the_search_window(view):
    view.set_drift(_drift())
    view.show_search_window(NOW + timedelta(hours=4), NOW + timedelta(hours=6))
    slider = view.drift_controls.slider
    assert slider.value() == 5  # the window's middle
    slider.setValue(11)  # outside the window: held at its edge
    assert view.drift_layer.index == 6
    assert "search window" in view.drift_controls.time_label.text()
    view.show_search_window(None, None)
    slider.setValue(11)
    assert view.drift_layer.index == 11


def test_other_runs_are_overlaid_in_their_colours_and_listed(view):
    drift = _drift()
    track = tuple(float(v) for v in drift.datum_lat), tuple(float(v) for v in drift.datum_lon)
    area = drift.areas[12]
    overlays = [RunOverlay("031100Z DEC 26 obj 32", *track, area[0.5], area[0.9])]
    view.set_overlays(overlays * 2)
    legend = view.layer_panel.legend.text()
    assert "D2: 031100Z DEC 26 obj 32" in legend and "D3:" in legend
    colours = {i.opts["pen"].color().name() for i in view.overlays_layer.items}
    assert len(colours) == 2
