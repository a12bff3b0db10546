"""POC/POD/POS from a particle cloud, reweighting and cumulative POS."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from sarapp.planning.errors import PlanningError
from sarapp.planning.pod import pod_ideal, pod_normal
from sarapp.planning.probability import (
    ParticleCloud,
    SearchArea,
    after_unsuccessful_search,
    cumulative_pos,
    evaluate_plan,
    probability_grid,
)

GEOD = Geod(ellps="WGS84")


def _offsets(lat0, lon0, bearings_distances_nm):
    """Positions at (bearing °, distance NM) from (lat0, lon0)."""
    lats, lons = [], []
    for bearing, dist in bearings_distances_nm:
        lon, lat, _ = GEOD.fwd(lon0, lat0, bearing, dist * 1852.0)
        lats.append(lat)
        lons.append(lon)
    return np.array(lats), np.array(lons)


def test_weights_are_normalised_and_checked():
    cloud = ParticleCloud.from_arrays([50, 50.1], [1, 1.1], [3, 1])
    assert cloud.weight.tolist() == [0.75, 0.25]
    with pytest.raises(PlanningError, match="differ in length"):
        ParticleCloud.from_arrays([50, 50.1], [1], None)
    with pytest.raises(PlanningError, match="weights"):
        ParticleCloud.from_arrays([50], [1], [-1])
    with pytest.raises(PlanningError, match="latitudes"):
        ParticleCloud.from_arrays([95], [1], None)


def test_rectangle_containment_follows_its_orientation():
    lat, lon = _offsets(45.0, -20.0, [(0, 0.0), (0, 0.0), (45, 4.0), (225, 4.0)])
    cloud = ParticleCloud.from_arrays(lat, lon)
    along_45 = SearchArea(45.0, -20.0, orientation_deg=45, length_nm=10, width_nm=2, coverage=1)
    along_135 = SearchArea(45.0, -20.0, orientation_deg=135, length_nm=10, width_nm=2, coverage=1)
    assert along_45.contains(cloud).tolist() == [True, True, True, True]
    # the particles 4 NM out on 045/225 lie 4 NM across a rectangle along 135°
    assert along_135.contains(cloud).tolist() == [True, True, False, False]


def test_pos_is_poc_inside_times_pod():
    # 3 of 4 equally weighted particles inside one area of coverage 1 (normal):
    # POS = 0.75 × (1 − e^(−1)) = 0.474091
    lat, lon = _offsets(10.0, 100.0, [(0, 1), (90, 1), (180, 1), (0, 20)])
    cloud = ParticleCloud.from_arrays(lat, lon)
    area = SearchArea(10.0, 100.0, 0, length_nm=6, width_nm=6, coverage=1.0)
    ev = evaluate_plan(cloud, [area])
    assert ev.pos == pytest.approx(0.75 * (1 - math.exp(-1)))
    assert ev.pod.tolist() == pytest.approx([pod_normal(1.0)] * 3 + [0.0])


def test_overlapping_areas_combine_as_independent_searches():
    lat, lon = _offsets(10.0, 100.0, [(0, 0.5)])
    cloud = ParticleCloud.from_arrays(lat, lon)
    a = SearchArea(10.0, 100.0, 0, 4, 4, coverage=0.5, conditions="ideal")
    b = SearchArea(10.0, 100.0, 90, 4, 4, coverage=1.0)
    ev = evaluate_plan(cloud, [a, b])
    # 1 − (1 − erf(√π·0.5/2))·(1 − (1 − e^(−1)))
    expected = 1 - (1 - pod_ideal(0.5)) * math.exp(-1)
    assert ev.pos == pytest.approx(expected)
    assert ev.coverage.tolist() == [1.5]


def test_grid_poc_pod_and_pos_agree():
    rng = np.random.default_rng(7)
    lat = 55 + rng.normal(0, 0.05, 5000)
    lon = 7 + rng.normal(0, 0.08, 5000)
    cloud = ParticleCloud.from_arrays(lat, lon, rng.uniform(0.5, 1.5, 5000))
    ev = evaluate_plan(cloud, [SearchArea(55, 7, 20, 4, 3, coverage=1.3)])
    grid = probability_grid(cloud, cell_nm=0.5, evaluation=ev)
    assert grid.poc.sum() == pytest.approx(1.0)
    assert grid.pos == pytest.approx(ev.pos)
    assert 0 < ev.pos < pod_normal(1.3)
    # cells entirely inside the area have the area's POD and coverage; none has more
    assert np.any(np.isclose(grid.pod, pod_normal(1.3)))
    assert np.any(np.isclose(grid.coverage, 1.3))
    assert np.all(grid.pod <= pod_normal(1.3) + 1e-12)
    held = grid.poc > 0
    assert np.all(grid.coverage[~held] == 0)


def test_reweighting_after_an_unsuccessful_search_and_cumulative_pos():
    lat, lon = _offsets(-30.0, 20.0, [(0, 0.5), (0, 30)])
    cloud = ParticleCloud.from_arrays(lat, lon)
    area = SearchArea(-30.0, 20.0, 0, 4, 4, coverage=2.0)
    first = evaluate_plan(cloud, [area])
    # POS1 = 0.5 × (1 − e^(−2)) = 0.432332
    assert first.pos == pytest.approx(0.5 * (1 - math.exp(-2)))
    after = after_unsuccessful_search(cloud, first)
    # weights 0.5·e^(−2) and 0.5, renormalised: e^(−2)/(1 + e^(−2)) and 1/(1 + e^(−2))
    e2 = math.exp(-2)
    assert after.weight.tolist() == pytest.approx([e2 / (1 + e2), 1 / (1 + e2)])
    second = evaluate_plan(after, [area])
    total = cumulative_pos([first.pos, second.pos])
    # the same as one search with coverage 4 over the inner particle: 0.5 × (1 − e^(−4))
    assert total == pytest.approx(0.5 * (1 - math.exp(-4)))


def test_cloud_across_the_antimeridian_is_centred_there():
    cloud = ParticleCloud.from_arrays([0, 0], [179.9, -179.9])
    assert abs(cloud.centre_lon) == pytest.approx(180)
    assert np.abs(cloud.x_nm).max() < 7


def test_bad_values():
    cloud = ParticleCloud.from_arrays([0], [0])
    with pytest.raises(PlanningError, match="cell size"):
        probability_grid(cloud, cell_nm=0)
    with pytest.raises(PlanningError, match=r"POS 1\.5"):
        cumulative_pos([0.2, 1.5])


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 50),
    seed=st.integers(0, 2**32 - 1),
    coverage=st.floats(0, 5),
    width=st.floats(0.1, 20),
)
def test_pos_is_a_probability_below_the_area_pod(n, seed, coverage, width):
    rng = np.random.default_rng(seed)
    cloud = ParticleCloud.from_arrays(
        rng.normal(40, 0.1, n),
        rng.normal(-70, 0.1, n),
        rng.uniform(0, 1, n) + 1e-9,
    )
    ev = evaluate_plan(cloud, [SearchArea(40, -70, 0, width, width, coverage)])
    assert 0 <= ev.pos <= pod_normal(coverage) + 1e-12
    grid = probability_grid(cloud, cell_nm=1.0, evaluation=ev)
    assert grid.pos == pytest.approx(ev.pos, abs=1e-12)
