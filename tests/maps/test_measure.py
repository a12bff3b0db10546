"""Range and bearing: geodesic figures against known values."""

from __future__ import annotations

import itertools
import math

import pytest

from sarapp.maps.measure import geodesic_path, range_bearing


def test_one_degree_of_latitude_on_the_equator_is_about_60_nm():
    reading = range_bearing(0.0, 0.0, 1.0, 0.0)
    assert reading.distance_m == pytest.approx(110574.4, abs=0.5)  # WGS84 meridian arc
    assert reading.bearing_deg == pytest.approx(0.0, abs=1e-9)
    assert reading.text.startswith("59.71 NM  000.0°T")


def test_westward_bearing_is_true_and_positive():
    reading = range_bearing(50.0, -4.0, 50.0, -5.0)
    assert 269.0 < reading.bearing_deg < 271.0
    # the parallel's radius a·cosφ/√(1−e²sin²φ), times 1° in radians: 71,696 m
    a, e2, phi = 6378137.0, 0.00669437999014, math.radians(50.0)
    parallel_m = a * math.cos(phi) / math.sqrt(1 - e2 * math.sin(phi) ** 2) * math.radians(1.0)
    assert reading.distance_m == pytest.approx(parallel_m, abs=5.0)


def test_geodesic_path_has_both_ends_and_stays_continuous():
    lats, lons = geodesic_path(10.0, 179.0, 12.0, -179.0, points=20)
    assert len(lats) == 20 and lats[0] == 10.0 and lats[-1] == pytest.approx(12.0)
    assert lons[-1] == pytest.approx(181.0)
    assert max(abs(b - a) for a, b in itertools.pairwise(lons)) < 0.5
