import numpy as np
import pytest
from pyproj import Geod

from sarapp.drift.stepping import LocalStepper

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize("lat0", [0.0, 43.0, -55.0, 70.0, 80.0])
def test_a_step_agrees_with_the_geodesic(lat0):
    rng = np.random.default_rng(3)
    n = 5000
    lat = lat0 + rng.uniform(-1, 1, n)
    lon = rng.uniform(-179, 179, n)
    azimuth, dist = rng.uniform(0, 360, n), rng.uniform(0, 600, n)  # 1 m/s for 10 min
    east, north = dist * np.sin(np.radians(azimuth)), dist * np.cos(np.radians(azimuth))
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, dist)
    stepper = LocalStepper(n)
    stepper.set_reference(lat0)
    stepper.advance(lat, lon, east, north)
    _, _, error = GEOD.inv(lon, lat, lon2, lat2)
    # a rhumb-line step differs from the geodesic by about d² tan(lat) / 2R: centimetres
    assert error.max() < (0.05 if abs(lat0) <= 45 else 0.25)
