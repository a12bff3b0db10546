import json

import numpy as np
import pytest
from pyproj import Geod

from sarapp.drift.engine import run_drift
from sarapp.drift.errors import DriftError
from sarapp.drift.forcing import constant_forcing
from sarapp.drift.params import DriftParams
from sarapp.drift.products import cloud_at, datum_track, side_datums, spread_m
from sarapp.drift.summary import DriftSummary, summarise
from tests.drift.conftest import START

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def raft_run():
    p = DriftParams(
        category=32,
        lat=43.0,
        lon=5.0,
        start=START,
        hours=12,
        particles=4000,
        radius_m=1000,
        jibe_per_hour=0.0,
        current_std_ms=0.0,
    )
    return run_drift(
        p,
        constant_forcing(wind_u=0, wind_v=-10, current_u=0.3),
        np.random.default_rng(7),
        land=None,
    )


def test_datum_track_is_hourly_from_the_start(raft_run):
    track = datum_track(raft_run)
    assert len(track) == 13
    assert [p.time_s - track[0].time_s for p in track] == [3600.0 * k for k in range(13)]
    assert track[0].to_dict()["time"] == "2026-01-01T00:00:00Z"
    assert track[-1].lat < track[0].lat and track[-1].lon > track[0].lon  # south-east


def test_cloud_at_any_hour(raft_run):
    assert cloud_at(raft_run, 0).lat.mean() == pytest.approx(43.0, abs=0.001)
    assert cloud_at(raft_run, 6).time_s == START.timestamp() + 6 * 3600
    assert np.array_equal(cloud_at(raft_run).lat, raft_run.final_lat)
    with pytest.raises(DriftError, match="hour 13"):
        cloud_at(raft_run, 13)
    with pytest.raises(DriftError, match="hour -1"):
        cloud_at(raft_run, -1)
    with pytest.raises(DriftError, match=r"hour 1\.5"):
        cloud_at(raft_run, 1.5)


def test_spread_is_wide_across_the_wind_for_a_diverging_raft(raft_run):
    _, _, east, north = spread_m(cloud_at(raft_run))
    assert east > 3 * north


def test_side_datums_diverge_across_the_wind(raft_run):
    sides = side_datums(cloud_at(raft_run))
    assert sides.left_lon > sides.right_lon  # wind to the south: left is east
    # both branches drift 1.49 % of 10 m/s across the wind for 12 h, in opposite directions
    assert sides.divergence_m == pytest.approx(2 * 0.0149 * 10 * 12 * 3600, rel=0.05)
    single = cloud_at(raft_run)
    single.left[:] = True
    with pytest.raises(DriftError, match="both sides"):
        side_datums(single)


def test_summary_round_trips_through_json(raft_run):
    summary = summarise(raft_run)
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["final"]["std_m"]["east"] > 0 and data["area_90"]["type"] in {
        "Polygon",
        "MultiPolygon",
    }
    assert 0.9 <= data["areas"][1]["held"] < 0.92
    assert data["areas"][0]["area_m2"] < data["areas"][1]["area_m2"]
    assert DriftSummary.from_dict(data).to_dict() == data
