"""Search patterns: leg lengths and courses, checked on WGS84 with an independent inverse."""

import pytest
from pyproj import Geod

from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import search_pattern

GEOD = Geod(ellps="WGS84")
CSP = dict(csp_lat=60.0, csp_lon=5.0)


def _measured(pattern):
    """(course true °, length NM) of each leg, from the waypoints by the inverse geodesic."""
    out = []
    for a, b in zip(pattern.waypoints, pattern.waypoints[1:], strict=False):
        az, _, dist = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
        out.append((az % 360.0, dist / 1852.0))
    return out


def _angle(a, b):
    return (a - b + 180) % 360 - 180


def _assert_legs(pattern, expected, *, convergence_deg=1.0):
    """Each leg leaves exactly on its stated course and length; the course is the nominal one
    within the meridian convergence accumulated over the pattern."""
    measured = _measured(pattern)
    assert len(measured) == len(expected) == len(pattern.legs)
    for (course, length), (want_course, want_length), leg in zip(
        measured, expected, pattern.legs, strict=True
    ):
        assert _angle(course, leg.course_deg) == pytest.approx(0, abs=1e-6)
        assert length == pytest.approx(leg.length_nm, abs=1e-6)
        assert leg.length_nm == pytest.approx(want_length)
        assert abs(_angle(leg.course_deg, want_course)) < convergence_deg


def _distance_nm(a, b):
    return GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1852.0


def test_expanding_square_legs_grow_every_second_leg():
    p = search_pattern("expanding-square", **CSP, course_deg=0, spacing_nm=2, legs=6)
    # S, S, 2S, 2S, 3S, 3S with S = 2; courses 000, 090, 180, 270, 000, 090
    _assert_legs(p, [(0, 2), (90, 2), (180, 4), (270, 4), (0, 6), (90, 6)])
    assert p.code == "SS"
    assert p.track_length_nm == pytest.approx(24)
    assert p.waypoints[0].name == "CSP"


def test_expanding_square_left_turns():
    p = search_pattern("expanding-square", **CSP, course_deg=45, spacing_nm=1, legs=3, turn="left")
    _assert_legs(p, [(45, 1), (315, 1), (225, 2)])


def test_courses_are_exact_near_the_equator():
    p = search_pattern(
        "expanding-square", csp_lat=0.0, csp_lon=0.0, course_deg=0, spacing_nm=2, legs=4
    )
    assert [leg.course_deg for leg in p.legs] == pytest.approx([0, 90, 180, 270], abs=1e-4)


def test_sector_nine_legs_of_the_radius_through_the_datum():
    p = search_pattern("sector", **CSP, course_deg=10, radius_nm=5)
    turns = [0, 120, 240, 240, 0, 120, 120, 240, 0]
    _assert_legs(p, [((10 + t) % 360, 5) for t in turns])
    datum = p.waypoints[0]
    # back at the datum after legs 3, 6 and 9 (turns from the arrival heading close the
    # triangles to well under a metre)
    for i in (3, 6, 9):
        assert _distance_nm(p.waypoints[i], datum) < 1e-3
    # the outer points lie on the circle of the radius round the datum
    for i in (1, 2, 4, 5, 7, 8):
        assert _distance_nm(p.waypoints[i], datum) == pytest.approx(5, abs=0.02)


def test_sector_second_pattern_turned_30_degrees():
    first = search_pattern("sector", **CSP, course_deg=10, radius_nm=5)
    second = search_pattern("sector", **CSP, course_deg=10, radius_nm=5, second=True)
    assert second.legs[0].course_deg == pytest.approx(40)
    for a, b in zip(first.legs, second.legs, strict=True):
        assert abs(_angle(b.course_deg - 30, a.course_deg)) < 0.1


def test_parallel_track_over_an_area():
    p = search_pattern(
        "parallel-track", **CSP, course_deg=90, spacing_nm=2, width_nm=8, length_nm=20
    )
    # W/S = 4 tracks of L − S = 18 NM, joined by 3 crossings of S = 2 NM to the right (180°)
    _assert_legs(p, [(90, 18), (180, 2), (270, 18), (180, 2), (90, 18), (180, 2), (270, 18)])
    assert [leg.searching for leg in p.legs] == [True, False] * 3 + [True]
    assert p.code == "PS"
    # tracks stay S apart: start of track 3 is 2 S from the CSP, end of track 3 is 2 S from the
    # end of track 1
    assert _distance_nm(p.waypoints[0], p.waypoints[4]) == pytest.approx(4, abs=0.005)
    assert _distance_nm(p.waypoints[1], p.waypoints[5]) == pytest.approx(4, abs=0.005)


def test_creeping_line_tracks_across_the_course():
    p = search_pattern("creeping-line", **CSP, course_deg=0, spacing_nm=3, width_nm=10, length_nm=9)
    # L/S = 3 tracks across (090/270) of W − S = 7 NM, progressing 3 NM along 000
    _assert_legs(p, [(90, 7), (0, 3), (270, 7), (0, 3), (90, 7)])
    assert p.code == "CS"


def test_track_line_return_and_non_return():
    tsr = search_pattern("track-line", **CSP, course_deg=200, spacing_nm=2, length_nm=30)
    _assert_legs(tsr, [(200, 30), (290, 2), (20, 30)])
    assert tsr.code == "TSR"
    # the return track ends S abeam of the CSP even with 30 NM legs at 60° N
    assert _distance_nm(tsr.waypoints[-1], tsr.waypoints[0]) == pytest.approx(2, abs=0.005)
    tsn = search_pattern(
        "track-line", **CSP, course_deg=200, spacing_nm=2, length_nm=30, returning=False
    )
    _assert_legs(tsn, [(200, 30)])
    assert tsn.code == "TSN"


def test_patterns_cross_the_antimeridian():
    p = search_pattern(
        "expanding-square", csp_lat=-40, csp_lon=179.99, course_deg=90, spacing_nm=5, legs=2
    )
    assert -180 <= p.waypoints[1].lon <= -179.8
    _assert_legs(p, [(90, 5), (180, 5)])


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        ("spiral", dict(spacing_nm=1, legs=3), "pattern 'spiral'"),
        ("expanding-square", dict(spacing_nm=1), "--legs"),
        ("expanding-square", dict(legs=4), "spacing_nm"),
        ("sector", dict(), "--radius-nm"),
        ("parallel-track", dict(spacing_nm=1, length_nm=5), "--width-nm"),
        ("parallel-track", dict(spacing_nm=6, width_nm=10, length_nm=5), "less than the length"),
        ("track-line", dict(spacing_nm=1), "--length-nm"),
    ],
)
def test_missing_figures_are_named(kind, kwargs, message):
    with pytest.raises(PlanningError, match=message):
        search_pattern(kind, **CSP, course_deg=0, **kwargs)


def test_bad_csp_and_course():
    with pytest.raises(PlanningError, match="latitude 91"):
        search_pattern("sector", csp_lat=91, csp_lon=0, course_deg=0, radius_nm=1)
    with pytest.raises(PlanningError, match="course 400"):
        search_pattern("sector", **CSP, course_deg=400, radius_nm=1)
