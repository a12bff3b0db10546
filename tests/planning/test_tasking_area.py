"""The rectangle a pattern searches, its coverage, and the coverage of a stored POD."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import search_pattern
from sarapp.planning.plan_area import (
    coverage_for_pod,
    pattern_box,
    pattern_coverage,
    pattern_rectangle,
)
from sarapp.planning.pod import pod

GEOD = Geod(ellps="WGS84")


def _rect(laid, **kw):
    return pattern_rectangle(
        laid.kind,
        waypoints=[(w.lat, w.lon) for w in laid.waypoints],
        course_deg=laid.course_deg,
        spacing_nm=laid.spacing_nm,
        **kw,
    )


def _side_nm(a, b):
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1852.0


def test_parallel_track_area_is_w_by_l_along_the_course():
    laid = search_pattern(
        "parallel-track",
        csp_lat=59.5,
        csp_lon=5.0,
        course_deg=30.0,
        spacing_nm=2.0,
        width_nm=10.0,
        length_nm=16.0,
    )
    rect = _rect(laid)
    assert rect.length_nm == pytest.approx(16.0, abs=0.01)
    assert rect.width_nm == pytest.approx(10.0, abs=0.01)
    assert rect.orientation_deg == 30.0 and rect.area_nm2 == pytest.approx(160.0, abs=0.3)
    c = rect.corners
    assert len(c) == 5 and c[0] == c[-1]
    assert _side_nm(c[0], c[1]) == pytest.approx(16.0, abs=0.01)
    assert _side_nm(c[1], c[2]) == pytest.approx(10.0, abs=0.01)
    # The CSP lies S/2 inside the corner of the area.
    csp = (laid.csp_lat, laid.csp_lon)
    assert _side_nm(csp, c[0]) == pytest.approx(math.sqrt(2.0), abs=0.01)


def test_sector_area_reaches_the_radius_and_has_no_margin():
    laid = search_pattern("sector", csp_lat=43.0, csp_lon=9.0, course_deg=0.0, radius_nm=3.0)
    rect = _rect(laid)
    assert rect.length_nm == pytest.approx(6.0, abs=0.01)  # N–S vertices at ±R
    assert rect.width_nm == pytest.approx(6.0 * math.sin(math.radians(60)), abs=0.01)


def test_non_return_track_line_needs_a_sweep_width():
    laid = search_pattern(
        "track-line", csp_lat=43.0, csp_lon=9.0, course_deg=90.0, length_nm=20.0, returning=False
    )
    with pytest.raises(PlanningError, match="needs the sweep width"):
        _rect(laid)
    rect = _rect(laid, sweep_width_nm=2.0)
    assert rect.width_nm == pytest.approx(2.0, abs=1e-6)
    assert rect.length_nm == pytest.approx(22.0, abs=0.01)


def test_coverage_is_effort_over_area():
    assert pattern_coverage(sweep_width_nm=0.8, searching_nm=42.0, area_nm2=48.0) == pytest.approx(
        0.7
    )
    with pytest.raises(PlanningError, match="sweep width"):
        pattern_coverage(sweep_width_nm=0.0, searching_nm=1.0, area_nm2=1.0)


@given(st.floats(0.0, 0.999), st.sampled_from(["normal", "ideal"]))
def test_coverage_for_pod_inverts_both_curves(value, conditions):
    assert pod(coverage_for_pod(value, conditions), conditions) == pytest.approx(value, abs=1e-9)


def test_pod_of_one_or_more_has_no_coverage():
    with pytest.raises(PlanningError, match="below 1"):
        coverage_for_pod(1.0)


@given(
    lat=st.floats(-80.0, 80.0),
    lon=st.floats(-179.0, 179.0),
    course=st.floats(0.0, 359.9),
    width=st.floats(2.0, 40.0),
    length=st.floats(2.0, 60.0),
)
def test_pattern_box_agrees_with_the_exact_rectangle(lat, lon, course, width, length):
    """The annual report's quick box is the exact rectangle (area to 1e-6, corners to 1 m)."""
    laid = search_pattern(
        "parallel-track",
        csp_lat=lat,
        csp_lon=lon,
        course_deg=course,
        spacing_nm=1.0,
        width_nm=width,
        length_nm=length,
    )
    rect = _rect(laid)
    box = pattern_box(
        laid.kind,
        waypoints=[(w.lat, w.lon) for w in laid.waypoints],
        course_deg=laid.course_deg,
        spacing_nm=laid.spacing_nm,
    )
    assert box.area_nm2 == pytest.approx(rect.area_nm2, rel=1e-6)
    assert box.contains(rect.centre_lat, rect.centre_lon)
    pairs = zip(sorted(box.corners()), sorted(rect.corners[:4]), strict=True)
    for (b_lat, b_lon), (r_lat, r_lon) in pairs:
        assert GEOD.inv(b_lon, b_lat, r_lon, r_lat)[2] < 1.0  # metres
    south, west, north, east = box.bounds()
    for c_lat, c_lon in rect.corners:
        assert south <= c_lat <= north
        assert (west <= c_lon <= east) if west <= east else (c_lon >= west or c_lon <= east)


def test_pattern_box_contains_inside_and_not_outside():
    laid = search_pattern(
        "expanding-square", csp_lat=43.0, csp_lon=5.0, course_deg=45.0, spacing_nm=1.0, legs=8
    )
    box = pattern_box(
        laid.kind,
        waypoints=[(w.lat, w.lon) for w in laid.waypoints],
        course_deg=45.0,
        spacing_nm=1.0,
    )
    assert box.contains(43.0, 5.0)
    lat, lon = GEOD.fwd(5.0, 43.0, 45.0, 1.9 * 1852.0)[1::-1]
    assert box.contains(lat, lon)  # 1.9 NM along the first course: within 2 + S/2
    lat, lon = GEOD.fwd(5.0, 43.0, 45.0, 4.0 * 1852.0)[1::-1]
    assert not box.contains(lat, lon)
