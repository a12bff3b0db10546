"""A drift at the coast: the datum and the areas are where the particles still float, the
stranded ones are reported with their share and where they are, a datum on land is flagged."""

from __future__ import annotations

import numpy as np

from sarapp.drift.engine import run_drift
from sarapp.drift.forcing import constant_forcing
from sarapp.drift.params import DriftParams
from sarapp.drift.summary import DriftSummary, summarise
from tests.drift.conftest import START, HalfPlaneLand

NORTH_CURRENT = constant_forcing(wind_u=0, wind_v=0, current_v=0.3)


class Islet:
    """Land only in a small box around a point: a rock in the middle of the cloud."""

    def __init__(self, lat: float, lon: float, half_deg: float) -> None:
        self.lat, self.lon, self.half = lat, lon, half_deg

    def is_land(self, lat, lon):
        lat, lon = np.asarray(lat), np.asarray(lon)
        return (abs(lat - self.lat) <= self.half) & (abs(lon - self.lon) <= self.half)

    def any_land(self, south, north, west, east):
        return True


def _coast_run(land, *, radius_m=3000.0, hours=6, forcing=NORTH_CURRENT):
    params = DriftParams(
        category=67,
        lat=43.0,
        lon=5.0,
        start=START,
        hours=hours,
        particles=3000,
        radius_m=radius_m,
        current_std_ms=0.0,
    )
    return run_drift(params, forcing, np.random.default_rng(3), land=land)


def test_datum_and_areas_are_of_the_particles_afloat():
    run = _coast_run(HalfPlaneLand(43.03))
    summary = summarise(run)
    ashore = run.stranded[-1]
    assert 0.2 < ashore.mean() < 0.95  # a real mix: some ashore, some still drifting
    afloat_lat = run.final_lat[~ashore].mean()
    assert summary.centroid_lat == afloat_lat
    assert summary.datum_track[-1].lat == afloat_lat
    assert summary.centroid_lat < 43.03  # at sea
    # no cell of the 90 % area lies ashore
    ring = np.array(summary.area_90.geometry["coordinates"][0])
    assert ring[:, 1].max() < 43.03 + 0.01


def test_stranded_particles_are_reported_with_share_and_place():
    run = _coast_run(HalfPlaneLand(43.03))
    summary = summarise(run)
    assert summary.ashore is not None
    assert summary.ashore.fraction == run.stranded[-1].mean()
    assert summary.ashore.count == int(run.stranded[-1].sum())
    assert 43.03 <= summary.ashore.lat < 43.04  # on the coast line, where they stopped
    stored = summary.to_dict()["final"]["stranded"]
    assert stored["fraction"] == round(summary.ashore.fraction, 4)
    assert DriftSummary.from_dict(summary.to_dict()).ashore.to_dict() == stored


def test_a_datum_on_land_is_flagged():
    """Particles all round a rock: their centroid is on it."""
    calm = constant_forcing(wind_u=0, wind_v=0)
    run = _coast_run(Islet(43.0, 5.0, 0.004), radius_m=1500, hours=1, forcing=calm)
    summary = summarise(run)
    assert summary.datum_on_land
    assert not summarise(_coast_run(None, radius_m=1500, hours=1, forcing=calm)).datum_on_land
