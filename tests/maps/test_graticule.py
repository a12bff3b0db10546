"""Graticule steps and labels in degrees and minutes; scale bar lengths; projection round trip."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarapp.geo import NM
from sarapp.maps.graticule import STEPS_MIN, label, lines, step_for
from sarapp.maps.projection import ground_scale, point_to_mercator, point_to_wgs84
from sarapp.maps.scalebar import scale_bar


def test_lines_and_labels_read_like_a_chart():
    lat = lines(42.9, 43.7, axis="lat")
    assert lat.step_min == 10
    assert lat.labels == ("43°00'N", "43°10'N", "43°20'N", "43°30'N", "43°40'N")
    lon = lines(-5.7, -4.9, axis="lon")
    assert lon.labels[0] == "005°40'W" and lon.labels[-1] == "005°00'W"
    assert lines(-40, 20, axis="lon").labels[:2] == ("040°W", "030°W")
    assert label(43.125, axis="lat", step_min=0.5) == "43°07.5'N"
    assert label(-33.5, axis="lat", step_min=30) == "33°30'S"


def test_longitudes_wrap_across_the_antimeridian():
    labels = lines(179.0, 181.0, axis="lon").labels
    assert labels[0] == "179°00'E" and labels[-1] == "179°00'W" and "180°00'" in labels


@given(
    st.floats(-80, 79),
    st.floats(0.001, 10),
    st.integers(2, 12),
)
def test_lines_are_inside_the_span_and_evenly_stepped(low, span, target):
    high = min(low + span, 80.0)
    grid = lines(low, high, axis="lat", target_lines=target)
    assert grid.step_min in STEPS_MIN
    assert all(low - 1e-6 <= v <= high + 1e-6 for v in grid.values)
    steps = [b - a for a, b in zip(grid.values, grid.values[1:], strict=False)]
    assert all(math.isclose(s, grid.step_min / 60, abs_tol=1e-8) for s in steps)
    assert len(grid.values) <= 2 * target + 2 or grid.step_min == STEPS_MIN[0]


def test_step_never_finer_than_asked():
    assert step_for(1.0, target_lines=6) == 10
    assert step_for(100.0) == 1800


@pytest.mark.parametrize(
    ("m_per_px", "nm"), [(100.0, 5.0), (5000.0, 200.0), (3.0, 0.2), (1852 / 160, 1.0)]
)
def test_scale_bar_picks_round_lengths_that_fit(m_per_px, nm):
    bar = scale_bar(m_per_px, max_px=160)
    assert bar.length_nm == nm
    assert bar.length_px <= 160.0001
    assert bar.length_px == pytest.approx(nm * NM / m_per_px)
    assert bar.label == f"{nm:g} NM"


def test_scale_bar_refuses_nonsense():
    with pytest.raises(ValueError, match="positive"):
        scale_bar(0.0)


@given(st.floats(-85, 85), st.floats(-180, 180))
def test_mercator_round_trip(lat, lon):
    back = point_to_wgs84(*point_to_mercator(lat, lon))
    assert back == pytest.approx((lat, lon), abs=1e-7)


def test_mercator_scale_factor():
    assert ground_scale(60.0) == pytest.approx(0.5)
    x, _ = point_to_mercator(0.0, 180.0)
    assert x == pytest.approx(20037508.34, abs=0.01)
