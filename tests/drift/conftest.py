from datetime import UTC, datetime

import numpy as np
import pytest

START = datetime(2026, 1, 1, tzinfo=UTC)


class HalfPlaneLand:
    """Land north of a latitude: a simple, exactly known coast for stranding tests."""

    def __init__(self, coast_lat: float) -> None:
        self.coast_lat = coast_lat

    def is_land(self, lat, lon):
        return np.asarray(lat) >= self.coast_lat

    def any_land(self, south, north, west, east):
        return north >= self.coast_lat


@pytest.fixture
def start():
    return START
