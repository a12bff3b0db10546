"""The chart's projection and its filled land."""

from __future__ import annotations

import numpy as np
from pyproj import Transformer

from sarapp.maps.land import clip_ring, land_levels
from sarapp.maps.projection import point_to_mercator, to_mercator


def test_numpy_mercator_is_epsg_3857():
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(-85, 85, 1000), rng.uniform(-180, 180, 1000)
    x, y = to_mercator(lat, lon)
    ex, ey = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(lon, lat)
    np.testing.assert_allclose(x, ex, atol=1e-6)
    np.testing.assert_allclose(y, ey, atol=1e-6)


def test_clipping_keeps_the_part_inside_the_box():
    square = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    clipped = clip_ring(square, (5.0, -5.0, 20.0, 5.0))
    assert {tuple(p) for p in clipped} == {(5.0, 0.0), (10.0, 0.0), (10.0, 5.0), (5.0, 5.0)}


def test_a_norwegian_island_is_land_and_the_sea_off_it_is_not():
    """Land filled from the shipped rings: a point on Bremanger (61.82N 5.0E) is inside a
    ring, a point 10 NM west in the sea is in none."""
    level = land_levels()["10m"]
    x0, y0 = point_to_mercator(61.5, 4.2)
    x1, y1 = point_to_mercator(62.2, 5.6)

    def inside(lat, lon):
        px, py = point_to_mercator(lat, lon)
        count = 0
        for ring in level.polygons(x0, y0, x1, y1):
            xs, ys = ring[:, 0], ring[:, 1]
            x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
            crosses = (ys > py) != (y2 > py)
            with np.errstate(divide="ignore", invalid="ignore"):
                at = xs + (py - ys) * (x2 - xs) / (y2 - ys)
            count += int(np.count_nonzero(crosses & (px < at)))
        return count % 2 == 1

    assert inside(61.75, 5.3)
    assert not inside(61.75, 4.5)
