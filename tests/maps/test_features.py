"""Drift products and unit tracks refuse shapes the chart could not draw; the synthetic scene
is reproducible and shaped like a real run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from sarapp.maps.errors import MapsError
from sarapp.maps.features import DriftProducts, UnitFix, UnitTrack, UnitType
from sarapp.maps.synthetic import synthetic_drift, synthetic_units

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_drift_products_check_their_shapes():
    ok = np.zeros((3, 5))
    DriftProducts(np.arange(3.0), ok, ok, np.zeros(3), np.zeros(3))
    with pytest.raises(MapsError, match="same T×N shape"):
        DriftProducts(np.arange(3.0), ok, np.zeros((3, 4)), np.zeros(3), np.zeros(3))
    with pytest.raises(MapsError, match="3 times but 3 particle snapshots and 2 datum points"):
        DriftProducts(np.arange(3.0), ok, ok, np.zeros(2), np.zeros(2))


def test_unit_tracks_need_fixes_in_time_order():
    a = UnitFix(48.0, -5.0, NOW - timedelta(hours=1))
    b = UnitFix(48.1, -5.0, NOW)
    assert UnitTrack("Lifeboat", UnitType.LIFEBOAT, (a, b)).last is b
    with pytest.raises(MapsError, match="time order"):
        UnitTrack("Lifeboat", UnitType.LIFEBOAT, (b, a))
    with pytest.raises(MapsError, match="no position"):
        UnitTrack("Lifeboat", UnitType.LIFEBOAT, ())


def test_synthetic_drift_is_seeded_and_moves_downwind():
    one = synthetic_drift(
        48.0, -5.0, start=NOW, hours=4, particles=500, rng=np.random.default_rng(3)
    )
    two = synthetic_drift(
        48.0, -5.0, start=NOW, hours=4, particles=500, rng=np.random.default_rng(3)
    )
    assert np.array_equal(one.lat, two.lat)
    assert one.lat.shape == (5, 500) and one.snapshot_count == 5 and one.particle_count == 500
    assert one.datum_lat[-1] > one.datum_lat[0] and one.datum_lon[-1] > one.datum_lon[0]  # NE
    assert set(one.areas[4]) == {0.5, 0.9}
    (llat, llon), (rlat, rlon) = one.side_datums[4]
    assert (llat, llon) != (rlat, rlon)


def test_synthetic_units_end_near_the_scene():
    units = synthetic_units(48.0, -5.0, now=NOW)
    assert {u.unit_type for u in units} >= {UnitType.LIFEBOAT, UnitType.HELICOPTER}
    assert all(abs(u.last.lat - 48.0) < 0.3 for u in units)
