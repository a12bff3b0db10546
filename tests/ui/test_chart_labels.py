"""Chart labels inside the view and legible: near an edge or in a crowded corner the LKP and
datum labels are shifted inward (a leader line to their mark), and they sit above the drift
cloud on a plate that keeps them at 4.5:1 on it."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from sarapp.maps.features import UnitFix, UnitTrack, UnitType
from sarapp.maps.projection import point_to_mercator, point_to_wgs84
from sarapp.maps.synthetic import synthetic_drift
from sarapp.ui.map_view import MapView
from tests.ui.contrast import MIN_CONTRAST, contrast

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LAT, LON = 61.70, 4.60


@pytest.fixture
def view(qtbot):
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _drift(particles: int = 2000):
    return synthetic_drift(
        LAT, LON, start=NOW, hours=12, particles=particles, rng=np.random.default_rng(1)
    )


def _datum_label(view):
    return next(lb for lb in view.canvas.labels.labels if lb.kind == "datum")


def _put_datum_at(view, fx: float, fy: float) -> None:
    """Pan so the datum's mark lies at (fx, fy) of the view's width and height."""
    drift = view.drift_layer.products
    k = view.drift_layer.index
    x, y = point_to_mercator(float(drift.datum_lat[k]), float(drift.datum_lon[k]))
    vb = view.canvas.vb
    (x0, x1), (y0, y1) = vb.viewRange()
    w, h = x1 - x0, y1 - y0
    left, top = x - fx * w, y + fy * h
    vb.setRange(xRange=(left, left + w), yRange=(top - h, top), padding=0)


@pytest.mark.parametrize(
    "fx, fy",
    [(0.998, 0.5), (0.002, 0.5), (0.5, 0.004), (0.5, 0.996), (0.998, 0.004), (0.002, 0.996)],
)
def test_the_datum_label_stays_inside_the_view_at_its_edges(view, fx, fy):
    view.set_drift(_drift())
    view.canvas.centre_on(LAT, LON, span_nm=30)
    _put_datum_at(view, fx, fy)
    label = _datum_label(view)
    frame = view.canvas.vb.sceneBoundingRect()
    assert label.shown
    assert frame.contains(label.item.sceneBoundingRect())
    assert frame.contains(label.rect)


def test_the_datum_label_is_shifted_inward_with_a_leader_when_its_corner_is_crowded(view):
    """Before: with the datum in a corner and the places left beside it taken by other marks,
    the datum's label was hidden (the LKP and datum labels must always show)."""
    view.set_drift(_drift())
    view.canvas.centre_on(LAT, LON, span_nm=30)
    _put_datum_at(view, 0.995, 0.01)
    vb = view.canvas.vb
    drift = view.drift_layer.products
    anchor = vb.mapViewToScene(
        QPointF(*point_to_mercator(float(drift.datum_lat[-1]), float(drift.datum_lon[-1])))
    )
    # units on every place beside the datum a label could take inside the view
    crowd = [(-30, 0), (-60, 0), (-90, 0), (-40, 36), (-90, 36), (-130, 36)]
    crowd += [(-40, 64), (-90, 64), (-130, 64), (0, 30), (0, 60)]
    units = []
    for k, (dx, dy) in enumerate(crowd):
        point = vb.mapSceneToView(anchor + QPointF(dx, dy))
        lat, lon = point_to_wgs84(point.x(), point.y())
        kind = (UnitType.LIFEBOAT, UnitType.HELICOPTER, UnitType.PATROL_VESSEL)[k % 3]
        units.append(UnitTrack(f"U{k}", kind, (UnitFix(lat, lon, NOW),)))
    view.set_units(units, now=NOW)
    label = _datum_label(view)
    frame = vb.sceneBoundingRect()
    assert label.shown and label.leader
    assert frame.contains(label.item.sceneBoundingRect())


def test_the_datum_label_is_drawn_above_the_cloud_and_reads_on_it(view):
    """Before (docs/screenshot.png): the DATUM label's letters ran into the particle cloud,
    dark blue on its dark green."""
    drift = synthetic_drift(
        LAT, LON, start=NOW, hours=6, particles=20_000, rng=np.random.default_rng(1), speed_m_s=0.1
    )  # a slow, round cloud: the datum in its densest part
    view.set_drift(drift)
    view.canvas.centre_on(float(drift.datum_lat[-1]), float(drift.datum_lon[-1]), span_nm=12)
    assert view.drift_layer.mode == "density"
    label = _datum_label(view)
    assert label.shown
    cloud_z = max(item.zValue() for item in view.drift_layer.items)
    lkp_like = [lb for lb in view.canvas.labels.labels if lb.kind in ("lkp", "datum")]
    assert all(lb.item.zValue() > cloud_z for lb in lkp_like)
    # What lies behind the text, as drawn: the ring of pixels just inside the label's box
    # (no glyph reaches it). Each of them must leave the text at 4.5:1 at least.
    image = view.canvas.grab().toImage()
    box = view.canvas.mapFromScene(label.rect).boundingRect().adjusted(1, 1, -2, -2)
    ring = [
        image.pixelColor(x, y)
        for x in range(box.left(), box.right())
        for y in (box.top(), box.bottom())
    ]
    ring += [
        image.pixelColor(x, y)
        for y in range(box.top(), box.bottom())
        for x in (box.left(), box.right())
    ]
    text = label.item.color
    worst = min(ring, key=lambda c: contrast(text, c))
    ratio = contrast(text, worst)
    assert ratio >= MIN_CONTRAST, f"{text.name()} on {worst.name()} {ratio:.1f}:1"
    below = box.translated(0, box.height() + 6)  # the cloud just below the label, unplated
    cloud = [image.pixelColor(x, below.center().y()) for x in range(below.left(), below.right())]
    assert min(contrast(text, c) for c in cloud) < MIN_CONTRAST  # the label is on the cloud
