import numpy as np
import pytest

from sarapp.drift.areas import DensityGrid, cells_to_geojson, density_grid, smallest_cells


def _inside(lon, lat, ring):
    xs, ys = np.array(ring).T
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (ys[None] > lat[:, None]) != (y2[None] > lat[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        at = xs + (lat[:, None] - ys) * (x2 - xs) / (y2 - ys)
    return (crosses & (lon[:, None] < at)).sum(axis=1) % 2 == 1


def _gaussian(n=20000, sigma_m=1000.0, seed=0):
    rng = np.random.default_rng(seed)
    lat = 43.0 + rng.standard_normal(n) * sigma_m / 111_100
    lon = 5.0 + rng.standard_normal(n) * sigma_m / (111_320 * np.cos(np.radians(43.0)))
    return lat, lon


def test_90_percent_area_of_a_gaussian_cloud():
    lat, lon = _gaussian()
    grid = density_grid(lat, lon, lat0=43.0, lon0=5.0)
    cells = smallest_cells(grid, 0.9)
    held = grid.counts[cells].sum() / grid.total
    assert 0.9 <= held < 0.91
    exact = np.pi * 1000.0**2 * -2 * np.log(0.1)  # ellipse of a bivariate normal, m²
    assert cells.sum() * grid.cell_m**2 == pytest.approx(exact, rel=0.15)


def test_polygon_holds_the_particles_it_claims():
    lat, lon = _gaussian(5000, seed=4)
    grid = density_grid(lat, lon, lat0=43.0, lon0=5.0)
    geometry = cells_to_geojson(grid, smallest_cells(grid, 0.5))
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    inside = np.zeros(lat.size, dtype=bool)
    for outer, *holes in polygons:
        assert outer[0] == outer[-1]
        here = _inside(lon, lat, outer[:-1])
        for hole in holes:
            here &= ~_inside(lon, lat, hole[:-1])
        inside |= here
    assert inside.mean() == pytest.approx(0.5, abs=0.01)


def _grid(cells):
    return DensityGrid(43.0, 5.0, 0.0, 0.0, 100.0, np.asarray(cells, dtype=np.int64))


def _signed_area(ring):
    xs, ys = np.array(ring[:-1]).T
    return np.dot(xs, np.roll(ys, -1)) - np.dot(np.roll(xs, -1), ys)


def test_a_ring_of_cells_has_a_hole_wound_clockwise():
    cells = np.ones((3, 3), dtype=bool)
    cells[1, 1] = False
    geometry = cells_to_geojson(_grid(cells), cells)
    assert geometry["type"] == "Polygon"
    outer, hole = geometry["coordinates"]
    assert len(outer) == 5 and len(hole) == 5  # squares, collinear corners dropped
    assert _signed_area(outer) > 0 > _signed_area(hole)


def test_separate_and_diagonal_patches_make_a_multipolygon():
    cells = np.array([[1, 0, 0, 0], [0, 1, 0, 1]], dtype=bool)
    geometry = cells_to_geojson(_grid(cells), cells)
    assert geometry["type"] == "MultiPolygon"
    assert len(geometry["coordinates"]) == 3
    assert all(len(poly) == 1 and len(poly[0]) == 5 for poly in geometry["coordinates"])
