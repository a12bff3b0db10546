"""Suggested sub-areas: placed where the probability is, scored as probability.py scores them."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from sarapp.planning.errors import PlanningError
from sarapp.planning.iamsar import SearchUnit, WorksheetInput, compute_worksheet
from sarapp.planning.pod import pod_ideal, pod_normal
from sarapp.planning.probability import (
    ParticleCloud,
    after_unsuccessful_search,
    evaluate_plan,
    probability_grid,
)
from sarapp.planning.suggest import (
    SearchEffort,
    centroid_square_plan,
    stone_optimal_pos,
    suggest_sub_areas,
)
from sarapp.planning.suggest_grid import proportional_counts

GEOD = Geod(ellps="WGS84")
LAT0, LON0 = 59.5, 4.8


def _cloud(rng, clusters, n=20_000):
    """Gaussian clusters given as (bearing °, distance NM, σ east NM, σ north NM, share)."""
    lats, lons = [], []
    for bearing, dist, sx, sy, share in clusters:
        lon_c, lat_c, _ = GEOD.fwd(LON0, LAT0, bearing, dist * 1852.0)
        m = int(n * share)
        east, north = rng.normal(0, sx, m), rng.normal(0, sy, m)
        az = np.degrees(np.arctan2(east, north))
        lon, lat, _ = GEOD.fwd(
            np.full(m, lon_c), np.full(m, lat_c), az, np.hypot(east, north) * 1852.0
        )
        lats.append(lat)
        lons.append(lon)
    return ParticleCloud.from_arrays(np.concatenate(lats), np.concatenate(lons))


def _distance_nm(lat_a, lon_a, lat_b, lon_b):
    return GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2] / 1852.0


def test_one_unit_on_a_gaussian_is_centred_and_scored_like_probability_py():
    cloud = _cloud(np.random.default_rng(1), [(0, 0, 4, 4, 1.0)])
    plan = suggest_sub_areas(cloud, units=[SearchEffort("MV Alpha", 2.0, 120.0)])
    (unit,) = plan.units
    cell = max(plan.cell_along_nm, plan.cell_across_nm)
    assert _distance_nm(unit.centre_lat, unit.centre_lon, LAT0, LON0) < 1.5 * cell
    independent = evaluate_plan(cloud, [unit.search_area]).pos
    assert plan.pos == pytest.approx(independent, abs=1e-9)
    assert unit.marginal_pos == pytest.approx(plan.pos, abs=1e-12)
    # the rectangle's own figures agree with each other
    assert unit.area_nm2 == pytest.approx(unit.width_nm * unit.length_nm)
    assert unit.coverage == pytest.approx(120.0 / unit.area_nm2)
    assert unit.track_spacing_nm == pytest.approx(2.0 / unit.coverage)
    assert unit.pod == pytest.approx(pod_normal(unit.coverage))
    assert plan.pos == pytest.approx(unit.poc * unit.pod, abs=1e-12)
    # corners really are width × length apart
    c = unit.corners
    sides = [_distance_nm(*c[k], *c[(k + 1) % 4]) for k in range(4)]
    assert sorted(sides) == pytest.approx([unit.width_nm] * 2 + [unit.length_nm] * 2, rel=1e-3)


@pytest.mark.parametrize("turn", ["right", "left"])
def test_a_sub_area_flies_as_a_parallel_track_inside_it(turn):
    cloud = _cloud(np.random.default_rng(13), [(0, 0, 5, 2, 1.0)])
    plan = suggest_sub_areas(cloud, units=[SearchEffort("MV Alpha", 2.0, 150.0)])
    (unit,) = plan.units
    pattern = unit.parallel_track(turn=turn)
    assert pattern.course_deg == unit.orientation_deg
    assert pattern.spacing_nm == unit.track_spacing_nm
    lat = np.array([w.lat for w in pattern.waypoints])
    lon = np.array([w.lon for w in pattern.waypoints])
    # every turn point lies inside the rectangle (tracks W/S rounded, S apart)
    points = ParticleCloud.from_arrays(lat, lon)
    assert unit.search_area.contains(points).all()
    tracks = sum(1 for leg in pattern.legs if leg.searching)
    assert tracks == max(1, round(unit.width_nm / unit.track_spacing_nm))


def test_ideal_conditions_use_the_ideal_curve():
    cloud = _cloud(np.random.default_rng(2), [(0, 0, 3, 3, 1.0)])
    plan = suggest_sub_areas(cloud, units=[SearchEffort("H1", 1.5, 60.0)], conditions="ideal")
    (unit,) = plan.units
    assert unit.pod == pytest.approx(pod_ideal(unit.coverage))
    assert evaluate_plan(cloud, plan.search_areas).pos == pytest.approx(plan.pos, abs=1e-9)


def test_two_separated_clusters_get_one_unit_each():
    cloud = _cloud(np.random.default_rng(3), [(90, 15, 2, 2, 0.5), (270, 15, 2, 2, 0.5)])
    plan = suggest_sub_areas(
        cloud, units=[SearchEffort("A", 2.0, 80.0), SearchEffort("B", 1.0, 60.0)]
    )
    east = GEOD.fwd(LON0, LAT0, 90, 15 * 1852.0)
    west = GEOD.fwd(LON0, LAT0, 270, 15 * 1852.0)
    nearest = []
    for unit in plan.units:
        d_east = _distance_nm(unit.centre_lat, unit.centre_lon, east[1], east[0])
        d_west = _distance_nm(unit.centre_lat, unit.centre_lon, west[1], west[0])
        assert min(d_east, d_west) < 3.0
        nearest.append("east" if d_east < d_west else "west")
        assert unit.length_nm < 20.0  # no rectangle spans the empty gap
        assert 0.3 < unit.poc <= 0.5
    assert sorted(nearest) == ["east", "west"]
    assert evaluate_plan(cloud, plan.search_areas).pos == pytest.approx(plan.pos, abs=1e-9)
    assert plan.pos == pytest.approx(sum(u.marginal_pos for u in plan.units), abs=1e-12)


def test_sub_areas_follow_the_cloud_axis_and_do_not_overlap():
    # an elongated cloud along 045°: the grid takes that bearing
    rng = np.random.default_rng(4)
    along, across = rng.normal(0, 8, 20_000), rng.normal(0, 1.5, 20_000)
    s = math.sqrt(0.5)
    east, north = (along + across) * s, (along - across) * s
    az = np.degrees(np.arctan2(east, north))
    lon, lat, _ = GEOD.fwd(
        np.full(along.size, LON0), np.full(along.size, LAT0), az, np.hypot(east, north) * 1852
    )
    cloud = ParticleCloud.from_arrays(lat, lon)
    units = [SearchEffort(f"U{k}", 1.0 + k, 40.0 * (k + 1)) for k in range(3)]
    plan = suggest_sub_areas(cloud, units=units)
    assert plan.bearing_deg == pytest.approx(45.0, abs=2.0)
    for unit in plan.units:
        assert unit.orientation_deg % 90.0 == pytest.approx(45.0, abs=2.0)
        assert unit.notes == ()
    evaluation = evaluate_plan(cloud, plan.search_areas)
    # disjoint: no particle lies in two sub-areas
    inside = np.array([a.contains(cloud) for a in plan.search_areas])
    assert inside.sum(axis=0).max() == 1
    assert evaluation.pos == pytest.approx(plan.pos, abs=1e-9)


def test_more_effort_never_lowers_pos():
    cloud = _cloud(np.random.default_rng(5), [(0, 0, 5, 3, 0.7), (45, 12, 2, 2, 0.3)])
    single = [
        suggest_sub_areas(cloud, units=[SearchEffort("A", 1.5, z)]).pos
        for z in (10, 30, 60, 120, 250, 500, 2000)
    ]
    assert single == sorted(single)
    assert single[-1] > single[0] + 0.3
    pair = [
        suggest_sub_areas(
            cloud, units=[SearchEffort("A", 1.5, z), SearchEffort("B", 0.8, z / 2)]
        ).pos
        for z in (20, 60, 150, 400)
    ]
    assert pair == sorted(pair)


def test_track_spacing_is_held_at_the_minimum_when_effort_is_plenty():
    cloud = _cloud(np.random.default_rng(6), [(0, 0, 0.3, 0.3, 1.0)], n=5_000)
    plan = suggest_sub_areas(cloud, units=[SearchEffort("Big", 2.0, 5_000.0)])
    (unit,) = plan.units
    assert unit.track_spacing_nm == pytest.approx(0.1)
    assert unit.coverage == pytest.approx(20.0)
    assert "minimum" in unit.notes[0]
    # a tighter floor chosen by the coordinator is honoured too
    plan = suggest_sub_areas(
        cloud, units=[SearchEffort("Big", 2.0, 5_000.0)], min_track_spacing_nm=0.5
    )
    assert plan.units[0].track_spacing_nm == pytest.approx(0.5)


def test_after_a_failed_search_the_next_plan_moves_to_what_remains():
    cloud = _cloud(np.random.default_rng(7), [(0, 0, 4, 4, 0.6), (0, 18, 3, 3, 0.4)])
    first = suggest_sub_areas(cloud, units=[SearchEffort("A", 2.0, 100.0)])
    evaluation = evaluate_plan(cloud, first.search_areas)
    second_cloud = after_unsuccessful_search(cloud, evaluation)
    second = suggest_sub_areas(second_cloud, units=[SearchEffort("A", 2.0, 100.0)])
    a, b = first.units[0], second.units[0]
    assert _distance_nm(a.centre_lat, a.centre_lon, b.centre_lat, b.centre_lon) > 8.0


def test_beats_the_centroid_square_on_a_divergent_cloud():
    cloud = _cloud(np.random.default_rng(8), [(60, 10, 2, 3, 0.5), (120, 10, 2, 3, 0.5)])
    units = [SearchEffort("A", 2.0, 150.0), SearchEffort("B", 1.2, 90.0)]
    square = evaluate_plan(cloud, centroid_square_plan(cloud, units=units)).pos
    suggested = suggest_sub_areas(cloud, units=units).pos
    assert suggested > square + 0.1


def test_worksheet_units_are_accepted():
    inputs = WorksheetInput(
        datum_type="point",
        conditions="normal",
        search_object="R4",
        visibility_nm=10,
        wind_kt=10,
        sea_ft=2,
        x_nm=3,
        y_nm=0,
        de_nm=4,
        units=(
            SearchUnit("MV Alpha", "merchant", 12, 10),
            SearchUnit("MV Beta", "merchant", 10, 6),
        ),
    )
    worksheet = compute_worksheet(inputs)
    cloud = _cloud(np.random.default_rng(9), [(0, 0, 4, 4, 1.0)])
    plan = suggest_sub_areas(cloud, units=worksheet.units)
    assert [u.name for u in plan.units] == ["MV Alpha", "MV Beta"]
    for unit, effort in zip(plan.units, worksheet.units, strict=True):
        assert unit.track_spacing_nm == pytest.approx(effort.w_nm / unit.coverage)
        assert unit.coverage * unit.area_nm2 <= effort.z_nm2 * (1 + 1e-9)


@pytest.mark.parametrize(
    ("units", "changes", "message"),
    [
        ([], {}, "at least one"),
        ([SearchEffort("A", 1.0, 0.0)], {}, "'A' z_nm2"),
        ([SearchEffort("A", math.nan, 10.0)], {}, "'A' w_nm"),
        ([SearchEffort("A", 1.0, 10.0)], {"conditions": "good"}, "conditions"),
        ([SearchEffort("A", 1.0, 10.0)], {"min_track_spacing_nm": 0}, "min_track_spacing"),
        ([SearchEffort("A", 1.0, 10.0)], {"cells": 500}, "cells"),
    ],
)
def test_bad_input_is_refused_with_the_field(units, changes, message):
    cloud = _cloud(np.random.default_rng(10), [(0, 0, 2, 2, 1.0)], n=500)
    with pytest.raises(PlanningError, match=message):
        suggest_sub_areas(cloud, units=units, **changes)


def test_an_effort_too_small_for_one_cell_is_refused():
    cloud = _cloud(np.random.default_rng(11), [(0, 0, 20, 20, 1.0)], n=2_000)
    # Z/W = 0.5 NM of track: not one track across a cell of ~3 NM
    with pytest.raises(PlanningError, match="'Tiny': its effort does not fly one track"):
        suggest_sub_areas(cloud, units=[SearchEffort("Tiny", 1.0, 0.5)])


def test_proportional_counts():
    assert proportional_counts(10, [3.0, 1.0, 1.0]) == [6, 2, 2]
    assert proportional_counts(3, [100.0, 1.0, 1.0]) == [1, 1, 1]
    assert proportional_counts(2, [1.0, 1.0, 1.0]) is None
    assert sum(proportional_counts(37, [5.0, 3.1, 0.2, 9.9])) == 37


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    clusters=st.integers(1, 3),
    efforts=st.lists(
        st.tuples(st.floats(0.2, 5.0), st.floats(100.0, 3_000.0)), min_size=1, max_size=4
    ),
    conditions=st.sampled_from(["normal", "ideal"]),
    overlap=st.booleans(),
)
def test_pos_is_a_probability_bounded_by_the_poc_covered(
    seed, clusters, efforts, conditions, overlap
):
    rng = np.random.default_rng(seed)
    spec = [
        (rng.uniform(0, 360), rng.uniform(0, 30), rng.uniform(0.2, 6), rng.uniform(0.2, 6), 1.0)
        for _ in range(clusters)
    ]
    cloud = _cloud(rng, [(*s[:4], 1.0 / clusters) for s in spec], n=600)
    cloud = cloud.reweighted(rng.uniform(0.1, 1.0, cloud.weight.size))
    units = [SearchEffort(f"U{k}", w, z) for k, (w, z) in enumerate(efforts)]
    plan = suggest_sub_areas(
        cloud, units=units, conditions=conditions, allow_overlap=overlap, cells=12
    )
    assert 0.0 <= plan.pos <= 1.0
    assert plan.pos <= sum(u.poc for u in plan.units) + 1e-12
    assert plan.pos <= plan.poc_in_grid + 1e-12
    assert plan.pos == pytest.approx(evaluate_plan(cloud, plan.search_areas).pos, abs=1e-9)
    for unit, (w, _) in zip(plan.units, efforts, strict=True):
        assert unit.track_spacing_nm >= 0.1 - 1e-9
        assert unit.width_nm >= unit.track_spacing_nm * (1 - 1e-9)  # at least one track
        assert 0.0 <= unit.marginal_pos <= unit.poc * unit.pod + 1e-12
        assert unit.track_spacing_nm == pytest.approx(w / unit.coverage)


def test_stone_allocation_beats_every_uniform_allocation_on_its_grid():
    cloud = _cloud(np.random.default_rng(12), [(0, 0, 4, 2, 0.8), (90, 9, 1, 1, 0.2)])
    cell, effort = 1.0, 150.0
    stone = stone_optimal_pos(cloud, effort_nm2=effort, cell_nm=cell)
    poc = np.sort(probability_grid(cloud, cell_nm=cell).poc.ravel())[::-1]
    covered = np.cumsum(poc)
    k = np.arange(1, poc.size + 1)
    uniform = covered * -np.expm1(-effort / (k * cell * cell))
    assert stone >= uniform.max() - 1e-12
    assert stone < uniform.max() + 0.1
    # one unit's rectangle is one of the allocations Stone's optimum bounds (finer grid)
    plan = suggest_sub_areas(cloud, units=[SearchEffort("A", 1.0, effort)])
    assert plan.pos <= stone_optimal_pos(cloud, effort_nm2=effort, cell_nm=0.25) + 1e-9
    assert stone_optimal_pos(cloud, effort_nm2=2 * effort, cell_nm=cell) > stone
