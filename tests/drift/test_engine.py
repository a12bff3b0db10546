from datetime import timedelta

import numpy as np
import pytest
from pyproj import Geod

from sarapp.drift import landmask
from sarapp.drift.engine import run_drift, simulate
from sarapp.drift.errors import DriftError, ForcingError
from sarapp.drift.forcing import ForcingSample, SeriesField, UniformField, WindAndCurrent
from sarapp.drift.forcing import constant_forcing as const
from sarapp.drift.params import DriftParams
from tests.drift.conftest import START, HalfPlaneLand

GEOD = Geod(ellps="WGS84")
NORTH_WIND = const(wind_u=0, wind_v=-10, current_u=0.3)


def params(**kw):
    # The model as the references run it: no random current unless a test asks for it.
    base = dict(
        category=1,
        lat=43.0,
        lon=5.0,
        start=START,
        hours=6,
        particles=2000,
        radius_m=500,
        current_std_ms=0.0,
    )
    return DriftParams(**{**base, **kw})


def run(p, forcing=NORTH_WIND, seed=1, land=None):
    return run_drift(p, forcing, np.random.default_rng(seed), land=land)


def test_same_seed_same_result_and_another_seed_differs():
    a, b, c = run(params()), run(params()), run(params(), seed=2)
    assert np.array_equal(a.final_lat, b.final_lat) and np.array_equal(a.lon, b.lon)
    assert not np.array_equal(a.final_lat, c.final_lat)


def test_generator_reports_progress_and_can_be_cancelled():
    gen = simulate(params(), NORTH_WIND, np.random.default_rng(1), land=None)
    first = next(gen)
    assert first.step == 6 and first.steps == 36 and first.result is None
    assert first.time_s == START.timestamp() + 3600
    gen.close()
    with pytest.raises(StopIteration):
        next(gen)
    steps = [p.step for p in simulate(params(), NORTH_WIND, np.random.default_rng(1), land=None)]
    assert steps == [6, 12, 18, 24, 30, 36]


def test_pure_current_matches_the_reference_figures():
    # reference: PIW-1, 0.5 m/s east, no wind, radius 0, 6 h -> 10.797 km east, 0.154 km north
    r = run(params(particles=100_000, radius_m=0), const(wind_u=0, wind_v=0, current_u=0.5), seed=0)
    east = GEOD.inv(5.0, r.centroid_lat[-1], r.centroid_lon[-1], r.centroid_lat[-1])[2]
    north = GEOD.inv(5.0, 43.0, 5.0, r.centroid_lat[-1])[2]
    assert east == pytest.approx(10797, rel=1e-3)
    assert north == pytest.approx(154, abs=10)  # 2.5 standard errors of the mean


def test_pure_current_without_windage_is_exact():
    r = run(params(category=67, radius_m=0), const(wind_u=0, wind_v=0, current_u=0.5))
    lon2, lat2, _ = GEOD.fwd(5.0, 43.0, 90.0, 0.5 * 6 * 3600)
    n = r.final_lat.size
    dist = GEOD.inv(np.full(n, lon2), np.full(n, lat2), r.final_lon, r.final_lat)[2]
    assert dist.max() < 0.001 * 10800


def test_wind_from_north_sends_the_object_south_never_upwind():
    r = run(params(category=32), const(wind_u=0, wind_v=-10))
    assert r.centroid_lat[-1] < 43.0 - 0.05
    assert (r.final_lat < 43.0).mean() > 0.99


def test_positive_crosswind_is_left_of_downwind():
    # wind towards south: left looking downwind is east; even particles take the cwr (+) side
    r = run(params(category=32, jibe_per_hour=0, radius_m=0), const(wind_u=0, wind_v=-10))
    assert (r.final_lon[0::2] > 5.0).all() and (r.final_lon[1::2] < 5.0).all()
    assert r.left[-1][0::2].all() and not r.left[-1][1::2].any()


def test_jibing_moves_particles_between_sides():
    r = run(params(category=32, jibe_per_hour=0.5), const(wind_u=0, wind_v=-10))
    switched = r.left[-1] != r.left[0]
    # 1 - 0.5 ** 6 of particles jibed at least once; an even number of jibes brings them back
    assert 0.3 < switched.mean() < 0.7


def test_vector_path_equals_uniform_path():
    class PerParticle:
        def sample(self, time_s, lat, lon):
            return ForcingSample(*(np.full(lat.shape, x) for x in (3.0, -9.0, 0.3, 0.1)))

    uniform = const(wind_u=3.0, wind_v=-9.0, current_u=0.3, current_v=0.1)
    a, b = run(params(), uniform), run(params(), PerParticle())
    np.testing.assert_allclose(a.final_lat, b.final_lat, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.final_lon, b.final_lon, rtol=0, atol=1e-12)


def test_backtracking_returns_to_the_start():
    fwd = run(params(category=67, radius_m=0), const(wind_u=0, wind_v=0, current_u=0.4))
    end = START + timedelta(hours=6)
    back = run(
        params(
            category=67,
            radius_m=0,
            start=end,
            backtrack=True,
            lat=float(fwd.final_lat[0]),
            lon=float(fwd.final_lon[0]),
        ),
        const(wind_u=0, wind_v=0, current_u=0.4),
    )
    assert GEOD.inv(5.0, 43.0, back.final_lon[0], back.final_lat[0])[2] < 1.0
    assert back.times_s[-1] == START.timestamp()


def test_release_window_keeps_late_particles_in_place():
    p = params(category=67, radius_m=0, release_end=START + timedelta(hours=6))
    r = run(p, const(wind_u=0, wind_v=0, current_u=0.5))
    moved = GEOD.inv(
        np.full(p.particles, 5.0), np.full(p.particles, 43.0), r.final_lon, r.final_lat
    )[2]
    assert moved[0] == pytest.approx(10800, rel=1e-3) and moved[-1] < 1.0
    # entry is counted from the first step starting after the release (at most 300 m here)
    assert abs(moved[1000] - 10800 * (1 - 1000 / 1999)) <= 300


def test_line_seeding_spans_the_track():
    r = run(params(radius_m=0, end_lat=43.0, end_lon=5.5, hours=1))
    assert r.lon[0][0] == pytest.approx(5.0) and r.lon[0][-1] == pytest.approx(5.5, abs=1e-5)


def test_particles_strand_on_land_and_stay():
    land = HalfPlaneLand(43.05)
    r = run(params(category=67, radius_m=0), const(wind_u=0, wind_v=0, current_v=0.5), land=land)
    assert r.stranding_used and r.stranded[-1].all()
    assert (r.final_lat < 43.05 + 0.01).all()
    assert not run(params(category=67), const(wind_u=0, wind_v=0, current_v=0.5)).stranded.any()


def test_without_the_land_package_stranding_is_off(monkeypatch):
    monkeypatch.setattr(landmask.importlib.util, "find_spec", lambda name: None)
    r = run(params(hours=1), land="default")
    assert not r.stranding_used


def test_current_noise_spreads_particles():
    quiet = run(params(category=67, radius_m=0), const(wind_u=0, wind_v=0))
    noisy = run(params(category=67, radius_m=0, current_std_ms=0.1), const(wind_u=0, wind_v=0))
    assert quiet.final_lat.std() == 0 and noisy.final_lat.std() > 0


def test_missing_forcing_stops_the_run_naming_time_and_place():
    short = WindAndCurrent(
        SeriesField(
            "wind", (START.timestamp(), START.timestamp() + 7200), (0.0, 0.0), (-5.0, -5.0)
        ),
        UniformField(0, 0),
    )
    with pytest.raises(ForcingError, match=r"no wind for 2026-01-01T02:10:00Z at 4\d\.\d{3}N"):
        run(params(), short)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"step_min": 7}, "step_min"),
        ({"hours": 0}, "hours"),
        ({"lat": 91}, "lat"),
        ({"particles": 0}, "particles"),
        ({"end_lat": 43.0}, "end_lat"),
    ],
)
def test_bad_parameters_name_the_field(bad, field):
    with pytest.raises(DriftError, match=field):
        params(**bad)


def test_params_round_trip_through_plain_dicts():
    p = params(release_end=START + timedelta(hours=1), end_lat=43.1, end_lon=5.1)
    assert DriftParams.from_dict(p.to_dict()) == p


def test_clouds_across_the_antimeridian_stay_together():
    p = params(lat=-40.0, lon=179.99, radius_m=2000, hours=2)
    r = run(p, const(wind_u=5.0, wind_v=0.0, current_u=0.3))
    assert np.ptp(r.lon[0]) < 0.2 and np.ptp(r.final_lon) < 0.5
    assert r.final_lon.mean() > 180.0  # drifted east over the line, unwrapped inside the run
